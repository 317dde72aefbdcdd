// Search over file://, as from a USB stick: the slide that explains a term comes in the top 3 in both
// languages (full-width, hiragana and plural queries included); results are links to the slide; the
// keyboard works; and the page's normalisation agrees with tebiki's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileUrl, htmlPages, recordedContext, repo, withSiteAndBrowser } from './support.mjs';

const env = withSiteAndBrowser();

/** [query, slide that must be in the top 3] */
const QUERIES = {
  ja: [
    ['証明書', 13], ['フリーパス', 69], ['ふりーぱす', 69], ['KJ', 9], ['ＫＪ', 9], ['確認コード', 19],
    ['確認こーど', 19], ['西暦', 4], ['ぱすわーど 変更', 17], ['０１２０－５８４－７０８', 80],
    ['インターネットオプション', 42], ['SmartScreen', 50], ['個人ユーザID', 66], ['1:30', 26], ['再発行', 11],
  ],
  en: [
    ['certificates', 13], ['certificate', 13], ['free pass', 69], ['confirmation codes', 19], ['KJ', 9],
    ['ＫＪ', 9], ['passwords change', 17], ['western calendar', 4], ['smartscreen', 50], ['personal user', 66],
    ['フリーパス', 69], ['help desk phone', 80], ['internet options', 42], ['cert', 13],
  ],
};

async function searchFor(page, query) {
  const input = page.locator('input[type="search"]');
  await input.fill('');
  await input.pressSequentially(query, { delay: 2 });
  await page.locator('[data-search-results] li').first().waitFor();
  return page.$$eval('[data-search-results] a', (as) => as.map((a) => a.getAttribute('href')));
}

for (const lang of ['ja', 'en']) {
  test(`${lang}: each query finds its slide in the top 3`, async () => {
    const { context, log } = await recordedContext(env.browser, env.site);
    const page = await context.newPage();
    await page.goto(fileUrl(`${env.site}/${lang}/pc.html`));
    for (const [query, slide] of QUERIES[lang]) {
      const hrefs = await searchFor(page, query);
      const top = hrefs.slice(0, 3).map((h) => Number(/#slide-(\d+)$/.exec(h)?.[1]));
      assert.ok(top.includes(slide), `${lang} ${JSON.stringify(query)}: top 3 are ${top}, not ${slide}`);
    }
    // Several words narrow the results that hold them all; those holding only some follow, marked.
    const whole = async (query) => {
      await searchFor(page, query);
      await page.waitForFunction((q) => document.querySelector('[data-search-results]').dataset.query === q, query);
      return page.$$eval('[data-search-results] li', (lis) => lis.map((li) => !li.querySelector('.search-partial')));
    };
    const one = await whole(lang === 'ja' ? 'パスワード' : 'password');
    const two = await whole(lang === 'ja' ? 'パスワード 確認コード' : 'password confirmation');
    const count = (marks) => marks.filter(Boolean).length;
    assert.ok(count(two) < count(one), `two words (${count(two)} whole) narrow one (${count(one)})`);
    assert.deepEqual(two, [...two].sort((a, b) => b - a), 'whole matches come before partial ones');
    await context.close();
    assert.deepEqual(log.outside, []);
    assert.deepEqual(log.errors, []);
  });
}

test('results link to the slide, with number, title and a highlighted snippet; keyboard and 320 px', async () => {
  const { context, log } = await recordedContext(env.browser, env.site);
  const page = await context.newPage();
  await page.setViewportSize({ width: 320, height: 700 });
  await page.goto(fileUrl(`${env.site}/ja/index.html`));
  assert.equal(await page.locator('script[src*="search-index"]').count(), 0, 'the index loads only when the reader starts to search');
  await searchFor(page, 'フリーパス');
  const first = page.locator('[data-search-results] a').first();
  assert.equal(await first.getAttribute('href'), 'apply-free-pass.html#slide-69');
  assert.equal(await first.locator('.search-slide').textContent(), 'スライド69');
  assert.ok((await first.locator('.search-title').textContent()).length > 0);
  await first.locator('mark').first().waitFor();
  assert.equal(await first.locator('mark').first().textContent(), 'フリーパス');
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 320), 'no horizontal scrolling at 320 px');
  const box = await page.locator('[data-search-results]').boundingBox();
  assert.ok(box.x >= 0 && box.x + box.width <= 320, 'the results fit the window');
  // The count is announced politely.
  await page.waitForFunction(() => /件見つかりました/.test(document.querySelector('[data-search-status]').textContent));
  assert.equal(await page.locator('[data-search-status]').getAttribute('role'), 'status');
  // Arrows move through the results, Escape closes them, Enter follows one.
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('href')), 'apply-free-pass.html#slide-69');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('href')), 'apply-free-pass.html#slide-69');
  await page.keyboard.press('Escape');
  assert.ok(await page.locator('[data-search-results]').isHidden(), 'Escape closes the results');
  assert.equal(await page.evaluate(() => document.activeElement.type), 'search');
  await page.keyboard.type(' ');
  await page.keyboard.press('Backspace');
  await page.locator('[data-search-results] li').first().waitFor();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.waitForURL(/ja\/apply-free-pass\.html#slide-69$/);
  // No result: a helpful message.
  await page.goto(fileUrl(`${env.site}/en/index.html`));
  await page.locator('input[type="search"]').pressSequentially('zzqqxx');
  await page.locator('.search-none').waitFor();
  assert.match(await page.locator('.search-none').textContent(), /Nothing found for “zzqqxx”/);
  await context.close();
  assert.deepEqual(log.outside, []);
  assert.deepEqual(log.errors, []);
});

