// leaders.test.mjs — Điều hành in a real chromium: what the screen shows
// is what the report API counts from the demo province's records, for the
// period and level chosen; the records behind an index number are one
// click away; the overdue dossiers are listed by unit; the official table
// downloads as a spreadsheet; and it all fits a 360 px phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, startBrowser, newPage, staffLogin, api, token } from './lib.mjs';

let srv, browser, tok;

before(async () => {
	srv = await startServer({ dossiers: 120 });
	browser = await startBrowser();
	tok = await token(srv.base, 'kiemsoat');
});

after(async () => {
	await browser?.close();
	assert.equal(await srv?.stop(), 0);
});

const count = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.');

// The year's figures, as the screen asks for them.
async function figures(page, level = '') {
	const year = await page.getByLabel('Năm').inputValue();
	await page.getByLabel('Kỳ', { exact: true }).selectOption('year');
	if (level)
		await page.getByLabel('Cấp thực hiện').selectOption(level);
	await page.getByRole('button', { name: 'Xem số liệu' }).click();
	await page.locator('#cards').waitFor();
	const q = `period=year&year=${year}&cutoff=0${level ? `&level=${level}` : ''}`;
	const s = await api(srv.base, 'GET', `/api/v1/reports/summary?${q}`, { token: tok });
	assert.equal(s.status, 200);
	return { q, s: s.json };
}

test('the leaders see the report figures, and what is behind them', async () => {
	const page = await newPage(browser, srv.base);
	await staffLogin(page, 'kiemsoat');
	await page.getByRole('heading', { name: 'Điều hành' }).waitFor();
	const { q, s } = await figures(page);
	const card = (title) => page.locator('#cards section', { hasText: title });
	assert.ok(s.dossiers.received > 0);
	assert.equal(await card('Hồ sơ tiếp nhận').locator('.big').textContent(), count(s.dossiers.received));
	assert.match(await card('Hồ sơ tiếp nhận').textContent(),
		new RegExp(`Trực tuyến: ${count(s.dossiers.online)} `));
	assert.equal(await card('Giải quyết đúng hạn').locator('.big').textContent(),
		`${s.dossiers.on_time_rate.toFixed(2).replace('.', ',')}%`);
	/* The 766 index: 2.1's dossiers, one click away. */
	const ix = (await api(srv.base, 'GET', `/api/v1/reports/index766?${q}`, { token: tok })).json;
	const i21 = ix.indicators.find((i) => i.id === '2.1');
	assert.ok(i21.denominator > 0);
	await page.getByRole('button', { name: /: mẫu số của chỉ số 2\.1,/ }).click();
	const rec = page.locator('#records');
	await rec.getByRole('heading', { name: new RegExp(`mẫu số \\(${i21.denominator}\\)`) }).waitFor();
	assert.equal(await rec.locator('tbody tr').count(), Math.min(100, i21.denominator));
	/* A dossier behind the number opens. */
	const first = rec.locator('tbody tr a').first();
	const code = await first.textContent();
	await first.click();
	await page.getByRole('heading', { name: `Hồ sơ ${code}` }).waitFor();
	await page.goBack();
	await page.locator('#cards').waitFor();
	/* Overdue, by unit: as many as the listing has. */
	const late = await api(srv.base, 'GET', '/api/v1/dossiers?timeliness=overdue&limit=200', { token: tok });
	assert.ok(late.json.items.length > 0);
	await page.getByRole('heading', { name: `Hồ sơ quá hạn (${late.json.items.length})` }).waitFor();
	/* The charts drawn (SVG from the API). */
	await page.waitForFunction(() => [...document.querySelectorAll('img.chart')]
		.every((i) => i.complete && i.naturalWidth > 0));
	/* The official table, as a spreadsheet. */
	const [dl] = await Promise.all([page.waitForEvent('download'),
		page.getByRole('button', { name: 'Biểu 06 (XLSX)' }).click()]);
	assert.equal(dl.suggestedFilename(), 'bieu-06.xlsx');
	assert.equal(readFileSync(await dl.path()).subarray(0, 2).toString(), 'PK');
	/* Communes only: the figures follow. */
	const c = await figures(page, 'commune');
	await page.locator('#cards section', { hasText: 'Hồ sơ tiếp nhận' }).locator('.big',
		{ hasText: new RegExp(`^${count(c.s.dossiers.received)}$`) }).waitFor();
	assert.notEqual(c.s.dossiers.received, s.dossiers.received);
	assert.deepEqual(page.errors, []);
	await page.context().close();
});

test('the screen fits a phone', async () => {
	const page = await newPage(browser, srv.base, { viewport: { width: 360, height: 740 } });
	await staffLogin(page, 'kiemsoat');
	await page.locator('#cards').waitFor();
	const wide = await page.evaluate(() => document.documentElement.scrollWidth);
	assert.ok(wide <= 360, `the page is ${wide} px wide`);
	assert.deepEqual(page.errors, []);
	await page.context().close();
});
