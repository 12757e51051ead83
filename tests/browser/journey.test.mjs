// journey.test.mjs — one dossier carried through the web application as
// the people at a one-stop shop would, in a real chromium against a real
// motcua: the counter officer finds the procedure by typing without
// diacritics, takes the applicant in, ticks the components, prints the
// receipt (a real PDF), forwards it; the specialist finds it first in
// their tasks and passes it on; the leader completes it with a signed
// e-result; the counter hands it back; the citizen rates it on the
// counter's tablet and looks it up from the receipt's address.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, startBrowser, newPage, staffLogin, api, token } from './lib.mjs';

let srv, browser, code;
const PROC = '9.000016';	/* Đăng ký hoạt động Văn phòng công chứng */

before(async () => {
	/* A collecting account, as make run configures: the VietQR code. */
	srv = await startServer({ args: ['--payment-bank-bin', '970436', '--payment-account',
		'0000123456789', '--payment-account-name', 'TAI KHOAN DEMO MOTCUA'] });
	browser = await startBrowser();
});

after(async () => {
	await browser?.close();
	assert.equal(await srv?.stop(), 0);
});

async function signOut(page) {
	await page.getByRole('button', { name: 'Đăng xuất' }).click();
	await page.getByRole('button', { name: 'Đăng nhập' }).waitFor();
}

test('the counter takes a dossier in and prints its receipt', async () => {
	const page = await newPage(browser, srv.base);
	await staffLogin(page, 'tiepnhan');
	/* The counter officer lands on the counter. */
	await page.getByRole('heading', { name: 'Tiếp nhận hồ sơ' }).waitFor();
	assert.equal(await page.locator('nav a[aria-current=page]').textContent(), 'Tiếp nhận');
	/* Typed without diacritics, found with them. */
	await page.getByLabel('Tìm thủ tục').fill('van phong cong chung');
	await page.getByRole('button', { name: /9\.000016 — Đăng ký hoạt động Văn phòng công chứng/ }).click();
	await page.getByText('10 ngày làm việc').waitFor();
	await page.getByText('1.000.000 đ').first().waitFor();
	/* A new applicant: nothing earlier, typed in. */
	await page.getByLabel('Số định danh cá nhân / mã số thuế').fill('051090001234');
	await page.getByRole('button', { name: 'Tìm người nộp' }).click();
	await page.getByText('Người này chưa có hồ sơ nào ở đơn vị.').waitFor();
	await page.getByLabel('Họ và tên').fill('Trần Thị Thử Nghiệm');
	await page.getByLabel('Số điện thoại').fill('0905 123 456');
	await page.getByLabel('Địa chỉ').fill('12 Lê Lợi, phường Cẩm Thành');
	/* A required component left out: refused, naming what is missing. */
	const boxes = page.locator('#components input[type=checkbox]');
	assert.equal(await boxes.count(), 3);
	await boxes.nth(0).check();
	await page.getByRole('button', { name: 'Tiếp nhận hồ sơ' }).click();
	const err = page.locator('#intake > .error');
	await err.waitFor();
	assert.match(await err.textContent(), /Thành phần hồ sơ/);
	/* Everything handed in: taken in. */
	await boxes.nth(1).check();
	await boxes.nth(2).check();
	await page.getByRole('button', { name: 'Tiếp nhận hồ sơ' }).click();
	await page.locator('#receipt').waitFor();
	code = (await page.locator('#dossier-code').textContent()).trim();
	assert.match(code, /^000\.00\.01\.H51-\d{6}-\d{4}$/);
	assert.match(await page.locator('#due').textContent(), /^\d{2}:\d{2} \d{2}\/\d{2}\/\d{4}$/);
	await page.getByText('Tổng cộng: 1.000.000 đ').waitFor();
	await page.getByText('(Một triệu đồng)').waitFor();
	/* The VietQR code, drawn by the API, with its words beside it. */
	const qr = page.getByRole('img', { name: /^Mã VietQR chuyển khoản 1\.000\.000 đ cho hồ sơ / });
	await qr.waitFor();
	await page.waitForFunction(() => { const i = document.querySelector('img.qr'); return i && i.complete && i.naturalWidth > 0; });
	await page.getByText(/tài khoản 0000123456789, nội dung /).waitFor();
	/* The receipt slip: a PDF with the code on it. */
	const [dl] = await Promise.all([page.waitForEvent('download'),
		page.getByRole('button', { name: 'In phiếu tiếp nhận' }).click()]);
	const pdf = readFileSync(await dl.path());
	assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
	/* The dossier page: forwarded to the agency's first step. */
	await page.getByRole('link', { name: 'Mở hồ sơ' }).click();
	await page.locator('#dossier-h').waitFor();
	assert.equal(await page.locator('#dossier-status').textContent(), 'Đã tiếp nhận');
	/* Only the actions allowed now: no complete, no return. */
	const acts = page.getByRole('region', { name: 'Thao tác' });
	assert.equal(await acts.getByRole('button', { name: 'Hoàn thành giải quyết' }).count(), 0);
	assert.equal(await acts.getByRole('button', { name: 'Trả kết quả' }).count(), 0);
	await acts.getByRole('button', { name: 'Chuyển bước tiếp' }).click();
	await page.getByRole('button', { name: 'Xác nhận: Chuyển bước tiếp' }).click();
	await page.locator('#dossier-status', { hasText: 'Đang xử lý' }).waitFor();
	await page.locator('#timeline li', { hasText: 'Chuyển bước tiếp' }).waitFor();
	await signOut(page);
	assert.deepEqual(page.errors, []);
	await page.context().close();
});

