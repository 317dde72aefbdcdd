// The recipe for tebiki's screen mock-ups: renders each images/mockups/NAME.html to images/NAME.png
// in Debian's Chromium (the same browser the tests use), at the size in <body data-size="WxH">, and
// prints the centre of each [data-spot] element in percent of the picture, for writing callouts.
//   node images/mockups/render.mjs            (after npm ci)
//   node images/mockups/render.mjs DIR        (the recipes in DIR instead, e.g. the starter guide's
//                                              src/starter/images/mockups; pictures go to DIR/..)
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const here = process.argv[2] ? resolve(process.argv[2]) : import.meta.dirname;
const out = resolve(here, '..');
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--font-render-hinting=none'],
});
for (const file of readdirSync(here).filter((f) => f.endsWith('.html')).sort()) {
  const name = file.replace(/\.html$/, '');
  const size = /data-size="(\d+)x(\d+)"/.exec(readFileSync(join(here, file), 'utf8'));
  if (!size) throw new Error(`${file}: <body data-size="WxH"> is missing`);
  const [width, height] = [Number(size[1]), Number(size[2])];
  const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: 1 });
  await page.goto(pathToFileURL(join(here, file)).href);
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: join(out, `${name}.png`) });
  const spots = await page.$$eval('[data-spot]', (els) => els.map((e) => {
    const r = e.getBoundingClientRect();
    return `${e.dataset.spot}: x = ${(100 * (r.left + r.width / 2) / innerWidth).toFixed(1)}, y = ${(100 * (r.top + r.height / 2) / innerHeight).toFixed(1)}, left edge x = ${(100 * r.left / innerWidth).toFixed(1)}, box w = ${(100 * r.width / innerWidth).toFixed(1)}, top y = ${(100 * r.top / innerHeight).toFixed(1)}, h = ${(100 * r.height / innerHeight).toFixed(1)}`;
  }));
  console.log(`${join(out, name)}.png (${width}×${height})\n  ${spots.join('\n  ')}`);
  await page.close();
}
await browser.close();
