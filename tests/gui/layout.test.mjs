// Issue 18, points 3 and 4: on a phone the first slide comes first (the step list folds behind a
// "Contents" control, the sticky header stays small), and on a laptop the current step is in sight
// in the sidebar. Every chapter page of both languages, in Debian's Chromium over file://.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'smol-toml';
import { fileUrl, recordedContext, repo, withSiteAndBrowser } from './support.mjs';

const env = withSiteAndBrowser();
const guide = parse(readFileSync(join(repo, 'content', 'guide.toml'), 'utf8'));
const pages = guide.languages.flatMap((lang) => guide.chapters.map((ch) => `${lang}/${ch.slug}.html`));
const CONTROL = 'nav.steps summary, nav.steps button[aria-expanded]';
const CURRENT = 'nav.steps a[aria-current="page"]';

/** The first slide heading's box, and how much of the header stays in view once the page is scrolled. */
function measure() {
  const heading = document.querySelector('section.slide .slide-heading').getBoundingClientRect();
  const header = document.querySelector('.site-header');
  const y = scrollY;
  window.scrollTo(0, document.documentElement.scrollHeight);
  const sticky = Math.max(0, header.getBoundingClientRect().bottom);
  window.scrollTo(0, y);
  return { top: heading.top, bottom: heading.bottom, sticky };
}

test('at 360×740 the first slide heading is in the first screen, and the sticky header takes at most 20 %', async () => {
  const { context, log } = await recordedContext(env.browser, env.site, { viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  for (const rel of pages) {
    await page.goto(fileUrl(`${env.site}/${rel}`));
    const m = await page.evaluate(measure);
    assert.ok(m.top >= 0 && m.top < 740 && m.bottom <= 740, `${rel}: first slide heading at ${m.top}–${m.bottom} px`);
    assert.ok(m.sticky <= 0.2 * 740, `${rel}: the sticky header takes ${m.sticky} px of 740`);
    assert.equal(await page.locator(CURRENT).isVisible(), false, `${rel}: the step list is closed at first`);
  }
  await context.close();
  assert.deepEqual(log.errors, []);
});

test('at 360×740 the Contents control opens and closes the step list by keyboard', async () => {
  const { context, log } = await recordedContext(env.browser, env.site, { viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  for (const rel of pages) {
    await page.goto(fileUrl(`${env.site}/${rel}`));
    const control = page.locator(CONTROL);
    assert.equal(await control.count(), 1, `${rel}: one Contents control`);
    assert.match(await control.innerText(), rel.startsWith('ja/') ? /目次/ : /Contents/, `${rel}: the control says what it opens`);
    const box = await control.boundingBox();
    assert.ok(box && box.y + box.height <= 740, `${rel}: the control is in the first screen`);
    await control.focus();
    await page.keyboard.press('Enter');
    assert.ok(await page.locator(CURRENT).isVisible(), `${rel}: Enter opens the list, the current step shows`);
    await page.keyboard.press('Space');
    assert.equal(await page.locator(CURRENT).isVisible(), false, `${rel}: Space closes it again`);
    await page.keyboard.press('Space');
    assert.ok(await page.locator(CURRENT).isVisible(), `${rel}: Space opens it`);
  }
  await context.close();
  assert.deepEqual(log.errors, []);
});

test('at 360×740 without JavaScript the step list is still reachable', async () => {
  const { context } = await recordedContext(env.browser, env.site, { viewport: { width: 360, height: 740 }, javaScriptEnabled: false });
  const page = await context.newPage();
  for (const rel of ['ja/certificate-password.html', 'en/apply.html', 'ja/index.html']) {
    await page.goto(fileUrl(`${env.site}/${rel}`));
    const m = await page.evaluate(measure);
    assert.ok(m.bottom <= 740, `${rel}: first slide heading at ${m.top}–${m.bottom} px`);
    await page.locator(CONTROL).click();
    assert.ok(await page.locator(CURRENT).isVisible(), `${rel}: the list opens`);
  }
  await context.close();
});

test('at 360×740 a #slide-N anchor lands just below the sticky part of the header', async () => {
  const { context, log } = await recordedContext(env.browser, env.site, { viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  for (const [i, ch] of guide.chapters.entries()) {
    const n = ch.first + 1; // every chapter has at least two slides
    for (const lang of guide.languages) {
      const rel = `${lang}/${ch.slug}.html`;
      await page.goto(`${fileUrl(`${env.site}/${rel}`)}#slide-${n}`);
      const r = await page.evaluate((id) => {
        const slide = document.getElementById(id).getBoundingClientRect();
        const header = document.querySelector('.site-header');
        const rest = document.documentElement.scrollHeight - (slide.top + scrollY);
        return { top: slide.top, headerBottom: Math.max(0, header.getBoundingClientRect().bottom), roomBelow: rest >= innerHeight };
      }, `slide-${n}`);
      assert.ok(r.top >= r.headerBottom - 1, `${rel}#slide-${n}: the slide starts at ${r.top}, under the header (${r.headerBottom})`);
      if (r.roomBelow) assert.ok(r.top < r.headerBottom + 40, `${rel}#slide-${n}: the slide starts at ${r.top}, just below the header (${r.headerBottom})`);
    }
    if (i > 3) break; // a few chapters suffice for the anchor offset
  }
  await context.close();
  assert.deepEqual(log.errors, []);
});

test('at 768×1024 the first slide heading is in the first screen', async () => {
  const { context } = await recordedContext(env.browser, env.site, { viewport: { width: 768, height: 1024 } });
  const page = await context.newPage();
  for (const rel of pages) {
    await page.goto(fileUrl(`${env.site}/${rel}`));
    const m = await page.evaluate(measure);
    assert.ok(m.top >= 0 && m.bottom <= 1024, `${rel}: first slide heading at ${m.top}–${m.bottom} px`);
  }
  await context.close();
});

// Without JavaScript the sidebar is still open (nothing scrolls it to the current step then).
for (const javaScriptEnabled of [true, false]) {
  test(`at 1280×800 the sidebar is open${javaScriptEnabled ? ', the current step in sight in it' : ' without JavaScript'}, the page not scrolled`, async () => {
    const { context, log } = await recordedContext(env.browser, env.site, { viewport: { width: 1280, height: 800 }, javaScriptEnabled });
    const page = await context.newPage();
    for (const rel of pages) {
      await page.goto(fileUrl(`${env.site}/${rel}`));
      assert.equal(await page.locator(CONTROL).isVisible(), false, `${rel}: no Contents control on a wide screen`);
      const r = await page.evaluate((sel) => {
        const a = document.querySelector(sel);
        let box = a.parentElement;
        while (box && !/(auto|scroll)/.test(getComputedStyle(box).overflowY)) box = box.parentElement;
        const b = (box || document.documentElement).getBoundingClientRect();
        const c = a.getBoundingClientRect();
        return { scrollY, a: [c.top, c.bottom], box: [b.top, b.bottom], visible: c.height > 0 };
      }, CURRENT);
      assert.equal(r.scrollY, 0, `${rel}: the page itself is not scrolled`);
      assert.ok(r.visible, `${rel}: the step list is open`);
      if (!javaScriptEnabled) continue;
      assert.ok(r.a[0] >= r.box[0] && r.a[1] <= r.box[1], `${rel}: current step at ${r.a}, sidebar shows ${r.box}`);
      assert.ok(r.a[0] >= 0 && r.a[1] <= 800, `${rel}: current step at ${r.a}, in the window`);
    }
    await context.close();
    assert.deepEqual(log.errors, []);
  });
}
