// Opens a self-contained HTML page (e.g. `northstar report --format html`) in headless Chromium
// and saves a screenshot: node scripts/screenshot-html.mjs <page.html> <out.png> [width] [selector]
// Uses Debian's /usr/bin/chromium through playwright-core, found as test/e2e/lib.mjs finds it
// (NORTHSTAR_PLAYWRIGHT_CORE, the repo's node_modules, or scripts/e2e/install.sh's cache).
// The page may not make any request: every one is refused and reported.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchBrowser } from '../test/e2e/lib.mjs';

const [page, out, width = '1400', selector] = process.argv.slice(2);
if (!page || !out) {
  console.error('usage: node scripts/screenshot-html.mjs <page.html> <out.png> [width] [selector]');
  process.exit(2);
}
const browser = await launchBrowser();
try {
  const context = await browser.newContext({ viewport: { width: Number(width), height: 900 }, deviceScaleFactor: 1, locale: 'en-US' });
  const tab = await context.newPage();
  const url = pathToFileURL(path.resolve(page)).href;
  const requests = [];
  await tab.route('**/*', (route) => {
    if (route.request().url() === url) return route.continue();
    requests.push(route.request().url());
    return route.abort();
  });
  await tab.goto(url);
  if (selector) await tab.locator(selector).first().screenshot({ path: out });
  else await tab.screenshot({ path: out, fullPage: true });
  if (requests.length) {
    console.error(`the page asked for ${requests.length} resources: ${requests.join(', ')}`);
    process.exitCode = 1;
  }
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
}
