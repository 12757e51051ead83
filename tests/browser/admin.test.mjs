// admin.test.mjs — Quản trị in a real chromium: a procedure's next
// version drafted from the one in force and published under its
// decision (a bad draft told what to fix), the calendar's year, an
// account created that can sign in, templates and the outbox, the
// portal's sync, and the audit of every event chain.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, startBrowser, newPage, staffLogin, api, accessibility } from './lib.mjs';

let srv, browser;

before(async () => {
	srv = await startServer();
	browser = await startBrowser();
});

after(async () => {
	await browser?.close();
	assert.equal(await srv?.stop(), 0);
});

test('a procedure gets a new version, published under its decision', async () => {
	const page = await newPage(browser, srv.base);
	await staffLogin(page, 'kiemsoat');
	await page.getByRole('link', { name: 'Quản trị' }).click();
	await page.getByLabel('Tìm thủ tục').fill('van phong cong chung');
	await page.getByRole('button', { name: 'Tìm' }).click();
	await page.getByRole('link', { name: '9.000016' }).click();
	await page.getByRole('heading', { name: /Phiên bản mới của thủ tục 9\.000016 \(đang áp dụng: phiên bản 1\)/ }).waitFor();
	assert.equal(await page.getByLabel('Tên thủ tục').inputValue(), 'Đăng ký hoạt động Văn phòng công chứng');
	assert.deepEqual(await accessibility(page), []);
	/* Shares that do not add up to 100: told. */
	await page.getByLabel('Thời hạn giải quyết', { exact: true }).fill('8');
	await page.getByLabel('Quy trình nội bộ: Tỷ lệ thời gian (%)').first().fill('50');
	await page.getByRole('button', { name: 'Lưu bản nháp' }).click();
	await page.getByText('Quy trình nội bộ: tỷ lệ thời gian các bước phải cộng lại đúng 100%.').waitFor();
	const shares = page.getByLabel('Quy trình nội bộ: Tỷ lệ thời gian (%)');
	const n = await shares.count();
	let rest = 100;
	for (let i = 0; i < n; i++) {
		const v = i === n - 1 ? rest : Math.floor(100 / n);
		rest -= v;
		await shares.nth(i).fill(String(v));
	}
	await page.getByRole('button', { name: 'Lưu bản nháp' }).click();
	await page.getByRole('heading', { name: 'Đã lưu bản nháp phiên bản 2 của thủ tục 9.000016' }).waitFor();
	await page.getByLabel('Số quyết định').fill('1234/QĐ-UBND');
	await page.getByRole('button', { name: 'Công bố' }).click();
	await page.getByText(/Đã công bố phiên bản 2 của thủ tục 9\.000016/).waitFor();
	const p = await api(srv.base, 'GET', '/api/v1/procedures/9.000016');
	assert.equal(p.json.version, 2);
	assert.equal(p.json.processing_time.amount, 8);
	assert.equal(p.json.decision.number, '1234/QĐ-UBND');
	assert.deepEqual(page.errors, []);
	await page.context().close();
});

test('the calendar year, an account, templates, the outbox, the sync, the audit', async () => {
	const page = await newPage(browser, srv.base);
	await staffLogin(page, 'admin');
	await page.goto('/canbo/#/quan-tri/lich/2026');
	await page.getByRole('cell', { name: 'Tết Dương lịch', exact: true }).waitFor();
	assert.match(await page.locator('table.month').first().locator('td.off').first().textContent(), /^1/);
	assert.deepEqual(await accessibility(page), []);
	/* An account, which can then sign in. */
	await page.getByRole('link', { name: 'Đơn vị, tài khoản' }).click();
	await page.getByLabel('Tên đăng nhập').fill('tn.moi');
	await page.getByLabel('Họ và tên').fill('Hồ Thị Mới');
	await page.getByLabel('Vai trò').selectOption('counter_officer');
	await page.getByLabel('Đơn vị (mã)').fill('000.00.01.H51');
	await page.getByLabel('Mật khẩu ban đầu').fill('mat-khau-rat-dai-2026');
	await page.getByRole('button', { name: 'Tạo tài khoản' }).click();
	await page.getByRole('cell', { name: 'Hồ Thị Mới' }).waitFor();
	const l = await api(srv.base, 'POST', '/api/v1/auth/login', { body: { username: 'tn.moi', password: 'mat-khau-rat-dai-2026' } });
	assert.equal(l.status, 200);
	assert.equal(l.json.user.role, 'counter_officer');
	assert.deepEqual(await accessibility(page), []);
	/* Templates, and the outbox (no SMS gateway in the demo: empty). */
	await page.getByRole('link', { name: 'Tin nhắn' }).click();
	await page.getByRole('heading', { name: 'Mẫu tin nhắn đang dùng' }).waitFor();
	assert.ok(await page.locator('#admin-body table').first().locator('tbody tr').count() > 3);
	await page.getByRole('heading', { name: 'Hộp thư đi (lỗi trước)' }).waitFor();
	/* The portal: not connected, said so. */
	await page.getByRole('link', { name: 'Đồng bộ Cổng DVCQG' }).click();
	await page.getByText('Chưa kết nối Cổng Dịch vụ công quốc gia (portal_url).').waitFor();
	/* Every event chain intact. */
	await page.getByRole('link', { name: 'Kiểm tra nhật ký' }).click();
	await page.getByRole('button', { name: 'Kiểm tra toàn bộ nhật ký hồ sơ' }).click();
	await page.locator('#audit-result', { hasText: /^Toàn vẹn: đã kiểm tra [\d.]+ sự kiện/ }).waitFor();
	assert.deepEqual(page.errors, []);
	await page.context().close();
});
