// Accessibility (JIS X 8341-3:2016 AA, aiming at WCAG 2.2 AA), proven in Chromium: axe-core on every
// page at a phone's and a desktop's width in both colour schemes, with the contrast of every text
// decided (tests/gui/contrast.js), the Nu HTML Checker, the keyboard, reflow, forced colours,
// Japanese typography and semantics. The results go to accessibility-results.toml, which the next
// build shows on the accessibility pages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { axeWithContrast, buildEditionSite, buildSite, fileUrl, htmlErrors, htmlPages, launch, recordedContext, repo } from './support.mjs';

let site, editions, browser;
// Every page of the bundled guide (its first edition) is checked, and every page of a fixture with
// a previous edition, which shows what only such a guide has: the changes page and the marks (and
// a code block).
const results = { pages: 0, rules: new Set(), violations: 0, htmlErrors: 0, axe: '' };
before(async () => {
  site = buildSite();
  editions = buildEditionSite();
  browser = await launch();
});
after(async () => {
  const vnu = execFileSync('java', ['-jar', join(repo, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar'), '--version']).toString().trim();
  const lines = [
    '# Written by tests/gui/a11y.test.mjs; shown on the accessibility pages by the next build.',
    `date = "${new Date().toISOString().slice(0, 10)}"`,
    `browser = "Chromium ${browser.version()}"`,
    `axe = "${results.axe}"`,
    `vnu = "${vnu}"`,
    `pages = ${results.pages}`,
    `rules = ${results.rules.size}`,
    `violations = ${results.violations}`,
    `html-errors = ${results.htmlErrors}`,
  ];
  if (results.pages > 0) writeFileSync(join(repo, 'accessibility-results.toml'), lines.join('\n') + '\n');
  await browser?.close();
});

// axe-core on every page at a phone's and a desktop's width, in both colour schemes: no violation,
// and the contrast of every text decided (none left for a person to judge) and at least 4.5:1 (3:1
// for large text). axe decides the page's text; the numbers drawn in SVG over the screen pictures,
// which it cannot read, are decided by tests/gui/contrast.js from what is painted under them. Each
// page is loaded once per width and checked in the light scheme, then in the dark.
const WINDOWS = [[360, 740], [1280, 800]];
for (const [width, height] of WINDOWS) {
  test(`axe-core at ${width}×${height}, light and dark: no violation, every text's contrast decided and enough`, async () => {
    const context = await browser.newContext({ bypassCSP: true, viewport: { width, height } });
    const page = await context.newPage();
    const pages = [...htmlPages(site).map((rel) => [site, rel]), ...htmlPages(editions).map((rel) => [editions, rel])];
    const runs = { light: newRun(), dark: newRun() };
    for (const [dir, rel] of pages) {
      await page.goto(fileUrl(`${dir}/${rel}`));
      // The step list opened where it folds behind its Contents button, so its entries are checked
      // on a phone too.
      await page.evaluate(() => {
        const list = document.querySelector('nav.steps details');
        if (list && getComputedStyle(list.querySelector('summary')).display !== 'none') list.open = true;
      });
      for (const scheme of ['light', 'dark']) {
        await page.emulateMedia({ colorScheme: scheme });
        tally(runs[scheme], `${dir === site ? '' : 'edition fixture: '}${rel} (${scheme})`, await axeWithContrast(page));
      }
    }
    await context.close();
    results.pages = pages.length;
    const ratio = (r) => (r === Infinity ? '-' : `${r.toFixed(2)}:1`);
    for (const [scheme, seen] of Object.entries(runs)) {
      results.violations += seen.found.length;
      console.log(`# axe (${scheme}, ${width}×${height}): ${pages.length} pages, ${results.rules.size} rules run, ${seen.found.length} violations; for a person to review: ${[...seen.review].map(([id, n]) => `${id} (${n})`).join(', ') || 'nothing'}`);
      console.log(`# contrast (${scheme}, ${width}×${height}): ${seen.checked} text nodes checked by axe: ${seen.byAxe} decided (lowest ${ratio(seen.min)}; ${seen.inView} looked at again, scrolled into view), ${seen.hidden} never in sight (visually hidden), ${seen.axeUndecided} left undecided; worked out here: ${seen.svg} SVG numbers (lowest ${ratio(seen.svgMin)}; ${seen.svgHidden} partly under another mark), ${seen.placeholders} placeholders (lowest ${ratio(seen.placeholderMin)}); undecided: ${seen.undecided.length}; too low: ${seen.low.length}`);
    }
    const all = (key) => [...runs.light[key], ...runs.dark[key]];
    assert.deepEqual(all('found'), []);
    assert.deepEqual(all('undecided'), [], 'every text has a background whose contrast is decided');
    assert.deepEqual(all('low'), [], 'every text has enough contrast');
  });
}

test('contrast of text shown on demand: the checker\'s verdicts and the search results, light and dark, at 360 and 1280', async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  const seen = newRun();
  for (const [width, height] of WINDOWS) {
    await page.setViewportSize({ width, height });
    await page.goto(fileUrl(`${site}/ja/checker.html`));
    await page.locator('[data-check="office-user-id"]').first().fill('KJ123456789012');
    await page.locator('[data-check="password"]').first().fill('abc');
    await page.locator('[data-check="office-number"]').first().fill('2798765432');
    const states = await page.$$eval('[data-check-status]', (all) => all.map((s) => s.dataset.state));
    for (const state of ['valid', 'caution', 'invalid']) assert.ok(states.includes(state), `a ${state} verdict shown: ${states}`);
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme });
      tally(seen, `ja/checker.html at ${width} (${scheme})`, await axeWithContrast(page));
    }
    await page.goto(fileUrl(`${site}/ja/certificate.html`));
    await page.locator('input[type="search"]').pressSequentially('証明書', { delay: 2 });
    await page.locator('[data-search-results] li').first().waitFor();
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme });
      tally(seen, `search results at ${width} (${scheme})`, await axeWithContrast(page, '[data-search-results]'));
    }
  }
  await context.close();
  console.log(`# contrast on demand: ${seen.checked} text nodes checked by axe, ${seen.byAxe} decided (lowest ${seen.min.toFixed(2)}:1); undecided: ${seen.undecided.length}; too low: ${seen.low.length}`);
  assert.ok(seen.checked > 20, `${seen.checked} text nodes checked`);
  assert.deepEqual(seen.found, []);
  assert.deepEqual(seen.undecided, [], 'every text has a background whose contrast is decided');
  assert.deepEqual(seen.low, [], 'every text has enough contrast');
});

