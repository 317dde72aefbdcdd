// The note on a translation behind its source, in Chromium: on a copy of the basic fixture whose
// Japanese slide 3 was edited after its English translation recorded it, the English slide 3 shows
// the note at its top, visible at a phone's and a desktop's width, with a link that leads to the
// Japanese slide; axe finds no violation and every text's contrast is decided and enough, light and
// dark, on the chapter page and on the print page's note (the bundled guide, which a11y.test.mjs checks, has
// no translation behind).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { axeWithContrast, buildSite, fileUrl, launch, recordedContext, repo } from './support.mjs';

let site, browser;
before(async () => {
  const root = mkdtempSync(join(tmpdir(), 'tebiki-behind-'));
  cpSync(join(repo, 'tests/testsuite/build/basic'), root, { recursive: true });
  const source = join(root, 'content/slides/003-prepare.ja.md');
  const text = readFileSync(source, 'utf8');
  assert.ok(text.includes('「ログイン」'));
  writeFileSync(source, text.replace('「ログイン」', '「サインイン」'));
  site = buildSite(root);
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const WINDOWS = [[360, 740], [1280, 800]];

for (const [width, height] of WINDOWS) {
  test(`at ${width}×${height}: the note is visible at the top of slide 3, inside the window, and axe finds nothing, light and dark`, async () => {
    const context = await browser.newContext({ bypassCSP: true, viewport: { width, height } });
    const page = await context.newPage();
    for (const rel of ['en/setup.html', 'en/print.html']) {
      await page.goto(fileUrl(`${site}/${rel}`));
      const notes = page.locator('.translation-note');
      assert.equal(await notes.count(), 1, `${rel}: one note`);
      const note = page.locator('#slide-3 .translation-note');
      await note.scrollIntoViewIfNeeded();
      assert.ok(await note.isVisible(), `${rel}: the note is visible`);
      const box = await note.boundingBox();
      assert.ok(box.height >= 24 && box.x >= 0 && box.x + box.width <= width, `${rel}: inside the window: ${JSON.stringify(box)}`);
      // Right under the slide's heading, before its body.
      const order = await page.evaluate(() => {
        const slide = document.querySelector('#slide-3');
        return [...slide.children].map((el) => el.className || el.tagName.toLowerCase());
      });
      assert.deepEqual(order.slice(1, 3), ['translation-note', 'slide-body'], `${rel}: ${order}`);
      for (const scheme of ['light', 'dark']) {
        await page.emulateMedia({ colorScheme: scheme });
        // The whole chapter page; of the print page, the note (the fixture's code block on slide 5
        // has code colours of its own, which are not this test's subject).
        const seen = await axeWithContrast(page, rel.endsWith('print.html') ? '.translation-note' : undefined);
        const where = `${rel} at ${width} (${scheme})`;
        assert.deepEqual(seen.violations, [], where);
        assert.deepEqual(seen.undecided, [], `${where}: every text's contrast decided`);
        assert.deepEqual(seen.low, [], `${where}: enough contrast`);
      }
      // The note's border and text stay in forced colours (Windows high contrast).
      await page.emulateMedia({ colorScheme: 'light', forcedColors: 'active' });
      const border = await note.evaluate((el) => getComputedStyle(el).borderLeftStyle);
      assert.equal(border, 'solid', `${rel}: the note keeps its border in forced colours`);
      await page.emulateMedia({ forcedColors: 'none' });
    }
    await context.close();
  });
}

test('the note\'s link leads to the Japanese slide 3, in Japanese', async () => {
  const { context, log } = await recordedContext(browser, site);
  const page = await context.newPage();
  await page.goto(fileUrl(`${site}/en/setup.html`));
  const link = page.locator('#slide-3 .translation-note a');
  assert.equal(await link.getAttribute('hreflang'), 'ja');
  assert.match(await link.innerText(), /See the original: slide 3 in 日本語/);
  await Promise.all([page.waitForURL(/\/ja\/setup\.html#slide-3$/), link.click()]);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'ja');
  assert.equal(await page.evaluate(() => document.querySelector(':target')?.id), 'slide-3');
  assert.equal(await page.locator('.translation-note').count(), 0, 'the source has no note');
  assert.deepEqual(log.outside, []);
  assert.deepEqual(log.errors, []);
  await context.close();
});