test('the leader assigns it to a specialist of the unit', async () => {
	const page = await newPage(browser, srv.base);
	await staffLogin(page, 'lanhdao');
	await page.locator('tr', { hasText: code }).getByRole('link').click();
	await page.locator('#dossier-h').waitFor();
	await page.getByRole('button', { name: 'Giao xử lý' }).click();
	const who = page.getByLabel('Giao cho');
	await who.locator('option', { hasText: 'Lê Thị Chuyên (Chuyên viên)' }).waitFor({ state: 'attached' });
	assert.equal(await who.locator('option', { hasText: 'Quản trị' }).count(), 0);
	await who.selectOption('chuyenvien');
	await page.getByRole('button', { name: 'Xác nhận: Giao xử lý' }).click();
	await page.locator('#timeline li', { hasText: 'Giao xử lý' }).waitFor();
	assert.deepEqual(page.errors, []);
	await page.context().close();
});

test('the specialist finds it in their tasks and passes it on', async () => {
	const page = await newPage(browser, srv.base);
	await staffLogin(page, 'chuyenvien');
	await page.getByRole('heading', { name: 'Việc cần xử lý' }).waitFor();
	const row = page.locator('tr', { hasText: code });
	await row.waitFor();
	assert.match(await row.textContent(), /Trong hạn|Sắp đến hạn/);
	await row.getByRole('link', { name: code }).click();
	await page.locator('#dossier-h').waitFor();
	await page.getByRole('button', { name: 'Chuyển bước tiếp' }).click();
	await page.getByRole('button', { name: 'Xác nhận: Chuyển bước tiếp' }).click();
	await page.locator('#timeline li', { hasText: 'chuyenvien' }).waitFor();
	assert.deepEqual(page.errors, []);
	await page.context().close();
});

test('the leader completes it with a signed e-result', async () => {
	const page = await newPage(browser, srv.base);
	await staffLogin(page, 'lanhdao');
	await page.locator('tr', { hasText: code }).getByRole('link').click();
	await page.locator('#dossier-h').waitFor();
	await page.getByRole('button', { name: 'Hoàn thành giải quyết' }).click();
	await page.getByLabel('Số văn bản kết quả').fill('15/GP-STP');
	await page.getByRole('button', { name: 'Xác nhận: Hoàn thành giải quyết' }).click();
	await page.locator('#dossier-status', { hasText: 'Đã xử lý xong' }).waitFor();
	await page.getByRole('heading', { name: 'Kết quả điện tử' }).waitFor();
	assert.deepEqual(page.errors, []);
	await page.context().close();
});

test('the counter returns the result and the citizen rates it', async () => {
	const page = await newPage(browser, srv.base);
	await staffLogin(page, 'tiepnhan');
	await page.goto(`/canbo/#/ho-so/${encodeURIComponent(code)}`);
	await page.locator('#dossier-h').waitFor();
	/* The fee, collected in cash: the receipt, ready to print. */
	await page.getByText('Còn phải thu: 1.000.000 đ').waitFor();
	await page.getByRole('button', { name: 'Thu tiền mặt' }).click();
	const receipt = page.getByRole('region', { name: 'Biên lai' });
	await receipt.getByText('Tổng cộng: 1.000.000 đ').waitFor();
	await receipt.getByText(/^Số: /).waitFor();
	assert.match(await receipt.textContent(), /Trần Thị Thử Nghiệm — 051090001234/);
	await receipt.getByRole('button', { name: 'Đóng' }).click();
	await page.getByRole('button', { name: 'Trả kết quả' }).click();
	await page.getByRole('button', { name: 'Xác nhận: Trả kết quả' }).click();
	await page.locator('#dossier-status', { hasText: 'Đã trả kết quả' }).waitFor();
	/* The tablet, turned to the citizen: one press. */
	await page.getByRole('link', { name: 'Mời người nộp đánh giá' }).click();
	await page.getByRole('heading', { name: /có hài lòng/ }).waitFor();
	await page.getByRole('button', { name: 'Rất hài lòng' }).click();
	await page.getByRole('heading', { name: 'Cảm ơn ông/bà đã đánh giá!' }).waitFor();
	const t = await token(srv.base, 'tiepnhan');
	const r = await api(srv.base, 'GET', `/api/v1/dossiers/${encodeURIComponent(code)}/rating`, { token: t });
	assert.equal(r.status, 200);
	assert.equal(r.json.level, 'very_satisfied');
	assert.equal(r.json.source, 'kiosk');
	assert.deepEqual(page.errors, []);
	await page.context().close();
});

