// A guide in four languages (tests/testsuite/build/languages: ja, en, vi and zh-Hans, the last two
// with their interface words in the project's own theme/strings.toml and their checker messages in
// its checker.toml), in Chromium: every page passes axe at a phone's and a desktop's width and the
// Nu HTML Checker; each page says its language, the switch offers every other one in its own name,
// the Japanese words of the screens are marked as Japanese, search folds Vietnamese diacritics and
// reads Chinese by bigrams, the checker speaks the page's language, and the PDF handouts hold each
// language's text; the Chinese slide 2 translates an older Japanese one, and says so; and against
// the previous edition's record (editions/2025-06.json) each language lists what changed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { axeWithContrast, buildSite, fileUrl, htmlErrors, htmlPages, launch, repo } from './support.mjs';

const LANGS = ['ja', 'en', 'vi', 'zh-Hans'];
const NAMES = { ja: '日本語', en: 'English', vi: 'Tiếng Việt', 'zh-Hans': '简体中文' };
let site, browser;
before(async () => {
  site = buildSite(join(repo, 'tests', 'testsuite', 'build', 'languages'), { pdf: true });
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('every page of every language passes axe at 360 and 1280 px, in both colour schemes, and the Nu HTML Checker', async () => {
  const pages = htmlPages(site);
  for (const lang of LANGS) assert.ok(pages.includes(`${lang}/login.html`), `${lang}/login.html is built`);
  const found = [];
  for (const [width, height] of [[360, 740], [1280, 800]]) {
    const context = await browser.newContext({ bypassCSP: true, viewport: { width, height } });
    const page = await context.newPage();
    for (const rel of pages) {
      await page.goto(fileUrl(`${site}/${rel}`));
      for (const scheme of ['light', 'dark']) {
        await page.emulateMedia({ colorScheme: scheme });
        const r = await axeWithContrast(page);
        const at = `${rel} ${width}px ${scheme}`;
        found.push(...r.violations.map((v) => `${at}: ${v}`));
        found.push(...r.undecided.map((u) => `${at}: contrast undecided: ${u}`));
        found.push(...r.low.map((u) => `${at}: contrast too low: ${u}`));
      }
    }
    await context.close();
  }
  assert.deepEqual(found, []);
  assert.deepEqual(htmlErrors(pages.map((p) => join(site, p))), []);
});

test('each page says its language; the switch offers every other language in its own name, at the same slide', async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  for (const lang of LANGS) {
    await page.goto(fileUrl(`${site}/${lang}/login.html`));
    assert.equal(await page.getAttribute('html', 'lang'), lang);
    const links = await page.$$eval('a[data-lang-switch]', (as) => as.map((a) => [a.lang, a.hreflang, a.textContent.trim(), a.getAttribute('href')]));
    const others = LANGS.filter((l) => l !== lang);
    assert.deepEqual(links, others.map((l) => [l, l, NAMES[l], `../${l}/login.html#slide-2`]), lang);
    const names = await page.$$eval('link[rel="alternate"]', (ls) => ls.map((l) => l.hreflang));
    assert.deepEqual(names, LANGS, `${lang}: hreflang alternates`);
  }
  // The entry page lists every language, each link in its own language.
  await page.goto(fileUrl(`${site}/index.html`));
  const entry = await page.$$eval('.landing-languages a', (as) => as.map((a) => [a.lang, a.getAttribute('href')]));
  assert.deepEqual(entry.map(([l]) => l), LANGS);
  for (const [l, href] of entry) assert.ok(existsSync(join(site, href)), `${l}: ${href}`);
  await context.close();
});

test('the Japanese words of the screens are marked as Japanese in English, Vietnamese and Chinese, and drawn in Japanese fonts', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  for (const lang of ['en', 'vi', 'zh-Hans']) {
    await page.goto(fileUrl(`${site}/${lang}/login.html`));
    const login = await page.evaluate(() => {
      const step = [...document.querySelectorAll('main li')].find((li) => li.textContent.includes('「ログイン」'));
      const span = [...step.querySelectorAll('span')].find((s) => s.textContent === '「ログイン」');
      return span && { lang: span.closest('[lang]').lang, font: getComputedStyle(span).fontFamily };
    });
    assert.equal(login?.lang, 'ja', `${lang}: 「ログイン」 is marked lang="ja"`);
    assert.match(login.font, /^"Noto Sans JP"/, `${lang}: Japanese in Japanese fonts`);
    // The page's own words are not marked as Japanese.
    const title = await page.evaluate(() => document.querySelector('main h2, main h1').closest('[lang]').lang);
    assert.equal(title, lang);
  }
  await page.goto(fileUrl(`${site}/zh-Hans/login.html`));
  const font = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
  assert.match(font, /Noto Sans (CJK )?SC/, 'Chinese pages are drawn in Simplified Chinese fonts');
  await context.close();
});

