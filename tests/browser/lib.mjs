// lib.mjs — what every browser test starts from: a real motcua (the binary
// CMake built) seeded with the demo province in a fresh SQLite file of its
// own, serving web/ on a loopback port, and Debian's chromium driven by
// playwright-core. Nothing is mocked: the pages talk to the real API.
//
// Environment (set by tests/CMakeLists.txt): MOTCUA_BIN, the binary;
// MOTCUA_WEB, the web root; CHROMIUM, the browser (default
// /usr/bin/chromium).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync, existsSync }
	from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';

const bin = process.env.MOTCUA_BIN;
const web = process.env.MOTCUA_WEB;

export const PASSWORD = 'motcua-demo';

// Starts motcua on a fresh demo database; 'args' are more serve options.
export async function startServer({ dossiers = 30, args = [], env = {} } = {}) {
	if (!bin || !web)
		throw new Error('MOTCUA_BIN and MOTCUA_WEB must be set');
	const dir = mkdtempSync(join(tmpdir(), 'motcua-browser-'));
	const db = join(dir, 'motcua.db');
	/* motcua refuses MOTCUA_* variables that are not its settings. */
	const { MOTCUA_BIN: _b, MOTCUA_WEB: _w, ...inherited } = process.env;
	const e = {
		...inherited,
		// Fast password hashing: the demo accounts sign in often.
		MOTCUA_PASSWORD_MEMORY: '64k',
		MOTCUA_PASSWORD_OPS: '1',
		...env,
	};
	execFileSync(bin, ['demo', '--db', db, '--dossiers', String(dossiers)],
		{ cwd: dir, env: e, stdio: 'pipe' });
	const log = join(dir, 'serve.log');
	const out = openSync(log, 'w');
	/* A test that must know the port first (a callback) names it. */
	const listen = args.includes('--listen') ? [] : ['--listen', '127.0.0.1:0'];
	const child = spawn(bin, ['serve', '--db', db, ...listen,
		'--web-root', web, ...args], { cwd: dir, env: e,
		stdio: ['ignore', out, out] });
	closeSync(out);
	let base = null;
	for (let i = 0; i < 3000 && !base; i++) {
		const text = existsSync(log) ? readFileSync(log, 'utf8') : '';
		const m = text.match(/"msg":"listening","address":"([^"]+)"/);
		if (m)
			base = `http://${m[1]}`;
		else if (child.exitCode !== null)
			throw new Error(`motcua serve exited: ${text}`);
		else
			await sleep(20);
	}
	if (!base)
		throw new Error('motcua serve did not start listening');
	return {
		base, dir, db, log,
		// Stops motcua (SIGTERM, as systemd would) and removes its files.
		async stop() {
			if (child.exitCode === null) {
				const done = new Promise((r) => child.once('exit', r));
				child.kill('SIGTERM');
				await done;
			}
			rmSync(dir, { recursive: true, force: true });
			return child.exitCode;
		},
	};
}

// Debian's chromium, headless; one context per test keeps storage apart.
export async function startBrowser() {
	return chromium.launch({
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		headless: true,
		// Root in a container has no user namespaces for the sandbox.
		args: ['--no-sandbox', '--disable-dev-shm-usage'],
	});
}

// A page in a new context (desktop unless 'viewport' says otherwise);
// failed requests and page errors are collected for the test to check.
export async function newPage(browser, base, { viewport, offline } = {}) {
	const context = await browser.newContext({
		baseURL: base,
		viewport: viewport || { width: 1280, height: 860 },
		locale: 'vi-VN',
		timezoneId: 'Asia/Ho_Chi_Minh',
		acceptDownloads: true,
	});
	if (offline)
		await context.setOffline(true);
	const page = await context.newPage();
	page.errors = [];
	page.on('pageerror', (e) => page.errors.push(String(e)));
	/* Answers of 4xx/5xx the page handles are not errors of the page. */
	page.on('console', (m) => {
		if (m.type() === 'error' && !/^Failed to load resource/.test(m.text()))
			page.errors.push(m.text());
	});
	page.setDefaultTimeout(15000);
	return page;
}

// Signs a staff account in through the sign-in form.
export async function staffLogin(page, username) {
	await page.goto('/canbo/');
	await page.getByLabel('Tên đăng nhập').fill(username);
	await page.getByLabel('Mật khẩu').fill(PASSWORD);
	await page.getByRole('button', { name: 'Đăng nhập' }).click();
	await page.getByRole('button', { name: 'Đăng xuất' }).waitFor();
}

