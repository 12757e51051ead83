// vneid.test.mjs — a citizen signs in to the portal with VNeID, in a real
// chromium, through a real OpenID provider (tests/fixtures/op: panva's
// oidc-provider, as the national portal's single sign-on is documented):
// the portal offers the button because the provider is configured; the
// provider's pages sign the citizen in and ask consent; back at the
// portal the ticket is traded for a session and the citizen sees their
// dossiers. Declining brings them back told why.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { startServer, startBrowser, newPage, freePort } from './lib.mjs';

const CLIENT = 'motcua-qng', SECRET = 'bi-mat-vneid';
const here = dirname(fileURLToPath(import.meta.url));
let srv, browser, op;

async function startProvider(port, redirect) {
	const child = spawn(process.execPath, [join(here, '..', 'fixtures', 'op', 'op.mjs'),
		String(port), CLIENT, SECRET, redirect], { stdio: ['ignore', 'pipe', 'inherit'] });
	await new Promise((resolve, reject) => {
		let out = '';
		child.stdout.on('data', (d) => {
			out += d;
			if (out.includes('listening'))
				resolve();
		});
		child.once('exit', (c) => reject(new Error(`the provider exited (${c})`)));
	});
	return child;
}

before(async () => {
	const port = await freePort(), opPort = await freePort();
	const base = `http://127.0.0.1:${port}`;
	op = await startProvider(opPort, `${base}/api/v1/citizen/oidc/callback`);
	srv = await startServer({ args: ['--listen', `127.0.0.1:${port}`, '--public-url', base,
		'--oidc-issuer', `http://127.0.0.1:${opPort}`, '--oidc-client-id', CLIENT,
		'--oidc-client-secret', SECRET, '--oidc-timeout', '5s'] });
	browser = await startBrowser();
});

after(async () => {
	await browser?.close();
	assert.equal(await srv?.stop(), 0);
	op?.kill();
});

async function toProvider(page) {
	await page.goto('/dichvucong/#/ho-so');
	/* Not signed in: asked to; VNeID offered (configured), no SMS here. */
	await page.getByRole('heading', { name: 'Đăng nhập bằng VNeID' }).waitFor();
	assert.equal(await page.getByLabel('Số định danh cá nhân').count(), 0);
	await page.getByRole('link', { name: 'Đăng nhập bằng tài khoản VNeID' }).click();
	await page.locator('input[name=login]').waitFor();
}

test('signed in with VNeID, the citizen sees their dossiers', async () => {
	const page = await newPage(browser, srv.base, { viewport: { width: 360, height: 740 } });
	await toProvider(page);
	await page.locator('input[name=login]').fill('vneid-001');
	await page.locator('input[name=password]').fill('mat-khau');
	await page.locator('button[type=submit]').click();
	await page.getByRole('button', { name: /continue/i }).click();
	/* Back at the portal, signed in, where they were going. */
	await page.getByRole('heading', { name: 'Hồ sơ của tôi' }).waitFor();
	await page.getByRole('button', { name: 'Đăng xuất' }).waitFor();
	assert.match(await page.locator('#who').textContent(), /Nguyễn Thị Định Danh/);
	assert.equal(new URL(page.url()).search, '');
	assert.deepEqual(page.errors, []);
	await page.context().close();
});

test('declined at the provider: back, told why, not signed in', async () => {
	const page = await newPage(browser, srv.base);
	await toProvider(page);
	await page.locator('input[name=login]').fill('vneid-001');
	await page.locator('input[name=password]').fill('mat-khau');
	await page.locator('button[type=submit]').click();
	const abort = page.getByRole('link', { name: /cancel|abort/i });
	await abort.click();
	await page.getByText('Bạn đã không đồng ý đăng nhập bằng VNeID.').waitFor();
	assert.equal(await page.getByRole('button', { name: 'Đăng xuất' }).count(), 0);
	await page.context().close();
});