test('a translation behind its source says so in its own language, linking to the Japanese slide', async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  await page.goto(fileUrl(`${site}/zh-Hans/login.html`));
  const note = page.locator('#slide-2 .translation-note');
  assert.ok(await note.isVisible(), 'the note is shown on the slide whose translation is behind');
  assert.match(await note.innerText(), /关于本译文[\s\S]*本译文可能还没有包含这张幻灯片的最新修改。[\s\S]*查看原文：日本語的幻灯片2/);
  assert.equal(await note.locator('a').getAttribute('href'), '../ja/login.html#slide-2');
  assert.equal(await page.locator('#slide-1 .translation-note').count(), 0, 'a current translation has none');
  for (const lang of ['en', 'vi']) {
    await page.goto(fileUrl(`${site}/${lang}/login.html`));
    assert.equal(await page.locator('.translation-note').count(), 0, `${lang} is current`);
  }
  await context.close();
});

test('what changed since the previous edition, in every language: the changes page and the mark by slide 2', async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const marks = { ja: 'この版で更新', en: 'Updated in this edition', vi: 'Cập nhật trong phiên bản này', 'zh-Hans': '本版已更新' };
  for (const lang of LANGS) {
    await page.goto(fileUrl(`${site}/${lang}/changes.html`));
    assert.equal(await page.getAttribute('html', 'lang'), lang);
    const updated = await page.$$eval('.changes-changed a', (as) => as.map((a) => a.getAttribute('href')));
    assert.deepEqual(updated, ['login.html#slide-2'], `${lang}: slide 2 is updated`);
    assert.equal(await page.locator('.changes-removed li').count(), 1, `${lang}: the old slide 3 is removed`);
    await page.goto(fileUrl(`${site}/${lang}/login.html`));
    const mark = page.locator('#slide-2-title .edition-mark');
    assert.ok(await mark.isVisible(), `${lang}: slide 2 is marked`);
    assert.equal((await mark.innerText()).trim(), marks[lang]);
  }
  await context.close();
});

/** The hrefs of the results for `query`, typed into the page's search box. */
async function searchFor(page, query) {
  const input = page.locator('input[type="search"]');
  await input.fill('');
  await input.pressSequentially(query, { delay: 2 });
  await page.waitForFunction((q) => document.querySelector('[data-search-results]')?.dataset.query === q, query);
  return page.$$eval('[data-search-results] a', (as) => as.map((a) => a.getAttribute('href')));
}

test('search: Vietnamese with or without its diacritics, Chinese by bigrams, a slide by its number in each language', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(fileUrl(`${site}/vi/index.html`));
  for (const query of ['mat khau', 'mật khẩu', 'MAT KHAU', 'dang nhap']) {
    const hrefs = await searchFor(page, query);
    assert.match(hrefs[0] || '', /login\.html#slide-2$/, `vi: ${query} → ${hrefs}`);
  }
  assert.match((await searchFor(page, 'tieng viet'))[0] || '', /#slide-1$/);
  await page.goto(fileUrl(`${site}/zh-Hans/index.html`));
  for (const query of ['密码', '输入密码', '登录']) {
    const hrefs = await searchFor(page, query);
    assert.match(hrefs[0] || '', /login\.html#slide-2$/, `zh-Hans: ${query} → ${hrefs}`);
  }
  await searchFor(page, '幻灯片2');
  assert.match(await page.locator('[data-search-results] li').first().innerText(), /前往这张幻灯片/);
  // The entry page searches every language and lists first the languages written like the query.
  await page.goto(fileUrl(`${site}/index.html`));
  for (const [query, lang] of [['mat khau', 'vi'], ['密码', 'zh-Hans'], ['パスワード', 'ja'], ['password', 'en']]) {
    const hrefs = await searchFor(page, query);
    assert.match(hrefs[0] || '', new RegExp(`^${lang}/login\\.html#slide-2$`), `entry page: ${query} → ${hrefs}`);
  }
  await context.close();
});

test('the checker speaks the page\'s language, from checker.toml', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const expected = { vi: 'Hãy nhập phần đầu, KJ, bằng chữ in hoa.', 'zh-Hans': '请用大写字母输入开头的“KJ”。' };
  for (const [lang, text] of Object.entries(expected)) {
    await page.goto(fileUrl(`${site}/${lang}/checker.html`));
    const input = page.locator('input[data-check="office-user-id"]');
    await input.click();
    await page.keyboard.type('kj', { delay: 5 });
    const status = page.locator('[data-check-status="office-user-id"]');
    await page.waitForFunction(() => document.querySelector('[data-check-status="office-user-id"] li'));
    assert.ok((await status.innerText()).includes(text), `${lang}: ${await status.innerText()}`);
  }
  await context.close();
});

test('the PDF handout of each language holds its own text, the cover on its first page', () => {
  const covers = { ja: 'はじめに', en: 'Introduction', vi: 'Giới thiệu', 'zh-Hans': '简介' };
  const titles = { ja: 'パスワードを入れてログインする', en: 'Enter the password and log in', vi: 'Nhập mật khẩu và đăng nhập', 'zh-Hans': '输入密码并登录' };
  for (const lang of LANGS) {
    const pdf = join(site, lang, 'guide.pdf');
    const text = execFileSync('pdftotext', ['-layout', pdf, '-']).toString();
    assert.ok(text.includes(titles[lang]), `${lang}: the PDF holds “${titles[lang]}”`);
    const first = execFileSync('pdftotext', ['-f', '1', '-l', '1', pdf, '-']).toString();
    assert.ok(first.includes(covers[lang]), `${lang}: page 1 is the cover: ${first}`);
  }
});