// The API itself, for what a test checks behind the pages.
export async function api(base, method, path, { token, body } = {}) {
	const res = await fetch(base + path, {
		method,
		headers: {
			...(token ? { Authorization: `Bearer ${token}` } : {}),
			...(body ? { 'Content-Type': 'application/json' } : {}),
		},
		body: body ? JSON.stringify(body) : undefined,
	});
	const text = await res.text();
	let json = null;
	try { json = JSON.parse(text); } catch { /* not JSON */ }
	return { status: res.status, json, text };
}

export async function token(base, username) {
	const r = await api(base, 'POST', '/api/v1/auth/login',
		{ body: { username, password: PASSWORD } });
	if (r.status !== 200)
		throw new Error(`login ${username}: ${r.status} ${r.text}`);
	return r.json.token;
}

// An SMS gateway on loopback speaking motcua's protocol
// (docs/notifications.md#sms-gateway): every message kept, a repeated
// idempotency key answered 409 with the first id.
export async function startSmsGateway() {
	const { createServer } = await import('node:http');
	const messages = [];
	const keys = new Map();
	const server = createServer((req, res) => {
		let body = '';
		req.on('data', (c) => { body += c; });
		req.on('end', () => {
			let m = null;
			try { m = JSON.parse(body); } catch { m = null; }
			if (!m || !m.to || !m.text || !m.idempotency_key) {
				res.writeHead(400, { 'Content-Type': 'application/json' });
				res.end('{"error": "to, text and idempotency_key are required"}');
				return;
			}
			const seen = keys.get(m.idempotency_key);
			res.writeHead(seen ? 409 : 200, { 'Content-Type': 'application/json' });
			if (!seen) {
				const id = `sms-${messages.length + 1}`;
				keys.set(m.idempotency_key, id);
				messages.push({ ...m, id });
			}
			res.end(JSON.stringify({ id: seen || keys.get(m.idempotency_key) }));
		});
	});
	await new Promise((r) => server.listen(0, '127.0.0.1', r));
	return {
		url: `http://127.0.0.1:${server.address().port}/send`,
		messages,
		// The newest one-time code sent to 'phone' after 'since' messages.
		async code(phone, since = 0) {
			for (let i = 0; i < 300; i++) {
				const m = messages.slice(since).reverse().find((x) =>
					x.to === phone && x.idempotency_key.startsWith('otp/'));
				const c = m && /(\d{6})/.exec(m.text);
				if (c)
					return c[1];
				await sleep(50);
			}
			throw new Error(`no one-time code reached ${phone}`);
		},
		stop: () => new Promise((r) => server.close(r)),
	};
}

// WCAG 2.1 A and AA violations on the page as it stands (axe-core).
export async function accessibility(page) {
	const { createRequire } = await import('node:module');
	const require = createRequire(import.meta.url);
	/* Evaluated by the driver: the page's CSP forbids inline scripts. */
	await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
	const r = await page.evaluate(() => window.axe.run(document, {
		runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
	}));
	return r.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.slice(0, 3)
		.map((n) => n.target.join(' ')).join('; ')}`);
}

// Bytes a page's first load transfers (as sent: headers and bodies),
// counted by chromium itself; resolves once 'ready' is visible and the
// network is idle.
export async function firstLoad(browser, base, path, ready, { viewport } = {}) {
	const page = await newPage(browser, base, { viewport });
	const cdp = await page.context().newCDPSession(page);
	await cdp.send('Network.enable');
	let bytes = 0;
	const urls = [];
	cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
	cdp.on('Network.requestWillBeSent', (e) => urls.push(e.request.url));
	await page.goto(path, { waitUntil: 'networkidle' });
	await page.locator(ready).first().waitFor();
	await page.waitForLoadState('networkidle');
	return { page, bytes, urls };
}

// A TCP port nobody listens on now (for a server that must be told its
// own address before it starts).
export async function freePort() {
	const { createServer } = await import('node:net');
	const srv = createServer();
	await new Promise((r) => srv.listen(0, '127.0.0.1', r));
	const { port } = srv.address();
	await new Promise((r) => srv.close(r));
	return port;
}
