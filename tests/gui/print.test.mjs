// Handouts and the one-file edition: both PDF handouts tebiki printed (LANG/guide.pdf) hold all 80
// slide labels on A4 with every font embedded; every QR code decodes to its address; each one-file edition,
// alone in an empty folder, makes no request and still searches and checks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSite, fileUrl, launch, recordedContext, repo } from './support.mjs';

let site, browser, work;
before(async () => {
  site = buildSite(undefined, { pdf: true });
  browser = await launch();
  work = mkdtempSync(join(tmpdir(), 'tebiki-print-'));
});
after(async () => {
  await browser?.close();
});

const label = { ja: (n) => `スライド${n}`, en: (n) => `Slide ${n}` };
const urls = readFileSync(join(repo, 'content', 'guide.toml'), 'utf8').split('\n')
  .filter((l) => l.startsWith('url = "')).map((l) => l.slice(7, -1));

for (const lang of ['ja', 'en']) {
  test(`${lang}: guide.pdf is A4 with every slide label and every font embedded`, async () => {
    const { context, log } = await recordedContext(browser, site);
    const page = await context.newPage();
    await page.goto(fileUrl(`${site}/${lang}/print.html`), { waitUntil: 'load' });
    const pdf = join(site, lang, 'guide.pdf');
    // Which face renders Japanese text (with lang="ja", Chromium must pick a Japanese one, not a
    // Chinese one): asked of the browser, since the PDF keeps CFF faces as unnamed Type 3 fonts.
    await page.emulateMedia({ media: 'print' });
    const cdp = await context.newCDPSession(page);
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument');
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: '#slide-9 .slide-title' });
    const { fonts: used } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    if (lang === 'ja') assert.match(used.map((f) => f.familyName).join(', '), /JP|Japanese|Gothic|Meiryo/, 'a Japanese face for Japanese text');
    await context.close();
    assert.deepEqual(log.outside, []);
    assert.deepEqual(log.errors, []);

    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-']).toString();
    const squeezed = text.replace(/[ \t]+/g, lang === 'ja' ? '' : ' ');
    const missing = [];
    for (let n = 1; n <= 80; n++) {
      const want = label[lang](n).replace(/ /g, lang === 'ja' ? '' : ' ');
      if (!new RegExp(`${want}(?!\\d)`).test(squeezed)) missing.push(n);
    }
    assert.deepEqual(missing, [], `${lang}: slide labels missing from the PDF`);
    const info = execFileSync('pdfinfo', [pdf]).toString();
    const pages = Number(/Pages:\s+(\d+)/.exec(info)[1]);
    assert.match(info, /Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)/, 'A4 portrait');
    const fonts = execFileSync('pdffonts', [pdf]).toString().trim().split('\n').slice(2);
    assert.ok(fonts.length > 0, 'fonts listed');
    // columns: name, type, encoding, emb, sub, uni, object, ID
    const notEmbedded = fonts.filter((l) => !/\s(yes)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$/.test(l));
    assert.deepEqual(notEmbedded, [], 'every font is embedded');
    writeFileSync(join(work, `pages-${lang}.txt`), String(pages));
    console.log(`# ${lang}/guide.pdf: ${pages} A4 pages, ${fonts.length} fonts, all embedded`);
  });
}

test('every QR code decodes to its address', async () => {
  // Rendered at 3× (about 300 dpi, as on paper).
  const { context } = await recordedContext(browser, site, { deviceScaleFactor: 3 });
  const page = await context.newPage();
  await page.emulateMedia({ media: 'print' });
  const decoded = new Map();
  for (const lang of ['ja', 'en']) {
    await page.goto(fileUrl(`${site}/${lang}/print.html`));
    const codes = page.locator('.qr');
    const count = await codes.count();
    assert.ok(count >= urls.length, `${lang}: ${count} QR codes`);
    for (let i = 0; i < count; i++) {
      const url = (await codes.nth(i).locator('.qr-url').textContent()).trim();
      if (decoded.has(`${lang} ${url}`)) continue;
      const png = join(work, `qr-${lang}-${decoded.size}.png`);
      await codes.nth(i).locator('svg').screenshot({ path: png });
      const out = execFileSync('zbarimg', ['--quiet', '--raw', png]).toString().trim();
      assert.equal(out, url, `${lang}: the QR code beside ${url}`);
      decoded.set(`${lang} ${url}`, out);
    }
  }
  for (const url of urls) {
    for (const lang of ['ja', 'en']) assert.ok(decoded.has(`${lang} ${url}`), `${lang}: a QR code for ${url}`);
  }
  await context.close();
});

for (const lang of ['ja', 'en']) {
  test(`${lang}: the one-file edition works alone and makes no request`, async () => {
    const alone = mkdtempSync(join(tmpdir(), 'tebiki-alone-'));
    copyFileSync(join(site, lang, 'guide-offline.html'), join(alone, 'guide.html'));
    const { context, log } = await recordedContext(browser, alone);
    const page = await context.newPage();
    const url = fileUrl(join(alone, 'guide.html'));
    await page.goto(url, { waitUntil: 'load' });
    assert.equal(await page.locator('section.slide').count(), 80, 'all slides');
    const broken = await page.$$eval('img', (imgs) => imgs.filter((i) => !i.complete || i.naturalWidth === 0).length);
    assert.equal(broken, 0, 'every picture shows');
    // Search finds a slide (the index is inside the file).
    await page.locator('input[type="search"]').pressSequentially(lang === 'ja' ? 'フリーパス' : 'free pass');
    const first = page.locator('[data-search-results] a').first();
    await first.waitFor();
    assert.equal(await first.getAttribute('href'), '#slide-69');
    // The checker marks a bad ID invalid.
    const input = page.locator('#slide-14 [data-checker] input[data-check="office-user-id"]');
    await input.click();
    await page.keyboard.type('kj12');
    assert.equal(await page.locator('#slide-14 [data-check-status="office-user-id"]').getAttribute('data-state'), 'invalid');
    await context.close();
    assert.deepEqual(log.requests, [url], 'the only request is the file itself');
    assert.deepEqual(log.errors, []);
  });
}