function newRun() {
  return { review: new Map(), found: [], undecided: [], low: [], checked: 0, byAxe: 0, inView: 0, hidden: 0, axeUndecided: 0, svg: 0, svgHidden: 0, placeholders: 0, min: Infinity, svgMin: Infinity, placeholderMin: Infinity };
}

/** Adds one page's summary from axeWithContrast to the figures of a run. */
function tally(seen, rel, r) {
  results.axe = r.axe;
  for (const id of r.rules) results.rules.add(id);
  for (const [id, n] of r.review) seen.review.set(id, (seen.review.get(id) || 0) + n);
  seen.found.push(...r.violations.map((v) => `${rel}: ${v}`));
  seen.undecided.push(...r.undecided.map((u) => `${rel}: ${u}`));
  seen.low.push(...r.low.map((u) => `${rel}: ${u}`));
  for (const key of ['checked', 'byAxe', 'inView', 'hidden', 'axeUndecided', 'svgHidden']) seen[key] += r[key];
  seen.svg += r.svgTexts;
  seen.placeholders += r.placeholders;
  seen.placeholderMin = Math.min(seen.placeholderMin, r.placeholderMinRatio);
  seen.min = Math.min(seen.min, r.minRatio);
  seen.svgMin = Math.min(seen.svgMin, r.svgMinRatio);
}

test('the Nu HTML Checker finds no error', () => {
  const files = [...htmlPages(site).map((rel) => join(site, rel)), ...htmlPages(editions).map((rel) => join(editions, rel))];
  const errors = htmlErrors(files);
  results.htmlErrors = errors.length;
  console.log(`# vnu: ${files.length} pages, ${errors.length} errors`);
  assert.deepEqual(errors, []);
});

