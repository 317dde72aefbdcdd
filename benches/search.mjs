// Search budgets (issue: search). Not a test: it measures and prints.
//   node benches/search.mjs [N]        (after `cargo build --release` and `npm ci`)
// 1. The bundled guide: what a first query loads (the index with its engine, the shards it needs
//    and the text chunks of its snippets; budget 150 KB) and the median time of a query with the
//    snippets of its first 20 results in Chromium (budget 10 ms).
// 2. A synthetic guide of N slides per language (default 10,000, made by benches/synth.mjs): index
//    load plus first query in Chromium (budget 300 ms), and what it loads.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const repo = resolve(import.meta.dirname, '..');
const release = join(repo, 'target', 'release', 'tebiki');
const bin = process.env.TEBIKI_BIN || release;
const n = Number(process.argv[2] || 10000);
const work = mkdtempSync(join(tmpdir(), 'tebiki-bench-'));

function build(root, out) {
  const t0 = process.hrtime.bigint();
  execFileSync(bin, ['--root', root, 'build', '--out', out, '--no-pdf'], { stdio: ['ignore', 'ignore', 'inherit'] });
  return Number(process.hrtime.bigint() - t0) / 1e6;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** Bytes of a language's whole search index: the main script, its term shards and text chunks. */
function indexSize(assets, lang) {
  return readdirSync(assets)
    .filter((f) => f.startsWith(`search-index.${lang}.`) || f.startsWith(`search-${lang}-`))
    .reduce((sum, f) => sum + statSync(join(assets, f)).size, 0);
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

// 1. The bundled guide.
const site = join(work, 'guide');
build(repo, site);
const queries = {
  ja: ['証明書', 'フリーパス', 'ふりーぱす', 'KJ', 'ＫＪ', '確認コード', 'ぱすわーど 変更', 'インストール', 'ダウンロード 組織名称', 'ログ', 'パスワードを忘れた', 'ヘルプデスク 電話番号', 'スライド17'],
  en: ['certificates', 'free pass', 'KJ', 'confirmation code', 'password change', 'install', 'download', 'cert', 'help desk', 'lo', 'forgot password', 'certficate', 'slide 17', 'organisation name'],
};
/** The bytes a fresh page loads of the search (index, shards, text chunks) for `query` typed into
 * its box, once the snippets are in. */
async function firstQueryBytes(root, lang, query) {
  const page = await browser.newPage();
  const files = new Set();
  page.on('request', (r) => { if (/\/assets\/search-(index|ja|en)/.test(r.url())) files.add(new URL(r.url()).pathname); });
  await page.goto(pathToFileURL(join(root, lang, 'index.html')).href);
  await page.locator('input[type="search"]').fill(query);
  await page.waitForFunction((q) => document.querySelector('[data-search-results]').dataset.query === q, query);
  // The snippets in view (the first six; the others load when the reader moves down the list).
  await page.waitForFunction(() => Array.from(document.querySelectorAll('.search-snippet')).slice(0, 6).every((s) => s.textContent));
  await page.waitForTimeout(200);
  await page.close();
  return [...files].reduce((sum, f) => sum + statSync(decodeURIComponent(f)).size, 0);
}
for (const lang of ['ja', 'en']) {
  const size = indexSize(join(site, 'assets'), lang);
  const loaded = [];
  for (const q of queries[lang]) loaded.push(await firstQueryBytes(site, lang, q));
  const page = await browser.newPage();
  await page.goto(pathToFileURL(join(site, lang, 'index.html')).href);
  await page.evaluate(() => new Promise((done) => window.tebikiSearch.loadAll(done)));
  const times = await page.evaluate((qs) => {
    const engine = window.tebikiSearchEngine;
    const index = window.tebikiSearchIndex;
    const all = [];
    for (let round = 0; round < 20; round++) {
      for (const q of qs) {
        const t0 = performance.now();
        const hits = engine.search(index, q);
        hits.slice(0, 20).forEach((h) => engine.snippet(engine.text(index, h[0]), h[3], index.stemmer));
        all.push(performance.now() - t0);
      }
    }
    return all;
  }, queries[lang]);
  console.log(`bundled ${lang}: whole index ${(size / 1024).toFixed(1)} KB; a first query loads ${(Math.min(...loaded) / 1024).toFixed(1)}–${(Math.max(...loaded) / 1024).toFixed(1)} KB (budget 150 KB); median query ${median(times).toFixed(2)} ms, slowest ${Math.max(...times).toFixed(2)} ms over ${times.length} (budget 10 ms)`);
  await page.close();
}

// 2. The synthetic guide.
const synth = join(work, 'synth');
execFileSync('node', [join(repo, 'benches', 'synth.mjs'), synth, String(n)], { stdio: 'ignore' });
const ms = build(synth, join(synth, 'public'));
console.log(`synthetic ${n} slides × 2 languages built in ${(ms / 1000).toFixed(1)} s`);
for (const lang of ['ja', 'en']) {
  const size = indexSize(join(synth, 'public', 'assets'), lang);
  const runs = [];
  for (let run = 0; run < 5; run++) {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(join(synth, 'public', lang, 'index.html')).href);
    // From nothing loaded to the ranked results of the first query (snippets fill in after).
    const t = await page.evaluate((q) => new Promise((done) => {
      const t0 = performance.now();
      window.tebikiSearch.query(q, (hits) => done([performance.now() - t0, hits.length]));
    }), lang === 'ja' ? '手順 確認' : 'check steps');
    runs.push(t[0]);
    await page.close();
  }
  const bytes = await firstQueryBytes(join(synth, 'public'), lang, lang === 'ja' ? '手順 確認' : 'check steps');
  console.log(`synthetic ${lang}: whole index ${(size / 1024 / 1024).toFixed(1)} MB in shards; index load + first query median ${median(runs).toFixed(0)} ms over ${runs.length} runs (budget 300 ms); it loads ${(bytes / 1024).toFixed(0)} KB with its snippets`);
}
await browser.close();
