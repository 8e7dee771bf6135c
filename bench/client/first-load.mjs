// Bytes a phone transfers to open the client: the first load (everything, compressed, with the
// service worker's precache) and a repeat load. Drives Debian's Chromium at 360×640.
// Usage: node bench/client/first-load.mjs http://127.0.0.1:8080/   (needs client/node_modules)
import { chromium } from '../../client/node_modules/playwright-core/index.mjs';

const url = process.argv[2] ?? 'http://127.0.0.1:8080/';
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const context = await browser.newContext({ viewport: { width: 360, height: 640 } });
const page = await context.newPage();
const cdp = await context.newCDPSession(page);
await cdp.send('Network.enable');
let bytes = 0;
let requests = 0;
cdp.on('Network.loadingFinished', (e) => {
  bytes += e.encodedDataLength;
  requests += 1;
});
await page.goto(url, { waitUntil: 'networkidle' });
await page.waitForTimeout(1500); // the service worker finishes its precache
const first = { bytes, requests };
bytes = 0;
requests = 0;
await page.reload({ waitUntil: 'networkidle' });
await page.waitForTimeout(1000);
console.log(`first load:  ${first.bytes} bytes in ${first.requests} requests`);
console.log(`repeat load: ${bytes} bytes over the network for ${requests} requests (the service worker answers them)`);
await browser.close();
