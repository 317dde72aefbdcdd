// Links: an external link opens in a new tab and says so (to screen readers too); a link inside
// the guide stays in the same tab; and the entry page's search results stay inside the window at
// every width. No test makes a real request: an external address is answered by a local page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileUrl, htmlPages, recordedContext, withSiteAndBrowser } from './support.mjs';

const env = withSiteAndBrowser();

const NEW_TAB = { ja: '新しいタブで開きます', en: 'opens in a new tab' };
const EXTERNAL = /^https?:\/\//;

/** Each link of the page: where it goes, its target and rel. */
function linksOf(page) {
  return page.$$eval('a[href]', (as) => as.map((a) => ({
    href: a.getAttribute('href'), target: a.getAttribute('target'), rel: a.getAttribute('rel') ?? '',
  })));
}

/** The accessible name of the `i`-th external link, as Chromium's accessibility tree gives it. */
async function externalName(page, i) {
  const snapshot = await page.locator('a[href^="http://"], a[href^="https://"]').nth(i).ariaSnapshot();
  return /^- link "((?:[^"\\]|\\.)*)"/.exec(snapshot)?.[1] ?? snapshot;
}

test('every external link on every page opens in a new tab and says so; internal links do not', async () => {
  const { context, log } = await recordedContext(env.browser, env.site);
  const page = await context.newPage();
  const found = { ja: 0, en: 0 };
  for (const rel of htmlPages(env.site)) {
    await page.goto(fileUrl(`${env.site}/${rel}`));
    const lang = await page.getAttribute('html', 'lang');
    const links = await linksOf(page);
    let i = 0;
    for (const link of links) {
      if (!EXTERNAL.test(link.href)) {
        assert.equal(link.target, null, `${rel}: ${link.href} stays in the same tab`);
        continue;
      }
      assert.equal(link.target, '_blank', `${rel}: ${link.href} opens in a new tab`);
      assert.ok(link.rel.split(/\s+/).includes('noopener'), `${rel}: ${link.href} has rel="${link.rel}"`);
      const name = await externalName(page, i);
      assert.ok(name.includes(NEW_TAB[lang]), `${rel}: the name of ${link.href} is "${name}"`);
      i += 1;
    }
    found[lang] += i;
  }
  assert.ok(found.ja > 0 && found.en > 0, `external links found: ${JSON.stringify(found)}`);
  await context.close();
  assert.deepEqual(log.errors, []);
});

test('clicking an external link opens it in a new page and leaves the guide where it was', async () => {
  const { context, log } = await recordedContext(env.browser, env.site);
  const answered = [];
  // Registered after the recording route, so it is asked first: every address off the site gets
  // a small local page instead of the network.
  await context.route((url) => url.protocol !== 'file:', (route) => {
    answered.push(route.request().url());
    return route.fulfill({ contentType: 'text/html', body: '<!DOCTYPE html><title>outside</title><p>outside</p>' });
  });
  for (const rel of ['ja/id.html', 'en/start.html']) {
    const page = await context.newPage();
    const url = fileUrl(`${env.site}/${rel}`);
    await page.goto(url);
    const link = page.locator('main a.external').first();
    const href = await link.getAttribute('href');
    const [popup] = await Promise.all([context.waitForEvent('page'), link.click()]);
    await popup.waitForLoadState();
    assert.equal(popup.url(), new URL(href).href, `${rel}: the new page shows ${href}`);
    assert.equal(await popup.evaluate(() => window.opener), null, 'the new page cannot reach the guide');
    assert.equal(page.url(), url, `${rel}: the guide stays open in its own tab`);
    await popup.close();
    await page.close();
  }
  assert.ok(answered.length >= 2, `answered locally: ${answered}`);
  await context.close();
  assert.deepEqual(log.outside, []);
  assert.deepEqual(log.errors, []);
});

for (const width of [320, 360, 768, 960, 1280, 1920]) {
  test(`entry page at ${width} px: the search results stay inside the window`, async () => {
    const { context, log } = await recordedContext(env.browser, env.site, { viewport: { width, height: 800 } });
    const page = await context.newPage();
    await page.goto(fileUrl(`${env.site}/index.html`));
    await page.locator('input[type="search"]').pressSequentially('証明書', { delay: 2 });
    const results = page.locator('[data-search-results]');
    await results.locator('li a').first().waitFor();
    const box = await results.boundingBox();
    assert.ok(box.x >= 0, `left edge at ${box.x} px`);
    assert.ok(box.x + box.width <= width, `right edge at ${box.x + box.width} px of ${width}`);
    const slide = await results.locator('.search-slide').first().boundingBox();
    assert.ok(slide.x >= 0 && slide.x + slide.width <= width, `the first slide number is in view at ${slide.x} px`);
    await context.close();
    assert.deepEqual(log.outside, []);
    assert.deepEqual(log.errors, []);
  });
}