test('anyone looks it up from the receipt, on a phone', async () => {
	const page = await newPage(browser, srv.base, { viewport: { width: 360, height: 740 } });
	/* The address the receipt's QR code carries. */
	await page.goto(`/tra-cuu/${encodeURIComponent(code)}`);
	assert.equal(await page.getByLabel('Mã hồ sơ').inputValue(), code);
	/* Wrong digits: told what to check, nothing shown. */
	await page.getByLabel('4 số cuối điện thoại').fill('0000');
	await page.getByRole('button', { name: 'Tra cứu' }).click();
	await page.getByText('Không tìm thấy hồ sơ với mã và số điện thoại này.', { exact: false }).waitFor();
	await page.getByLabel('4 số cuối điện thoại').fill('3456');
	await page.getByRole('button', { name: 'Tra cứu' }).click();
	await page.locator('#public-status', { hasText: 'Đã trả kết quả' }).waitFor();
	assert.match(await page.locator('#result').textContent(), /T\*\*\* T\*\*\* T\*\*\* Nghiệm/);
	/* Nothing wider than the phone. */
	const wide = await page.evaluate(() => document.documentElement.scrollWidth);
	assert.ok(wide <= 360, `the page is ${wide} px wide`);
	assert.deepEqual(page.errors, []);
	await page.context().close();
});

test('a wrong password is told apart, and nothing is signed in', async () => {
	const page = await newPage(browser, srv.base);
	await page.goto('/canbo/');
	await page.getByLabel('Tên đăng nhập').fill('tiepnhan');
	await page.getByLabel('Mật khẩu').fill('sai-mat-khau');
	await page.getByRole('button', { name: 'Đăng nhập' }).click();
	await page.getByText('Tên đăng nhập hoặc mật khẩu không đúng.').waitFor();
	assert.equal(await page.getByRole('button', { name: 'Đăng xuất' }).count(), 0);
	await page.context().close();
});

test('a dossier filled in while the line is down is kept, and sent once when it returns', async () => {
	const page = await newPage(browser, srv.base);
	await staffLogin(page, 'tiepnhan');
	await page.getByLabel('Tìm thủ tục').fill('van phong cong chung');
	await page.getByRole('button', { name: /9\.000016/ }).click();
	await page.getByText('10 ngày làm việc').waitFor();
	await page.getByLabel('Số định danh cá nhân / mã số thuế').fill('051090008888');
	await page.getByLabel('Họ và tên').fill('Vũ Thị Mất Mạng');
	await page.getByLabel('Số điện thoại').fill('0905888888');
	for (const b of await page.locator('#components input[type=checkbox]').all())
		await b.check();
	/* The page reloaded (a slip of the hand): everything comes back. */
	await page.reload();
	await page.getByText('Đã khôi phục hồ sơ đang nhập dở trên máy này.').waitFor();
	assert.equal(await page.getByLabel('Họ và tên').inputValue(), 'Vũ Thị Mất Mạng');
	await page.waitForFunction(() =>
		document.querySelectorAll('#components input[type=checkbox]:checked').length === 3);
	/* The line drops as it is sent: kept, and said so. */
	await page.context().setOffline(true);
	await page.getByRole('button', { name: 'Tiếp nhận hồ sơ' }).click();
	await page.getByText('Mất kết nối máy chủ.', { exact: false }).waitFor();
	/* It returns: sent by itself, once. */
	await page.context().setOffline(false);
	await page.locator('#receipt').waitFor();
	const t = await token(srv.base, 'tiepnhan');
	const r = await api(srv.base, 'GET', '/api/v1/dossiers?q=051090008888', { token: t });
	assert.equal(r.json.items.length, 1);
	assert.deepEqual(page.errors, []);
	await page.context().close();
});
