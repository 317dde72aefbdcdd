// Accessibility (JIS X 8341-3:2016 AA, aiming at WCAG 2.2 AA), proven in Chromium: axe-core on every
// page in both colour schemes, the Nu HTML Checker, the keyboard, reflow, forced colours, Japanese
// typography and semantics. The results go to accessibility-results.toml, which the next build shows
// on the accessibility pages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { axe, buildSite, fileUrl, htmlPages, launch, recordedContext, repo, violations } from './support.mjs';

let site, browser;
const results = { pages: 0, rules: new Set(), violations: 0, htmlErrors: 0, axe: '', incomplete: new Map() };
before(async () => {
  site = buildSite();
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

for (const scheme of ['light', 'dark']) {
  test(`axe-core: no violation on any page (${scheme})`, async () => {
    const context = await browser.newContext({ bypassCSP: true, colorScheme: scheme });
    const page = await context.newPage();
    const found = [];
    const pages = htmlPages(site);
    for (const rel of pages) {
      await page.goto(fileUrl(`${site}/${rel}`));
      const r = await axe(page);
      results.axe = `axe-core ${await page.evaluate(() => window.axe.version)}`;
      for (const x of [...r.passes, ...r.violations, ...r.incomplete, ...r.inapplicable]) results.rules.add(x.id);
      for (const x of r.incomplete) results.incomplete.set(x.id, (results.incomplete.get(x.id) || 0) + x.nodes.length);
      for (const v of violations(r)) found.push(`${rel}: ${v}`);
    }
    await context.close();
    if (scheme === 'light') results.pages = pages.length;
    results.violations += found.length;
    console.log(`# axe (${scheme}): ${pages.length} pages, ${results.rules.size} rules run, ${found.length} violations; for a person to review: ${[...results.incomplete].map(([id, n]) => `${id} (${n})`).join(', ')}`);
    assert.deepEqual(found, []);
  });
}

test('the Nu HTML Checker finds no error', () => {
  const files = htmlPages(site).map((rel) => join(site, rel));
  let out = '';
  try {
    out = execFileSync('java', ['-jar', join(repo, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar'), '--errors-only', '--format', 'json', ...files], { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  } catch (e) {
    out = (e.stderr || '').toString() + (e.stdout || '').toString();
  }
  const messages = out.trim() ? JSON.parse(out.trim()).messages.filter((m) => m.type === 'error') : [];
  results.htmlErrors = messages.length;
  console.log(`# vnu: ${files.length} pages, ${messages.length} errors`);
  assert.deepEqual(messages.map((m) => `${m.url.split('/').slice(-2).join('/')}:${m.lastLine}: ${m.message}`), []);
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