test('edition marks: words by the slide number, in the heading, visible at 360 px and in forced colours', async () => {
  for (const forcedColors of ['none', 'active']) {
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 360, height: 740 }, forcedColors });
    const page = await context.newPage();
    for (const [rel, id, name] of [
      ['ja/index.html', 'slide-2', 'スライド2 この版で更新 全体の流れ'],
      ['en/finish.html', 'slide-6', 'Slide 6 New in this edition If something goes wrong'],
      ['ja/print.html', 'slide-6', 'スライド6 この版で追加 困ったときは'],
    ]) {
      await page.goto(`${fileUrl(`${editions}/${rel}`)}#${id}`);
      // A screen reader reads the mark with the slide's number and title (the sign before it is
      // not read).
      assert.equal(await page.getByRole('heading', { name, exact: true }).count(), 1, `${rel}: heading "${name}"`);
      const mark = await page.$eval(`#${id}-title .edition-mark`, (m) => {
        const r = m.getBoundingClientRect();
        const s = getComputedStyle(m);
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, border: s.borderTopStyle, borderWidth: parseFloat(s.borderTopWidth), seen: m.contains(hit), visibility: s.visibility };
      });
      assert.ok(mark.width > 20 && mark.left >= 0 && mark.right <= 360, `${rel}: the mark fits the window (${mark.left}–${mark.right})`);
      assert.ok(mark.top >= 0 && mark.bottom <= 740 && mark.seen && mark.visibility === 'visible', `${rel}: the mark is in sight, not covered`);
      assert.ok(mark.border === 'dashed' && mark.borderWidth >= 2, `${rel}: a dashed box, not a colour alone (${forcedColors})`);
      if (forcedColors === 'none') {
        for (const scheme of ['light', 'dark']) {
          await page.emulateMedia({ colorScheme: scheme });
          const r = await axeWithContrast(page, `#${id}-title`);
          assert.deepEqual([...r.violations, ...r.undecided, ...r.low], [], `${rel} (${scheme}): the slide's heading with its mark passes axe`);
        }
        await page.emulateMedia({ colorScheme: 'light' });
      }
    }
    // Only the updated and new slides carry one.
    await page.goto(fileUrl(`${editions}/ja/print.html`));
    const marked = await page.$$eval('.slide .edition-mark', (all) => all.map((m) => m.closest('.slide').id));
    assert.deepEqual(marked, ['slide-2', 'slide-6']);
    await context.close();
  }
});

test('keyboard: a skip link first, then every control in order, focus always visible and never under the header', async () => {
  const { context } = await recordedContext(browser, site);
  const page = await context.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(fileUrl(`${site}/ja/certificate.html`));
  const seen = [];
  // Every focus stop of the page, until Tab leaves the page (or 120 stops).
  for (let i = 0; i < 120; i++) {
    await page.keyboard.press('Tab');
    if (i > 0 && await page.evaluate(() => document.activeElement === document.body)) break;
    const f = await page.evaluate(() => {
      const el = document.activeElement;
      const style = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      const header = document.querySelector('.site-header');
      return {
        text: (el.textContent || el.getAttribute('aria-label') || el.placeholder || '').trim().slice(0, 30),
        tag: el.tagName,
        visible: style.outlineStyle !== 'none' || style.boxShadow !== 'none',
        inHeader: header.contains(el),
        top: r.top,
        bottom: r.bottom,
        headerBottom: header.getBoundingClientRect().bottom,
        inView: r.bottom > 0 && r.top < innerHeight,
        // What is drawn at the middle of the focused element: itself, or something covering it.
        covered: (() => {
          const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1);
          const y = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1);
          const hit = document.elementFromPoint(x, y);
          return !(hit && (hit === el || el.contains(hit) || hit.contains(el)));
        })(),
        index: [...document.querySelectorAll('*')].indexOf(el),
      };
    });
    seen.push(f);
  }
  assert.ok(seen.length >= 30, `${seen.length} focus stops: the walk reached the page's content`);
  assert.equal(seen[0].text, '本文へ移動', 'the skip link comes first');
  for (const [i, f] of seen.entries()) {
    assert.ok(f.visible, `focus ${i} (${f.tag} ${f.text}) is visible`);
    assert.ok(f.inView, `focus ${i} (${f.tag} ${f.text}) is in the window`);
    assert.ok(!f.covered, `focus ${i} (${f.tag} ${f.text}) is covered (by the sticky header?) at top ${f.top}`);
    if (i > 0) assert.ok(f.index > seen[i - 1].index, `focus ${i} follows the page order`);
  }
  // The skip link takes the reader to the main content.
  await page.goto(fileUrl(`${site}/ja/certificate.html`));
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
  await context.close();
});

test('reflow: nothing scrolls sideways at 320 px, and text at 200 % stays readable', async () => {
  const { context } = await recordedContext(browser, site);
  const page = await context.newPage();
  for (const rel of ['index.html', 'ja/index.html', 'ja/certificate.html', 'en/apply.html', 'ja/checker.html', 'en/print.html', 'ja/accessibility.html']) {
    await page.setViewportSize({ width: 320, height: 640 });
    await page.goto(fileUrl(`${site}/${rel}`));
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 320), `${rel}: sideways scrolling at 320 px`);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.evaluate(() => { document.documentElement.style.fontSize = '200%'; });
    const r = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      font: parseFloat(getComputedStyle(document.querySelector('main p, main li') || document.body).fontSize),
      header: document.querySelector('.site-header')?.getBoundingClientRect().height ?? 0,
    }));
    assert.ok(r.scroll <= 1280, `${rel}: sideways scrolling with text at 200 %`);
    assert.ok(r.font >= 32, `${rel}: text grew to ${r.font} px`);
    assert.ok(r.header < 400, `${rel}: the header leaves room to read (${r.header} px)`);
  }
  await context.close();
});

