// citizen.test.mjs — the citizen portal on a 360 px phone, in a real
// chromium against a real motcua whose SMS go to a gateway on loopback:
// find a procedure in plain words or by field, read its papers and fees,
// sign in with the ID number and the code the SMS brings, file online
// with a paper uploaded as a file (the form surviving a reload), follow
// one's dossiers, rate one handed back, send feedback, and see who read
// one's data.
import { readFile } from 'node:fs/promises';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, startBrowser, newPage, api, token, startSmsGateway } from './lib.mjs';

const ID = '051090004321';
const PHONE = '0912345678';
let srv, browser, gw, page, counter, returned;

const PDF = Buffer.from('%PDF-1.4\n% đơn đề nghị\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

before(async () => {
	gw = await startSmsGateway();
	srv = await startServer({ args: ['--sms-url', gw.url, '--sms-token', 'bi-mat'] });
	browser = await startBrowser();
	counter = await token(srv.base, 'tiepnhan');
	/* A dossier of theirs taken in at the counter, and handed back. */
	const d = await api(srv.base, 'POST', '/api/v1/dossiers', { token: counter, body: {
		procedure_code: '9.000016', channel: 'direct', applicant: { kind: 'person',
			id_number: ID, name: 'Đặng Thị Công Dân', phone: PHONE },
		components: ['TP01', 'TP02', 'TP03'].map((code) => ({ code, provided: true })) } });
	assert.equal(d.status, 201, d.text);
	returned = d.json.code;
	const act = async (user, body) => {
		const r = await api(srv.base, 'POST', `/api/v1/dossiers/${encodeURIComponent(returned)}/actions`,
			{ token: await token(srv.base, user), body });
		assert.equal(r.status, 200, r.text);
	};
	await act('tiepnhan', { action: 'forward' });
	await act('chuyenvien', { action: 'forward' });
	await act('lanhdao', { action: 'complete' });
	await act('tiepnhan', { action: 'return_result' });
	page = await newPage(browser, srv.base, { viewport: { width: 360, height: 740 } });
});

after(async () => {
	await page?.context().close();
	await browser?.close();
	assert.equal(await srv?.stop(), 0);
	await gw?.stop();
});

async function fitsPhone() {
	const wide = await page.evaluate(() => document.documentElement.scrollWidth);
	assert.ok(wide <= 360, `the page is ${wide} px wide`);
}

test('a procedure found in plain words and by field', async () => {
	await page.goto('/dichvucong/');
	await page.getByRole('heading', { name: 'Bạn cần làm thủ tục gì?' }).waitFor();
	await page.getByLabel('Gõ vài từ về việc bạn cần làm').fill('dang ky khai sinh');
	await page.getByRole('link', { name: 'Thủ tục đăng ký khai sinh', exact: true }).waitFor();
	await fitsPhone();
	/* By field: Công chứng, then the procedure's page. */
	await page.getByLabel('Gõ vài từ về việc bạn cần làm').fill('');
	await page.getByRole('link', { name: 'Công chứng', exact: true }).click();
	await page.getByRole('heading', { name: /^Lĩnh vực Công chứng: 1 thủ tục/ }).waitFor();
	await page.getByRole('link', { name: 'Đăng ký hoạt động Văn phòng công chứng' }).click();
	await page.getByRole('heading', { name: 'Đăng ký hoạt động Văn phòng công chứng' }).waitFor();
	await page.getByText('10 ngày làm việc').waitFor();
	await page.getByText(/Phí thẩm định điều kiện hoạt động Văn phòng công chứng: 1\.000\.000 đ/).waitFor();
	assert.equal(await page.locator('article tbody tr').count(), 3);
	await fitsPhone();
	assert.deepEqual(page.errors, []);
});

test('signed in by the code the SMS brings, the citizen files online', async () => {
	await page.getByRole('link', { name: 'Nộp hồ sơ trực tuyến' }).click();
	/* Not signed in: asked to, and brought back after. */
	await page.getByRole('heading', { name: 'Đăng nhập' }).waitFor();
	const since = gw.messages.length;
	await page.getByLabel('Số định danh cá nhân').fill(ID);
	await page.getByRole('button', { name: 'Nhận mã đăng nhập' }).click();
	await page.getByLabel('Mã đăng nhập', { exact: true }).fill('000000');
	await page.getByRole('button', { name: 'Đăng nhập' }).click();
	await page.getByText('Mã đăng nhập không đúng hoặc đã hết hạn', { exact: false }).waitFor();
	await page.getByLabel('Mã đăng nhập', { exact: true }).fill(await gw.code(PHONE, since));
	await page.getByRole('button', { name: 'Đăng nhập' }).click();
	await page.getByRole('heading', { name: /^Nộp hồ sơ: Đăng ký hoạt động/ }).waitFor();
	await page.getByRole('button', { name: 'Đăng xuất' }).waitFor();
	/* A phone typed, the page reloaded: the form comes back. */
	await page.getByLabel('Số điện thoại nhận tin nhắn').fill('0987 654 321');
	await page.reload();
	await page.getByRole('heading', { name: /^Nộp hồ sơ/ }).waitFor();
	assert.equal(await page.getByLabel('Số điện thoại nhận tin nhắn').inputValue(), '0987 654 321');
	/* The đơn as a PDF, with its progress; the rest on paper later. */
	const first = page.locator('fieldset.component').nth(0);
	await first.getByLabel(/^Tệp /).setInputFiles({ name: 'don.pdf', mimeType: 'application/pdf', buffer: PDF });
	await first.getByRole('button', { name: 'Tải tệp lên' }).click();
	await first.getByText('Đã tải lên: don.pdf.').waitFor();
	assert.equal(await first.locator('progress').getAttribute('value'), '100');
	for (const i of [1, 2])
		await page.locator('fieldset.component').nth(i).getByLabel('Nộp bản giấy khi đến nhận kết quả').check();
	await page.getByRole('button', { name: 'Nộp hồ sơ' }).click();
	await page.getByRole('heading', { name: 'Đã nộp hồ sơ' }).waitFor();
	const code = (await page.locator('#new-code').textContent()).trim();
	/* At the counter: submitted online, its đơn the file sent. */
	const d = await api(srv.base, 'GET', `/api/v1/dossiers/${encodeURIComponent(code)}`, { token: counter });
	assert.equal(d.status, 200);
	assert.equal(d.json.status, 'submitted');
	assert.equal(d.json.channel, 'online');
	assert.equal(d.json.applicant.phone, '0987654321');
	assert.equal(d.json.components[0].file.media_type, 'application/pdf');
	assert.equal(d.json.components[0].file.size, PDF.length);
	assert.equal(d.json.components[1].provided, false);
	await fitsPhone();
	assert.deepEqual(page.errors, []);
});

test('the citizen follows their dossiers and rates the one handed back', async () => {
	await page.getByRole('link', { name: 'Hồ sơ của tôi' }).click();
	await page.getByRole('heading', { name: 'Hồ sơ của tôi' }).waitFor();
	assert.equal(await page.locator('ul.cards > li').count(), 2);
	await page.locator('ul.cards > li', { hasText: returned }).getByRole('link').click();
	await page.locator('#mine-status', { hasText: 'Đã trả kết quả' }).waitFor();
	await page.getByRole('button', { name: 'Hài lòng', exact: true }).click();
	await page.getByText('Cảm ơn bạn đã đánh giá: Hài lòng.', { exact: false }).waitFor();
	const r = await api(srv.base, 'GET', `/api/v1/dossiers/${encodeURIComponent(returned)}/rating`, { token: counter });
	assert.equal(r.json.level, 'satisfied');
	assert.equal(r.json.source, 'citizen');
	await fitsPhone();
	assert.deepEqual(page.errors, []);
});

test('feedback sent, and the log of who read their data', async () => {
	await page.getByRole('link', { name: 'Phản ánh' }).click();
	await page.getByLabel('Tiêu đề').fill('Bãi giữ xe quá chật');
	await page.getByLabel('Nội dung', { exact: true }).fill('Bãi giữ xe của Trung tâm không đủ chỗ vào buổi sáng.');
	await page.getByRole('button', { name: 'Gửi' }).click();
	await page.locator('table', { hasText: 'Bãi giữ xe quá chật' }).waitFor();
	await page.getByRole('link', { name: 'Dữ liệu của tôi' }).click();
	await page.getByRole('heading', { name: 'Ai đã xem dữ liệu của tôi' }).waitFor();
	/* The counter opened their dossier above: it is in the log. */
	await page.locator('table', { hasText: 'Mở hồ sơ' }).filter({ hasText: 'tiepnhan' }).waitFor();
	/* Everything held about them, as a file. */
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('button', { name: 'Tải dữ liệu của tôi (JSON)' }).click(),
	]);
	const path = await download.path();
	const data = JSON.parse(await readFile(path, 'utf8'));
	assert.equal(data.format, 'motcua-personal-data/1');
	assert.ok(data.dossiers.length >= 1);
	assert.ok(data.feedback.some((f) => f.title === 'Bãi giữ xe quá chật'));
	await page.getByText('Đã tải xong tệp dữ liệu.').waitFor();
	await fitsPhone();
	assert.deepEqual(page.errors, []);
});

test('signing out leaves no draft of theirs in the browser', async () => {
	/* A feedback draft typed, then not sent. */
	await page.getByRole('link', { name: 'Phản ánh' }).click();
	await page.getByLabel('Tiêu đề').fill('Bản nháp riêng tư');
	const drafts = () => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('motcua.draft.')));
	assert.ok((await drafts()).length >= 1);
	await page.getByRole('button', { name: 'Đăng xuất' }).click();
	await page.getByText('Đã đăng xuất.').waitFor();
	assert.deepEqual(await drafts(), []);
	assert.deepEqual(page.errors, []);
});
