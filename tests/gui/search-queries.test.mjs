// Search finds what people type, over file:// as from a USB stick: every example of the issue that
// asked for it (partial matches, everyday words, slide numbers, English as people write it, link
// text in snippets, the pages beside the slides), typed into the box; then the realistic queries of
// tests/search-queries.toml, whose recall in the top 3 and count of empty answers are printed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { fileUrl, recordedContext, repo, withSiteAndBrowser } from './support.mjs';

const env = withSiteAndBrowser();

/** Types `query` into the box and returns the results once they are those of the whole query. */
async function typed(page, query) {
  const input = page.locator('input[type="search"]');
  await input.fill('');
  await input.pressSequentially(query, { delay: 2 });
  await page.waitForFunction((q) => {
    const box = document.querySelector('[data-search-results]');
    return box.dataset.query === q && !box.hidden;
  }, query);
  return page.$$eval('[data-search-results] li', (lis) => lis.map((li) => {
    const a = li.querySelector('a');
    const href = a ? a.getAttribute('href') : '';
    const slide = /#slide-(\d+)$/.exec(href);
    return {
      href,
      at: slide ? Number(slide[1]) : href,
      direct: li.classList.contains('search-direct'),
      partial: !!li.querySelector('.search-partial'),
      label: li.querySelector('.search-slide')?.textContent,
      go: li.querySelector('.search-go')?.textContent,
      none: li.classList.contains('search-none'),
    };
  }));
}

/** The snippet of the result for `at` (slide number or page), once it is filled in: its text and
 * its marked parts. */
async function snippetOf(page, at) {
  const href = typeof at === 'number' ? `#slide-${at}` : at;
  const a = page.locator(`[data-search-results] a[href$="${href}"]`).first();
  // The snippets after the first few load once the reader moves into the results.
  await a.focus();
  await a.locator('.search-snippet').filter({ hasText: /./ }).waitFor();
  return a.locator('.search-snippet').evaluate((s) => ({
    text: s.textContent,
    marks: Array.from(s.querySelectorAll('mark')).map((m) => m.textContent),
  }));
}

const top3 = (results) => results.slice(0, 3).map((r) => r.at);

async function chapterPage(lang) {
  const { context, log } = await recordedContext(env.browser, env.site);
  const page = await context.newPage();
  await page.goto(fileUrl(`${env.site}/${lang}/id.html`));
  return { context, log, page };
}

async function done({ context, log }) {
  await context.close();
  assert.deepEqual(log.outside, [], 'requests outside the site');
  assert.deepEqual(log.errors, [], 'console errors');
}

test('never nothing when something is close: partial matches rank after whole ones and say so', async () => {
  const ja = await chapterPage('ja');
  const help = await typed(ja.page, 'ヘルプデスク 電話番号');
  assert.equal(help[0].at, 80, `ヘルプデスク 電話番号: ${top3(help)}`);
  assert.equal(help[0].partial, false, 'slide 80 has ヘルプデスク and 電話: it covers the query');
  const marks = help.map((r) => r.partial);
  assert.deepEqual(marks, [...marks].sort((a, b) => a - b), 'whole matches first, then partial ones');
  assert.ok(help.some((r) => r.partial), 'slides with only ヘルプデスク are there, marked');
  assert.equal(await ja.page.locator('.search-partial').first().textContent(), '一部の言葉に一致');
  for (const [query, slides] of [['忘れた', [11, 12]], ['パスワードを忘れた', [11, 12]], ['エッジ', [5]], ['エラー', [15, 50, 51, 53, 59]]]) {
    const found = top3(await typed(ja.page, query));
    assert.ok(found.some((n) => slides.includes(n)), `${query}: top 3 are ${found}, none of ${slides}`);
  }
  assert.equal((await typed(ja.page, '形式チェック'))[0].at, 'checker.html', '形式チェック: the checker page first');
  assert.ok(top3(await typed(ja.page, '14桁')).includes(9), '14桁: slide 9');
  await done(ja);

  const en = await chapterPage('en');
  assert.ok(top3(await typed(en.page, 'forgot password')).some((n) => [11, 12].includes(n)), 'forgot password');
  const partial = await typed(en.page, 'help desk zzqq');
  assert.ok(partial.length && partial.every((r) => r.partial), 'a query of which one word is unknown still finds the rest');
  assert.equal(await en.page.locator('.search-partial').first().textContent(), 'Matches part of your search');
  await done(en);
});