test('forced colours, reduced motion and dark: states stay visible', async () => {
  const context = await browser.newContext({ forcedColors: 'active', reducedMotion: 'reduce', colorScheme: 'dark' });
  const page = await context.newPage();
  await page.goto(fileUrl(`${site}/en/certificate.html`));
  const current = await page.$eval('nav.steps a[aria-current="page"]', (a) => {
    const s = getComputedStyle(a);
    return { border: s.borderTopStyle, width: parseFloat(s.borderTopWidth) };
  });
  assert.equal(current.border, 'solid', 'the current step is outlined, not only coloured');
  assert.ok(current.width >= 2);
  await page.goto(fileUrl(`${site}/en/checker.html`));
  await page.locator('[data-check="confirm-code"]').fill('12');
  await page.locator('[data-check="confirm-code"]').press('3');
  const status = page.locator('[data-check-status="confirm-code"]');
  assert.equal(await status.locator('.checker-icon').textContent(), '✗', 'an icon, not colour alone');
  assert.ok((await status.textContent()).length > 5, 'and words');
  // A caution has an icon of its own, words that say the format is right, and its bar kept.
  await page.locator('[data-check="office-user-id"]').fill('KJ132712345678');
  const caution = page.locator('[data-check-status="office-user-id"]');
  assert.equal(await caution.getAttribute('data-state'), 'caution');
  assert.equal(await caution.locator('.checker-icon').textContent(), '\u26A0\uFE0E', 'its own icon');
  assert.match(await caution.textContent(), /The format is right, but/);
  assert.equal(await caution.evaluate((s) => getComputedStyle(s).borderLeftStyle), 'solid', 'a bar in forced colours too');
  const animated = await page.evaluate(() => document.getAnimations().length);
  assert.equal(animated, 0, 'nothing moves');
  await context.close();
});

test('Japanese typography and semantics', async () => {
  const { context } = await recordedContext(browser, site);
  const page = await context.newPage();
  for (const rel of htmlPages(site).filter((r) => !r.endsWith('guide-offline.html'))) {
    await page.goto(fileUrl(`${site}/${rel}`));
    const r = await page.evaluate(() => {
      const body = getComputedStyle(document.body);
      const levels = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map((h) => Number(h.tagName[1]));
      const skipped = levels.some((l, i) => i > 0 && l > levels[i - 1] + 1);
      const h1 = document.querySelector('h1');
      return {
        size: parseFloat(body.fontSize),
        lineHeight: parseFloat(body.lineHeight) / parseFloat(body.fontSize),
        h1s: document.querySelectorAll('h1').length,
        first: levels[0],
        skipped,
        wordBreak: h1 ? getComputedStyle(h1).wordBreak : '',
        main: document.querySelectorAll('main').length,
        lang: document.documentElement.lang,
        figuresWithoutCaption: [...document.querySelectorAll('figure')].filter((f) => !f.querySelector('figcaption')).length,
        japaneseInEnglish: document.documentElement.lang === 'en' ? document.querySelectorAll('main [lang="ja"]').length : -1,
      };
    });
    assert.ok(r.size >= 16, `${rel}: body text ${r.size} px`);
    assert.ok(r.lineHeight >= 1.6 && r.lineHeight <= 1.9, `${rel}: line height ${r.lineHeight}`);
    assert.equal(r.h1s, 1, `${rel}: one h1`);
    assert.equal(r.first, 1, `${rel}: headings start with h1`);
    assert.equal(r.skipped, false, `${rel}: no heading level skipped`);
    assert.equal(r.wordBreak, 'auto-phrase', `${rel}: headings break at phrase boundaries`);
    assert.equal(r.main, 1, `${rel}: one main landmark`);
    assert.equal(r.figuresWithoutCaption, 0, `${rel}: figures have captions`);
    const slidePage = !/(index|accessibility|checker|print)\.html$/.test(rel);
    if (r.lang === 'en' && slidePage) assert.ok(r.japaneseInEnglish > 0, `${rel}: Japanese marked lang="ja"`);
  }
  await context.close();
});