test('every page has exactly one search box', async () => {
  const { context } = await recordedContext(env.browser, env.site);
  const page = await context.newPage();
  for (const rel of htmlPages(env.site)) {
    await page.goto(fileUrl(`${env.site}/${rel}`));
    assert.equal(await page.locator('input[type="search"]').count(), 1, rel);
    assert.equal(await page.locator('[data-search-results]').count(), 1, rel);
    assert.ok(await page.locator('input[type="search"]').isVisible(), `${rel}: visible`);
  }
  await context.close();
});

/** Each line through `tebiki tokens` and through the page's engine: [line, normalised, terms]. */
async function bothWays(lines) {
  const bin = process.env.TEBIKI_BIN || join(repo, 'target', 'debug', 'tebiki');
  const rust = execFileSync(bin, ['tokens'], { input: lines.join('\n') + '\n', maxBuffer: 1 << 26 }).toString().trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(rust.length, lines.length);
  const { context } = await recordedContext(env.browser, env.site);
  const page = await context.newPage();
  await page.goto(fileUrl(`${env.site}/en/index.html`));
  // The engine comes with the index.
  await page.evaluate(() => new Promise((done) => window.tebikiSearch.ready(done)));
  const js = await page.evaluate((lines) => lines.map((l) => {
    const n = window.tebikiSearchEngine.normalize(l);
    return [l, n, window.tebikiSearchEngine.terms(n, 'english')];
  }), lines);
  await context.close();
  return { rust, js };
}

test('the page normalises and splits text exactly as tebiki does', async () => {
  const lines = readFileSync(join(repo, 'tests', 'search-normalize.txt'), 'utf8').split('\n').filter(Boolean);
  const { rust, js } = await bothWays(lines);
  for (let i = 0; i < lines.length; i++) assert.deepEqual(js[i], rust[i], `line ${i + 1}: ${lines[i]}`);
  // Joined tokens stand as written and by their words; British spellings are American ones.
  const terms = Object.fromEntries(rust.map(([line, , t]) => [line, t]));
  assert.deepEqual(terms['e-mail 14-character don\'t can’t'].slice(0, 4), ['e-mail', 'email', 'e', 'mail']);
  assert.deepEqual(terms['.NET and node.js 1.2.0 v.2'].slice(0, 2), ['.net', 'net']);
  // Latin letters lose their diacritics on both sides (Vietnamese 「mat khau」 finds 「mật khẩu」);
  // Chinese and Korean run into bigrams as Japanese does.
  const norm = Object.fromEntries(rust.map(([line, n]) => [line, n]));
  assert.match(norm['mật khẩu Đăng nhập ĐIỆN THOẠI Nguyễn Thị Ánh'], /^mat khau dang nhap dien thoai nguyen thi anh$/);
  assert.deepEqual(terms['비밀번호 로그인 전자증명서 ㅎㅎ'].slice(0, 3), ['비밀', '밀번', '번호']);
  assert.deepEqual(terms['电子证书 密码 登录「ログイン」 中文'].slice(0, 3), ['电子', '子证', '证书']);
});

test('the page stems English words exactly as tebiki does (Snowball English, British spellings folded)', async () => {
  const words = readFileSync(join(repo, 'tests', 'search-words.txt'), 'utf8').split('\n').filter(Boolean);
  assert.ok(words.length > 4000, `${words.length} words`);
  const { rust, js } = await bothWays(words);
  const differ = words.filter((_, i) => JSON.stringify(js[i]) !== JSON.stringify(rust[i]));
  assert.deepEqual(differ.slice(0, 20), [], `${differ.length} of ${words.length} words differ`);
  const stem = Object.fromEntries(rust.map(([w, , t]) => [w, t[0]]));
  assert.equal(stem.organisation, stem.organization);
  assert.equal(stem.certificates, stem.certificate);
  assert.notEqual(stem.advertise, 'advertiz');
});