test('slide numbers: "17", 「１７」, 「スライド17」, 「スライド 17」, "slide 17" go straight to slide 17', async () => {
  for (const [lang, queries, go] of [
    ['ja', ['17', '１７', 'スライド17', 'スライド 17', 'すらいど１７'], 'このスライドへ移動'],
    ['en', ['17', 'slide 17', 'Slide17', 'see slide 17'], 'Go to this slide'],
  ]) {
    const at = await chapterPage(lang);
    for (const query of queries) {
      const results = await typed(at.page, query);
      assert.equal(results[0].at, 17, `${lang} ${query}: first is ${results[0].at}`);
      assert.ok(results[0].direct, `${lang} ${query}: shown as the way to it`);
      assert.equal(results[0].go, go);
      assert.equal(results.filter((r) => r.at === 17).length, 1, `${lang} ${query}: slide 17 once`);
    }
    // Any slide of the guide, and none beyond it.
    for (const n of [1, 42, 80]) assert.equal((await typed(at.page, `${n}`))[0].at, n);
    assert.ok(!(await typed(at.page, '81')).some((r) => r.direct), 'no slide 81');
    // Enter follows the first result: the slide.
    await at.page.locator('input[type="search"]').fill('');
    await typed(at.page, lang === 'ja' ? 'スライド17' : 'slide 17');
    await at.page.keyboard.press('Enter');
    await at.page.waitForURL(/certificate-password\.html#slide-17$/);
    await done(at);
  }
});

test('English as people write it: stems, both spellings, prefixes while typing, one typo, .NET and e-mail', async () => {
  const en = await chapterPage('en');
  const name = await typed(en.page, 'organization name');
  assert.equal(name[0].at, 46, `organization name: ${top3(name)}`);
  assert.deepEqual(top3(await typed(en.page, 'organisation name')), top3(name), 'both spellings alike');
  assert.ok(top3(await typed(en.page, 'certificate issued notification')).includes(28), 'certificate issued notification');
  const net = await typed(en.page, '.NET');
  assert.ok(net[0].at >= 55 && net[0].at <= 61, `.NET: first is ${net[0].at}, not a .NET slide`);
  assert.ok(!top3(net).includes(5), '.NET: not slide 5 (Network)');
  assert.ok(top3(await typed(en.page, '14-character')).includes(9), '14-character: slide 9');
  assert.ok(top3(await typed(en.page, '14 characters')).includes(9), '14 characters: slide 9');
  // While typing: each prefix of "certificate" from "cert" on finds the certificate slides.
  for (const prefix of ['cert', 'certif', 'certifica', 'certificat']) {
    const found = await typed(en.page, prefix);
    assert.ok(found.length && !found[0].none, `${prefix}: results`);
    assert.ok(found.some((r) => [13, 20, 22, 30].includes(r.at)), `${prefix}: certificate slides`);
  }
  // One typo in a word of five letters or more.
  for (const [typo, slides] of [['certficate', [13, 20, 22, 30]], ['pasword change', [17]], ['dowload the app', [44, 47]], ['runtme', [55, 56]]]) {
    const found = top3(await typed(en.page, typo));
    assert.ok(found.some((n) => slides.includes(n)), `${typo}: top 3 are ${found}, none of ${slides}`);
  }
  // Stems: forms of a word find each other.
  assert.ok(top3(await typed(en.page, 'installing the app')).some((n) => n >= 44 && n <= 63), 'installing');
  const mail = await typed(en.page, 'email address');
  assert.ok(top3(mail).includes(18), `email (written e-mail): ${top3(mail)}`);
  await done(en);
});

test('snippets are the words around the best match, link text included, matched parts marked', async () => {
  const ja = await chapterPage('ja');
  await typed(ja.page, 'お知らせ 書かれています');
  const nine = await snippetOf(ja.page, 9);
  assert.match(nine.text, /（スライド10）に書かれています/, nine.text);
  assert.ok(nine.marks.includes('お知らせ'), `marks: ${nine.marks}`);
  await typed(ja.page, 'メモしたパスワード');
  const memo = await snippetOf(ja.page, 65);
  assert.match(memo.text, /「パスワード」にスライド17でメモしたパスワード/, memo.text);
  // Every result shows its slide number and title.
  const labels = await ja.page.$$eval('[data-search-results] a', (as) => as.map((a) => [a.querySelector('.search-slide').textContent, a.querySelector('.search-title').textContent]));
  for (const [label, title] of labels) {
    assert.match(label, /^スライド\d+$|^ページ$/);
    assert.ok(title.length > 0);
  }
  await done(ja);
  const en = await chapterPage('en');
  await typed(en.page, 'confirmation code e-mail');
  const code = await snippetOf(en.page, 19);
  assert.ok(code.marks.length >= 2, `several marks: ${code.marks}`);
  assert.ok(code.text.length <= 160, `a snippet, not the slide: ${code.text.length} characters`);
  await done(en);
});

test('every page is searchable: the checker page and the pages beside the slides', async () => {
  for (const [lang, checker, page] of [['ja', '形式チェック', 'アクセシビリティ'], ['en', 'format checker', 'accessibility statement']]) {
    const at = await chapterPage(lang);
    const c = await typed(at.page, checker);
    assert.equal(c[0].href, 'checker.html', `${lang} ${checker}: ${c[0].href}`);
    assert.equal(c[0].label, lang === 'ja' ? 'ページ' : 'Page');
    const p = await typed(at.page, page);
    assert.equal(p[0].href, 'accessibility.html', `${lang} ${page}: ${p[0].href}`);
    await at.page.locator('[data-search-results] a').first().click();
    await at.page.waitForURL(/accessibility\.html$/);
    await done(at);
  }
});

/** The realistic queries, each with the slides (or page) any of which should come in the top 3. */
const QUERIES = parse(readFileSync(join(repo, 'tests', 'search-queries.toml'), 'utf8'));

for (const lang of ['ja', 'en']) {
  test(`${lang}: realistic queries find their slide in the top 3 (recall printed)`, async () => {
    const queries = QUERIES[lang];
    assert.ok(queries.length >= 40, `${queries.length} queries`);
    const at = await chapterPage(lang);
    await at.page.evaluate(() => new Promise((done) => window.tebikiSearch.loadAll(done)));
    const results = await at.page.evaluate((queries) => {
      const engine = window.tebikiSearchEngine;
      const index = window.tebikiSearchIndex;
      return queries.map(({ q }) => engine.search(index, q).slice(0, 3).map((hit) => {
        const doc = index.docs[hit[0]];
        return doc[0] || index.pages[doc[1]];
      }));
    }, queries);
    const misses = [];
    let empty = 0;
    queries.forEach((query, i) => {
      const top = results[i];
      if (!top.length) empty++;
      const good = query.page ? top.includes(query.page) : top.some((n) => query.slides.includes(n));
      if (!good) misses.push(`${query.q} → ${top.join(', ')} (want ${query.page || query.slides})`);
    });
    const recall = (queries.length - misses.length) / queries.length;
    console.log(`# ${lang}: ${queries.length} queries, top-3 recall ${(recall * 100).toFixed(1)} %, ${empty} with no result`);
    assert.equal(empty, 0, 'no query finds nothing');
    assert.ok(recall >= 0.95, `top-3 recall ${(recall * 100).toFixed(1)} %:\n${misses.join('\n')}`);
    await done(at);
  });
}

// The map of the IDs and passwords (content/pages/passwords.LANG.md) is what a reader unsure of
// the password finds first, typed in a chapter page's box, and its link opens the map.
for (const [lang, queries, title] of [
  ['ja', ['どのパスワード', 'パスワードがどれかわからない'], 'パスワードとIDの早見表'],
  ['en', ['which password', 'which password goes where'], 'Which password goes where'],
]) {
  test(`${lang}: search finds the map of the passwords first`, async () => {
    const at = await chapterPage(lang);
    for (const q of queries) {
      const results = await typed(at.page, q);
      assert.equal(results[0]?.href, 'passwords.html', `${q} → ${results.map((r) => r.href).join(', ')}`);
    }
    await at.page.locator('[data-search-results] a[href="passwords.html"]').first().click();
    await at.page.waitForURL(/passwords\.html$/);
    assert.equal(await at.page.locator('h1').textContent(), title);
    await done(at);
  });
}
