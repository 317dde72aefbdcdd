// Text of a slide that would break an inline script: a code span holding `<!--<script>` (the HTML
// parser's "escaped" states) and `</script>`. In the one-file edition the slide's text sits inside
// an inline script (the search index); escaped for script data, it leaves the page whole: every
// slide is there, search finds the slide by that very text, and the checker still works.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSite, fileUrl, launch, recordedContext, repo } from './support.mjs';

let site, browser;
before(async () => {
  const project = mkdtempSync(join(tmpdir(), 'tebiki-hostile-'));
  cpSync(join(repo, 'tests/testsuite/build/basic'), project, { recursive: true });
  cpSync(join(repo, 'content/checker.toml'), join(project, 'content/checker.toml'));
  const slide = join(project, 'content/slides/005-done.ja.md');
  const text = readFileSync(slide, 'utf8').replace('これで終わりです。', 'これで終わりです。`<!--<script>` と `</script>` はただの文字です。');
  writeFileSync(slide, `${text}\n\`\`\`checker\npassword\n\`\`\`\n`);
  site = buildSite(project);
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

test('script-breaking text in a slide leaves the one-file edition whole, searchable and checking', async () => {
  const alone = mkdtempSync(join(tmpdir(), 'tebiki-hostile-alone-'));
  copyFileSync(join(site, 'ja', 'guide-offline.html'), join(alone, 'guide.html'));
  const { context, log } = await recordedContext(browser, alone);
  const page = await context.newPage();
  await page.goto(fileUrl(join(alone, 'guide.html')), { waitUntil: 'load' });
  assert.equal(await page.locator('section.slide').count(), 5, 'every slide, after the inline scripts too');
  assert.match(await page.locator('#slide-5').innerText(), /<!--<script>/, 'the text shows as written');
  await page.locator('input[type="search"]').pressSequentially('ただの文字');
  const first = page.locator('[data-search-results] a').first();
  await first.waitFor();
  assert.equal(await first.getAttribute('href'), '#slide-5');
  const input = page.locator('#slide-5 [data-checker] input[data-check="password"]');
  await input.click();
  await page.keyboard.type('short');
  assert.equal(await page.locator('#slide-5 [data-check-status="password"]').getAttribute('data-state'), 'invalid');
  await context.close();
  assert.deepEqual(log.errors, []);
});
