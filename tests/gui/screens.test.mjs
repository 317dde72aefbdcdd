// Screens in the browser: each callout sits on its spot of the picture at phone, tablet and desktop
// widths and in print, and stays visible in Windows high-contrast (forced colors) mode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileUrl, recordedContext, withSiteAndBrowser } from './support.mjs';

const env = withSiteAndBrowser();

const pages = ['ja/certificate.html', 'en/certificate.html', 'ja/software.html', 'en/print.html'];

/** For every callout on the page: how far its circle's centre is from where it belongs. */
async function callouts(page) {
  return page.$$eval('figure.screen', (figures) => figures.flatMap((figure) => {
    const img = figure.querySelector('img').getBoundingClientRect();
    return [...figure.querySelectorAll('g.callout')].map((g) => {
      const circle = g.querySelector('circle');
      const r = circle.getBoundingClientRect();
      const want = {
        x: img.left + (parseFloat(circle.getAttribute('cx')) / 100) * img.width,
        y: img.top + (parseFloat(circle.getAttribute('cy')) / 100) * img.height,
      };
      return {
        callout: g.dataset.callout,
        dx: Math.abs(r.left + r.width / 2 - want.x),
        dy: Math.abs(r.top + r.height / 2 - want.y),
        size: r.width,
        imgWidth: img.width,
      };
    });
  }));
}

for (const width of [360, 768, 1280]) {
  test(`callouts sit on their spots at ${width} px`, async () => {
    const { context, log } = await recordedContext(env.browser, env.site);
    const page = await context.newPage();
    await page.setViewportSize({ width, height: 900 });
    let total = 0;
    for (const rel of pages) {
      await page.goto(fileUrl(`${env.site}/${rel}`));
      const marks = await callouts(page);
      total += marks.length;
      for (const m of marks) {
        assert.ok(m.dx < 1.5 && m.dy < 1.5, `${rel} callout ${m.callout}: off by ${m.dx.toFixed(1)}, ${m.dy.toFixed(1)} px`);
        assert.ok(m.size >= 28, `${rel} callout ${m.callout}: ${m.size} px is too small to see`);
        assert.ok(m.imgWidth <= width, `${rel}: the picture (${m.imgWidth} px) is wider than the window`);
      }
      const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(scroll <= width, `${rel}: horizontal scrolling at ${width} px (${scroll})`);
    }
    assert.ok(total >= 10, `callouts checked: ${total}`);
    await context.close();
    assert.deepEqual(log.outside, []);
    assert.deepEqual(log.errors, []);
  });
}

test('callouts sit on their spots in print', async () => {
  const { context } = await recordedContext(env.browser, env.site);
  const page = await context.newPage();
  await page.setViewportSize({ width: 720, height: 1000 });
  await page.emulateMedia({ media: 'print' });
  for (const rel of ['ja/print.html', 'en/print.html']) {
    await page.goto(fileUrl(`${env.site}/${rel}`));
    const marks = await callouts(page);
    assert.ok(marks.length >= 8, `${rel}: ${marks.length} callouts`);
    for (const m of marks) assert.ok(m.dx < 1.5 && m.dy < 1.5, `${rel} callout ${m.callout}: off by ${m.dx}, ${m.dy}`);
    const hidden = await page.$$eval('.screen-full', (links) => links.filter((a) => getComputedStyle(a).display !== 'none').length);
    assert.equal(hidden, 0, 'the full-size links are not printed');
  }
  await context.close();
});

test('callouts stay visible in forced-colors mode', async () => {
  const { context } = await recordedContext(env.browser, env.site);
  const page = await context.newPage();
  await page.emulateMedia({ forcedColors: 'active' });
  await page.goto(fileUrl(`${env.site}/ja/certificate.html`) + '#slide-14');
  const styles = await page.$eval('g.callout', (g) => ({
    circle: getComputedStyle(g.querySelector('circle')).fill,
    text: getComputedStyle(g.querySelector('text')).fill,
    stroke: getComputedStyle(g.querySelector('circle')).stroke,
  }));
  assert.notEqual(styles.circle, 'none');
  assert.notEqual(styles.circle, styles.text, 'the number stands out from its disc');
  assert.notEqual(styles.circle, styles.stroke, 'the disc has an outline');
  await context.close();
});
