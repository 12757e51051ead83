// quality.test.mjs — what every page must be, whoever opens it: under
// 100 KB on first load (commune PCs on slow lines), no WCAG 2.1 A or AA
// violation axe-core can find, usable by keyboard alone, nothing wider
// than a 360 px phone. (How fast it is on a throttled 3G line is a
// benchmark: bench/web.sh.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, startBrowser, newPage, staffLogin, accessibility, firstLoad } from './lib.mjs';

let srv, browser;

before(async () => {
	srv = await startServer();
	browser = await startBrowser();
});

after(async () => {
	await browser?.close();
	assert.equal(await srv?.stop(), 0);
});

// Each public page and what shows it is ready.
const PAGES = [
	['/', 'a[href="/canbo/"]'],
	['/canbo/', 'input[name=username]'],
	['/dichvucong/', '#fields li'],
	['/tra-cuu/', 'input[name=code]'],
	['/tra-cuu/000.00.01.H51-260302-0001', 'input[name=phone_last4]'],
];

test('every page loads in under 100 KB, without a WCAG violation', async () => {
	for (const [path, ready] of PAGES) {
		const { page, bytes, urls } = await firstLoad(browser, srv.base, path, ready);
		assert.ok(bytes < 100 * 1024, `${path}: ${bytes} bytes (${urls.length} requests)`);
		assert.deepEqual(await accessibility(page), [], path);
		assert.deepEqual(page.errors, [], path);
		await page.context().close();
	}
});

test('each staff screen is accessible and fits a phone', async () => {
	for (const [user, screens] of [['tiepnhan', ['#/tiep-nhan', '#/ho-so', '#/danh-gia']],
		['lanhdao', ['#/xu-ly', '#/dieu-hanh']]]) {
		const page = await newPage(browser, srv.base, { viewport: { width: 360, height: 740 } });
		await staffLogin(page, user);
		for (const s of screens) {
			await page.goto(`/canbo/${s}`);
			await page.locator('main h2').first().waitFor();
			await page.waitForLoadState('networkidle');
			assert.deepEqual(await accessibility(page), [], s);
			const wide = await page.evaluate(() => document.documentElement.scrollWidth);
			assert.ok(wide <= 360, `${s}: the page is ${wide} px wide`);
		}
		assert.deepEqual(page.errors, []);
		await page.context().close();
	}
});

test('an officer signs in and finds a procedure with the keyboard alone', async () => {
	const page = await newPage(browser, srv.base);
	await page.goto('/canbo/');
	await page.locator('input[name=username]').waitFor();
	/* The name field has the focus; before it, only the skip link. */
	assert.equal(await page.evaluate(() => document.activeElement.name), 'username');
	await page.keyboard.press('Shift+Tab');
	assert.equal(await page.evaluate(() => document.activeElement.className), 'skip');
	await page.keyboard.press('Tab');
	await page.keyboard.type('tiepnhan');
	await page.keyboard.press('Tab');
	assert.equal(await page.evaluate(() => document.activeElement.name), 'password');
	await page.keyboard.type('motcua-demo');
	await page.keyboard.press('Enter');
	await page.getByRole('heading', { name: 'Tiếp nhận hồ sơ' }).waitFor();
	/* Tab reaches the search; typing finds; Tab and Enter choose. */
	for (let i = 0; i < 20; i++) {
		if (await page.evaluate(() => document.activeElement.name) === 'proc_q')
			break;
		await page.keyboard.press('Tab');
	}
	assert.equal(await page.evaluate(() => document.activeElement.name), 'proc_q');
	await page.keyboard.type('ly lich tu phap');
	await page.locator('#proc-results button').first().waitFor();
	await page.keyboard.press('Tab');
	await page.keyboard.press('Enter');
	await page.locator('#proc-chosen', { hasText: 'Lý lịch tư pháp' }).waitFor();
	assert.deepEqual(page.errors, []);
	await page.context().close();
});
