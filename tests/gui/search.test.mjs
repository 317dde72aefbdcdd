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
    // Several words narrow the results.
    const one = (await searchFor(page, lang === 'ja' ? 'パスワード' : 'password')).length;
    const two = (await searchFor(page, lang === 'ja' ? 'パスワード 確認コード' : 'password confirmation')).length;
    assert.ok(two < one, `two words (${two}) narrow one (${one})`);
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

test('the page normalises and splits text exactly as tebiki does', async () => {
  const lines = readFileSync(join(repo, 'tests', 'search-normalize.txt'), 'utf8').split('\n').filter(Boolean);
  const bin = process.env.TEBIKI_BIN || join(repo, 'target', 'debug', 'tebiki');
  const rust = execFileSync(bin, ['tokens'], { input: lines.join('\n') + '\n' }).toString().trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(rust.length, lines.length);
  const { context } = await recordedContext(env.browser, env.site);
  const page = await context.newPage();
  await page.goto(fileUrl(`${env.site}/en/index.html`));
  const js = await page.evaluate((lines) => lines.map((l) => {
    const n = window.tebikiSearch.normalize(l);
    return [l, n, window.tebikiSearch.terms(n)];
  }), lines);
  for (let i = 0; i < lines.length; i++) assert.deepEqual(js[i], rust[i], `line ${i + 1}: ${lines[i]}`);
  await context.close();
});