// The entry page (index.html) is in no one language: its box searches every language's index.
// Over file:// and over HTTP under a sub-path, at a phone's and a desktop's size, an English query
// finds English results and a Japanese one Japanese results first, each result marked with its
// language (a word, and `lang`), linking to the slide in that language's pages.

/** Serves the site under /guide/ on 127.0.0.1, as on the city's web site. */
async function serveUnderSubPath(site) {
  const { createServer } = await import('node:http');
  const { readFile } = await import('node:fs/promises');
  const { extname, normalize } = await import('node:path');
  const types = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.webp': 'image/webp' };
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (!path.startsWith('/guide/')) { res.writeHead(404).end(); return; }
    try {
      const body = await readFile(join(site, path.slice('/guide/'.length)));
      res.writeHead(200, { 'content-type': types[extname(path)] || 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const base = `http://127.0.0.1:${server.address().port}/guide/`;
  return { base, close: () => new Promise((done) => server.close(done)) };
}

/** A context recording console errors and requests outside `base` (which are aborted). */
async function contextUnder(browser, base, viewport) {
  const context = await browser.newContext({ viewport });
  const log = { outside: [], errors: [] };
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(base)) return route.continue();
    log.outside.push(url);
    return route.abort();
  });
  context.on('page', (page) => {
    page.on('console', (m) => { if (m.type() === 'error') log.errors.push(`${page.url()}: ${m.text()}`); });
    page.on('pageerror', (e) => log.errors.push(`${page.url()}: ${e.message}`));
  });
  return { context, log };
}

const MARKS = { ja: '日本語', en: 'English' };

/** Waits until the results are those of the whole of `query` (not of a part typed before it). */
async function resultsOf(page, query) {
  await searchFor(page, query);
  await page.waitForFunction((word) => {
    const mark = document.querySelector('[data-search-results] li:first-child mark');
    return mark && mark.textContent.toLowerCase().startsWith(word);
  }, query.split(' ')[0].toLowerCase());
}

/** Each result of the entry page's box: its link, `lang`, language mark (and its `lang`) and title. */
async function entryResults(page, query) {
  await resultsOf(page, query);
  return page.$$eval('[data-search-results] a', (as) => as.map((a) => ({
    href: a.getAttribute('href'),
    lang: a.getAttribute('lang'),
    mark: a.querySelector('.search-lang')?.textContent,
    markLang: a.querySelector('.search-lang')?.closest('[lang]')?.getAttribute('lang'),
    title: a.querySelector('.search-title').textContent,
  })));
}

function assertMarked(results, query) {
  for (const r of results) {
    assert.ok(r.lang in MARKS, `${query}: ${r.href} has lang ${r.lang}`);
    assert.equal(r.mark, MARKS[r.lang], `${query}: ${r.href} is marked ${r.mark}`);
    assert.equal(r.markLang, r.lang, `${query}: the mark of ${r.href} is in its language`);
    assert.ok(r.href.startsWith(`${r.lang}/`), `${query}: ${r.href} leads to the ${r.lang} pages`);
  }
}

