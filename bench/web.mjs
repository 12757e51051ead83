// web.mjs — first loads of the web application's pages on a throttled
// 3G line (Chrome DevTools' "Fast 3G": 562.5 ms round trip, 1.44 Mbit/s
// down, 675 kbit/s up), in Debian's chromium against the motcua built
// here: the time until each page is usable (the element it is used by
// shown: for the citizen portal, the catalog's fields, an API answer)
// and the bytes sent. Median of BENCH_RUNS
// (default 7) runs, each in a fresh profile (nothing cached).
//
//   MOTCUA_BIN=build/motcua MOTCUA_WEB=web node bench/web.mjs
import { startServer, startBrowser, newPage } from '../tests/browser/lib.mjs';

const RUNS = Number(process.env.BENCH_RUNS || 7);
const PAGES = [
	['/', 'a[href="/canbo/"]'],
	['/canbo/', 'input[name=username]'],
	['/dichvucong/', '#fields li'],
	['/tra-cuu/000.00.01.H51-260302-0001', 'input[name=phone_last4]'],
];

const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

const srv = await startServer();
const browser = await startBrowser();
try {
	console.log('page                                   usable (ms, median)   min    max   bytes');
	for (const [path, ready] of PAGES) {
		const times = [];
		let bytes = 0;
		for (let i = 0; i < RUNS; i++) {
			const page = await newPage(browser, srv.base);
			const cdp = await page.context().newCDPSession(page);
			await cdp.send('Network.enable');
			await cdp.send('Network.emulateNetworkConditions', {
				offline: false, latency: 562.5,
				downloadThroughput: 1.44 * 1000 * 1000 / 8,
				uploadThroughput: 675 * 1000 / 8,
			});
			let n = 0;
			cdp.on('Network.loadingFinished', (e) => { n += e.encodedDataLength; });
			const t0 = Date.now();
			await page.goto(path, { waitUntil: 'commit' });
			await page.locator(ready).first().waitFor({ timeout: 30000 });
			times.push(Date.now() - t0);
			await page.waitForLoadState('networkidle');
			bytes = n;
			await page.context().close();
		}
		console.log(`${path.padEnd(40)} ${String(median(times)).padStart(8)}            ` +
			`${String(Math.min(...times)).padStart(5)} ${String(Math.max(...times)).padStart(6)} ${String(bytes).padStart(7)}`);
	}
} finally {
	await browser.close();
	await srv.stop();
}
