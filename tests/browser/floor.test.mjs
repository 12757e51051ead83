// floor.test.mjs — the centre's floor in a real chromium: two visitors
// take numbers at the kiosk, the board shows them waiting, the counter
// officer calls the first to Quầy 1 and the board follows, the visit is
// rated on the counter's tablet and finished, and the leaders see the
// counter's figures. The demo province's centre has its floor set up.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, startBrowser, newPage, staffLogin, api, token, accessibility } from './lib.mjs';

const CENTRE = '000.00.01.H51';

// The text of a PDF, as poppler's pdftotext reads it.
function pdfText(pdf) {
	const dir = mkdtempSync(join(tmpdir(), 'motcua-pdf-'));
	try {
		writeFileSync(join(dir, 'p.pdf'), pdf);
		return execFileSync('pdftotext', [join(dir, 'p.pdf'), '-'], { encoding: 'utf8' });
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}
let srv, browser, kiosk, board, officer;

before(async () => {
	srv = await startServer();
	browser = await startBrowser();
});

after(async () => {
	for (const p of [kiosk, board, officer])
		await p?.context().close();
	await browser?.close();
	assert.equal(await srv?.stop(), 0);
});

test('two numbers taken at the kiosk, waiting on the board', async () => {
	kiosk = await newPage(browser, srv.base, { viewport: { width: 800, height: 1280 } });
	await kiosk.goto(`/xep-hang/?don-vi=${CENTRE}`);
	await kiosk.getByRole('heading', { name: 'Mời ông/bà chọn lĩnh vực cần giải quyết' }).waitFor();
	assert.equal(await kiosk.locator('h1').textContent(), 'Trung tâm Phục vụ hành chính công tỉnh Quảng Ngãi');
	assert.deepEqual(await accessibility(kiosk), []);
	await kiosk.getByRole('button', { name: /Tư pháp – Hộ tịch/ }).click();
	assert.equal(await kiosk.locator('#ticket-number').textContent(), 'A001');
	await kiosk.getByText('Ông/bà là người tiếp theo.').waitFor();
	/* Printed (as the kiosk's printer would): the number, no buttons. */
	await kiosk.emulateMedia({ media: 'print' });
	const pdf = await kiosk.pdf({ width: '80mm', height: '120mm' });
	await kiosk.emulateMedia({ media: 'screen' });
	const text = pdfText(pdf);
	assert.match(text, /A001/);
	assert.match(text, /Tư pháp – Hộ tịch/);
	assert.doesNotMatch(text, /In số/);
	await kiosk.getByRole('button', { name: 'Xong' }).click();
	await kiosk.getByRole('button', { name: /Tư pháp – Hộ tịch[^]*Đang chờ: 1/ }).click();
	assert.equal(await kiosk.locator('#ticket-number').textContent(), 'A002');
	await kiosk.getByText('Có 1 người đang chờ trước ông/bà.').waitFor();
	board = await newPage(browser, srv.base, { viewport: { width: 1280, height: 720 } });
	await board.goto(`/bang-so/?don-vi=${CENTRE}`);
	await board.getByText('Chưa có số nào được gọi.').waitFor();
	await board.locator('li', { hasText: 'Tư pháp – Hộ tịch' }).filter({ hasText: '(số tiếp theo A001)' }).waitFor();
	assert.deepEqual(await accessibility(board), []);
	assert.deepEqual(kiosk.errors, []);
});

test('the counter calls A001; the board follows; the visit is rated and finished', async () => {
	officer = await newPage(browser, srv.base);
	await staffLogin(officer, 'tiepnhan');
	await officer.getByRole('heading', { name: 'Gọi số' }).waitFor();
	await officer.getByLabel('Quầy của máy này').selectOption('1');
	await officer.getByRole('button', { name: 'Gọi số tiếp theo' }).click();
	await officer.locator('#serving', { hasText: 'Đang phục vụ số A001' }).waitFor();
	/* The board, polling, shows it at Quầy 1 and flags it as the newest. */
	await board.locator('tr.newest', { hasText: 'A001' }).filter({ hasText: 'Quầy 1' }).waitFor({ timeout: 10000 });
	await board.locator('li', { hasText: 'Tư pháp – Hộ tịch' }).filter({ hasText: '(số tiếp theo A002)' }).waitFor();
	/* The tablet turned to the visitor. */
	await officer.goto('/canbo/#/danh-gia');
	await officer.getByRole('link', { name: 'Đánh giá lượt phục vụ đang diễn ra' }).click();
	await officer.getByText('Lượt phục vụ số A001 tại Quầy 1').waitFor();
	await officer.getByRole('button', { name: 'Hài lòng', exact: true }).click();
	await officer.getByRole('heading', { name: 'Cảm ơn ông/bà đã đánh giá!' }).waitFor();
	/* Back at the counter: done. */
	await officer.goto('/canbo/#/tiep-nhan');
	await officer.locator('#serving', { hasText: 'A001' }).waitFor();
	await officer.getByRole('button', { name: 'Xong', exact: true }).click();
	await officer.locator('#serving', { hasText: 'Chưa gọi số nào.' }).waitFor();
	const st = await api(srv.base, 'GET', '/api/v1/queue/stats', { token: await token(srv.base, 'tiepnhan') });
	assert.equal(st.status, 200);
	const q1 = st.json.counters.find((c) => c.key === '1');
	assert.equal(q1.served, 1);
	assert.equal(q1.ratings.satisfied, 1);
	assert.equal(st.json.all.issued, 2);
	assert.equal(st.json.all.waiting_now, 1);
	assert.deepEqual(officer.errors, []);
	assert.deepEqual(board.errors, []);
});

test('the leaders see the counter figures', async () => {
	const page = await newPage(browser, srv.base);
	await staffLogin(page, 'kiemsoat');
	const row = page.locator('#floor tr', { hasText: 'Quầy 1' });
	await row.waitFor();
	assert.match(await row.textContent(), /Quầy 1\s*1\s*1\s*0/);
	assert.match(await row.textContent(), /100,00% \(1\/1\)/);
	assert.deepEqual(page.errors, []);
	await page.context().close();
});