for (const over of ['file', 'http']) {
  for (const viewport of [{ width: 360, height: 740 }, { width: 1280, height: 800 }]) {
    test(`entry page over ${over} at ${viewport.width}×${viewport.height}: both languages, each result marked with its own`, async () => {
      const server = over === 'http' ? await serveUnderSubPath(env.site) : null;
      const base = server ? server.base : fileUrl(env.site) + '/';
      const { context, log } = server
        ? await contextUnder(env.browser, base, viewport)
        : await recordedContext(env.browser, env.site, { viewport });
      try {
        const page = await context.newPage();
        await page.goto(`${base}index.html`);
        assert.equal(await page.locator('script[src*="search-index"]').count(), 0, 'the indexes load only when the reader starts to search');

        // An English word: English results, marked English, first the slide that explains it.
        const english = await entryResults(page, 'password');
        assertMarked(english, 'password');
        assert.equal(english[0].href, 'en/certificate-password.html#slide-17');
        assert.ok(english.length <= 20, `${english.length} results`);
        await page.waitForFunction(() => /English: \d+ results? found/.test(document.querySelector('[data-search-status] [lang="en"]')?.textContent));

        // A Latin word both languages use: English first, then Japanese.
        const kj = (await entryResults(page, 'KJ')).map((r) => r.lang);
        assert.deepEqual(kj, [...kj].sort((a, b) => (a === 'ja') - (b === 'ja')), `KJ: English first: ${kj}`);
        assert.ok(kj.includes('ja'), 'KJ: the Japanese slides follow');

        // A Japanese word: Japanese results first (marked 日本語), then the English slides that
        // show the same on-screen word.
        const japanese = await entryResults(page, 'パスワード');
        assertMarked(japanese, 'パスワード');
        const langs = japanese.map((r) => r.lang);
        assert.equal(langs[0], 'ja');
        assert.deepEqual(langs, [...langs].sort((a, b) => (b === 'ja') - (a === 'ja')), `パスワード: Japanese first: ${langs}`);
        assert.ok(langs.includes('en'), 'the English slides that show 「パスワード」 follow');
        await page.waitForFunction(() => /日本語：\d+件見つかりました/.test(document.querySelector('[data-search-status] [lang="ja"]')?.textContent));

        // The results stay in the window, their marks and slide numbers too.
        const box = await page.locator('[data-search-results]').boundingBox();
        assert.ok(box.x >= 0 && box.x + box.width <= viewport.width, `results from ${box.x} to ${box.x + box.width} px`);

        // The keyboard works as on the chapter pages: arrows move, Escape closes, Enter follows.
        const input = page.locator('input[type="search"]');
        const focused = () => page.evaluate(() => document.activeElement.getAttribute('href'));
        await input.focus();
        await page.keyboard.press('ArrowDown');
        assert.equal(await focused(), japanese[0].href);
        await page.keyboard.press('ArrowDown');
        assert.equal(await focused(), japanese[1].href);
        await page.keyboard.press('ArrowUp');
        assert.equal(await focused(), japanese[0].href);
        await page.keyboard.press('ArrowUp');
        assert.equal(await page.evaluate(() => document.activeElement.type), 'search', 'up from the first result: the box');
        await page.keyboard.press('ArrowDown');
        await page.keyboard.press('Escape');
        assert.ok(await page.locator('[data-search-results]').isHidden(), 'Escape closes the results');
        assert.equal(await page.evaluate(() => document.activeElement.type), 'search');

        // A result leads to its slide in its language's pages.
        await input.fill('');
        await entryResults(page, 'password');
        await input.focus();
        await page.keyboard.press('Enter');
        await page.waitForURL(`${base}en/certificate-password.html#slide-17`);
        assert.equal(await page.locator('#slide-17 .slide-title').textContent(), english[0].title);
        await page.goto(`${base}index.html`);
        const first = (await entryResults(page, 'パスワード'))[0];
        await page.locator('[data-search-results] a').first().click();
        await page.waitForURL(`${base}${first.href}`);
        const slide = /#(slide-\d+)$/.exec(first.href)[1];
        assert.equal(await page.locator(`#${slide} .slide-title`).textContent(), first.title);

        // Nothing found: said in both languages, each in its own.
        await page.goto(`${base}index.html`);
        await input.pressSequentially('zzqqxx');
        await page.waitForFunction(() => document.querySelectorAll('.search-none').length === 2 && /zzqqxx/.test(document.querySelector('.search-none').textContent));
        const none = await page.$$eval('.search-none', (lis) => lis.map((li) => [li.getAttribute('lang'), li.textContent]));
        assert.deepEqual(none.map(([lang]) => lang), ['en', 'ja']);
        assert.match(none[0][1], /Nothing found for “zzqqxx”/);
        assert.match(none[1][1], /「zzqqxx」は見つかりませんでした/);
      } finally {
        await context.close();
        await server?.close();
      }
      assert.deepEqual(log.outside, [], 'requests outside the site');
      assert.deepEqual(log.errors, [], 'console errors (a CSP violation is one)');
    });
  }
}

for (const width of [320, 360, 768, 960, 1280, 1920]) {
  test(`entry page at ${width} px: results with their language marks stay inside the window`, async () => {
    const { context, log } = await recordedContext(env.browser, env.site, { viewport: { width, height: 800 } });
    const page = await context.newPage();
    await page.goto(fileUrl(`${env.site}/index.html`));
    for (const query of ['password', 'パスワード', 'certificate issue password']) {
      await resultsOf(page, query);
      const parts = await page.$$eval('[data-search-results] a, .search-lang, .search-slide, .search-title', (els) => els.map((e) => {
        const r = e.getBoundingClientRect();
        return [e.className || e.getAttribute('href'), r.left, r.right];
      }));
      for (const [what, left, right] of parts) {
        assert.ok(left >= 0 && right <= width, `${query}: ${what} from ${left} to ${right} px of ${width}`);
      }
      const list = page.locator('[data-search-results]');
      assert.ok(await list.evaluate((ol) => ol.scrollWidth <= ol.clientWidth), `${query}: no sideways scrolling inside the results`);
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${query}: no sideways scrolling of the page`);
    }
    await context.close();
    assert.deepEqual(log.outside, []);
    assert.deepEqual(log.errors, []);
  });
}
