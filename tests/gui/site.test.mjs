// The bundled guide over file://, as a care manager opens it from a USB stick: every page loads
// with no request outside public/, no console error, and every internal link and #slide-N anchor
// resolves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fileUrl, htmlPages, recordedContext, withSiteAndBrowser } from './support.mjs';

const env = withSiteAndBrowser();

test('every page over file:// stays inside public/, logs no error, and has no broken link', async () => {
  const { context, log } = await recordedContext(env.browser, env.site);
  const page = await context.newPage();
  const ids = new Map();
  const links = [];
  const pages = htmlPages(env.site);
  assert.ok(pages.length >= 21, `pages built: ${pages.length}`);
  for (const rel of pages) {
    const url = fileUrl(`${env.site}/${rel}`);
    await page.goto(url, { waitUntil: 'load' });
    const found = await page.evaluate(() => ({
      ids: [...document.querySelectorAll('[id]')].map((e) => e.id),
      links: [...document.querySelectorAll('a[href]')].map((a) => a.href),
    }));
    ids.set(url, new Set(found.ids));
    for (const href of found.links) links.push({ from: rel, href });
  }
  await context.close();

  assert.deepEqual(log.outside, [], 'requests outside public/');
  assert.deepEqual(log.errors, [], 'console and page errors');
  assert.ok(log.requests.length > pages.length, 'pages loaded their styles and scripts');

  const broken = [];
  for (const { from, href } of links) {
    if (/^https?:/.test(href)) continue; // external links are followed by readers, not loaded here
    const [file, hash] = href.split('#');
    if (!file.startsWith('file:')) { broken.push(`${from}: ${href} (not a file link)`); continue; }
    if (file.endsWith('/')) { broken.push(`${from}: ${href} names a folder`); continue; }
    if (!existsSync(fileURLToPath(file))) { broken.push(`${from}: ${href} (no such file)`); continue; }
    if (hash && !ids.get(file)?.has(decodeURIComponent(hash))) broken.push(`${from}: ${href} (no such anchor)`);
  }
  assert.deepEqual(broken, [], 'broken links');
  const slideLinks = links.filter((l) => /#slide-\d+$/.test(l.href));
  assert.ok(slideLinks.length > 80, `slide links checked: ${slideLinks.length}`);
});

test('switching language lands on the same slide', async () => {
  const { context, log } = await recordedContext(env.browser, env.site);
  const page = await context.newPage();
  await page.goto(fileUrl(`${env.site}/ja/certificate-install.html`) + '#slide-33');
  const sw = page.locator('a[data-lang-switch]');
  assert.match(await sw.getAttribute('href'), /en\/certificate-install\.html#slide-33$/);
  // Reaching the switch by keyboard must not scroll the page (and so change the slide being read).
  const before = await page.evaluate(() => scrollY);
  await sw.focus();
  assert.equal(await page.evaluate(() => scrollY), before, 'focusing the sticky switch scrolled the page');
  await sw.click();
  await page.waitForURL(/en\/certificate-install\.html#slide-33$/);
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.ok(await page.locator('#slide-33').isVisible());
  // Scrolling to another slide moves the switch with it.
  await page.locator('#slide-36').scrollIntoViewIfNeeded();
  await page.evaluate(() => document.getElementById('slide-36').scrollIntoView({ block: 'start' }));
  await page.waitForFunction(() => /#slide-36$/.test(document.querySelector('a[data-lang-switch]').getAttribute('href')));
  await context.close();
  assert.deepEqual(log.errors, []);
});

test('a cross-reference takes the reader to the slide, on another page', async () => {
  const { context, log } = await recordedContext(env.browser, env.site);
  const page = await context.newPage();
  await page.goto(fileUrl(`${env.site}/ja/id.html`) + '#slide-9');
  await page.locator('#slide-9 a', { hasText: 'スライド13' }).click();
  await page.waitForURL(/ja\/certificate\.html#slide-13$/);
  const [top, headerBottom] = await page.evaluate(() => [
    document.getElementById('slide-13').getBoundingClientRect().top,
    document.querySelector('.site-header').getBoundingClientRect().bottom,
  ]);
  assert.ok(top >= headerBottom && top < headerBottom + 40, `slide 13 starts just below the header (top=${top}, header=${headerBottom})`);
  await context.close();
  assert.deepEqual(log.errors, []);
});

test('the entry page offers both languages', async () => {
  const { context } = await recordedContext(env.browser, env.site);
  const page = await context.newPage();
  await page.goto(fileUrl(`${env.site}/index.html`));
  assert.equal(await page.locator('html').getAttribute('lang'), 'ja');
  await page.locator('a[hreflang="en"]').click();
  await page.waitForURL(/en\/index\.html$/);
  assert.equal(await page.locator('h1').count(), 1);
  await context.close();
});

test('over HTTP under a sub-path, the strict Content-Security-Policy breaks nothing', async () => {
  // A tiny static server on 127.0.0.1 serving the site under /guide/, as on the city's web site.
  const { createServer } = await import('node:http');
  const { readFile } = await import('node:fs/promises');
  const { extname, join, normalize } = await import('node:path');
  const types = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.webp': 'image/webp' };
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (!path.startsWith('/guide/')) { res.writeHead(404).end(); return; }
    try {
      const body = await readFile(join(env.site, path.slice('/guide/'.length)));
      res.writeHead(200, { 'content-type': types[extname(path)] || 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const origin = `http://127.0.0.1:${server.address().port}`;
  const context = await env.browser.newContext();
  const errors = [];
  const outside = [];
  context.on('page', (p) => {
    p.on('console', (m) => { if (m.type() === 'error') errors.push(`${p.url()}: ${m.text()}`); });
    p.on('pageerror', (e) => errors.push(`${p.url()}: ${e.message}`));
  });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/guide/`)) return route.continue();
    outside.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  try {
    for (const rel of ['index.html', 'ja/index.html', 'ja/certificate.html', 'en/print.html', 'ja/checker.html', 'en/accessibility.html']) {
      const response = await page.goto(`${origin}/guide/${rel}`);
      assert.equal(response.status(), 200, rel);
    }
    // Scripts run under the policy: search loads its index, the checker checks.
    await page.goto(`${origin}/guide/ja/checker.html`);
    await page.locator('[data-check="office-user-id"]').pressSequentially('kj12');
    assert.equal(await page.locator('[data-check-status="office-user-id"]').getAttribute('data-state'), 'invalid');
    await page.locator('input[type="search"]').pressSequentially('フリーパス');
    await page.locator('[data-search-results] a').first().waitFor();
    const pictures = await page.goto(`${origin}/guide/ja/certificate.html#slide-14`);
    assert.equal(pictures.status(), 200);
    await page.locator('#slide-14 figure img').evaluate((img) => img.decode());
  } finally {
    await context.close();
    await new Promise((done) => server.close(done));
  }
  assert.deepEqual(outside, [], 'requests outside the site');
  assert.deepEqual(errors, [], 'console errors (a CSP violation is one)');
});
