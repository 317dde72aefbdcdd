// The zoom viewer (theme/static/zoom.js): a screen picture opens, by keyboard, click or tap, in a
// modal dialog at full resolution with its callouts on their spots at every zoom; the buttons, a
// two-finger pinch and the keys zoom it; Esc and its close button close it and give focus back.
// On a reading page the viewer loads only when first used; the print page and the one-file edition
// (alone in an empty folder, under its own policy) carry it. No axe violation with the dialog open,
// in light and dark; never printed; no animation for readers who ask for less motion; and without
// JavaScript the link still opens the picture.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { axe, fileUrl, recordedContext, repo, violations, withSiteAndBrowser } from './support.mjs';

const env = withSiteAndBrowser();
const shots = join(repo, 'tests', 'gui', 'artifacts');
const SIZES = [[360, 740], [1280, 800]];
// Slide 17: a picture with four callouts; slide 70: six, close together.
const SLIDES = [['ja/certificate-password.html', 17], ['en/apply-free-pass.html', 70]];
// What marks a callout, whatever draws it: every element with data-callout inside the frame.
const CALLOUT = '[data-callout]';

const dialog = (page) => page.locator('dialog.zoom');
const isOpen = (page) => page.evaluate(() => Boolean(document.querySelector('dialog.zoom')?.open));

/** Each callout of a `.screen-frame` (`selector`): its centre, in percent of the picture. */
function marksIn(page, selector) {
  return page.$eval(selector, (frame, callout) => {
    const img = frame.querySelector('img').getBoundingClientRect();
    return [...frame.querySelectorAll(callout)].map((c) => {
      // The mark itself (its disc, if it has one), not its leader and spots.
      const r = (c.querySelector('circle') || c).getBoundingClientRect();
      return {
        n: c.getAttribute('data-callout'),
        x: ((r.left + r.width / 2 - img.left) / img.width) * 100,
        y: ((r.top + r.height / 2 - img.top) / img.height) * 100,
      };
    });
  }, CALLOUT);
}

/** Asserts that the dialog's callouts sit where the page's do, within 1 % of the picture. */
function sameSpots(inDialog, onPage, what) {
  assert.ok(onPage.length >= 1, `${what}: ${onPage.length} callouts on the page`);
  assert.equal(inDialog.length, onPage.length, `${what}: every callout is in the dialog`);
  inDialog.forEach((m, i) => {
    const want = onPage[i];
    assert.equal(m.n, want.n, what);
    assert.ok(Math.abs(m.x - want.x) <= 1 && Math.abs(m.y - want.y) <= 1,
      `${what}: callout ${m.n} at ${m.x.toFixed(1)} %, ${m.y.toFixed(1)} % in the dialog, ${want.x.toFixed(1)} %, ${want.y.toFixed(1)} % on the page`);
  });
}

/** The open dialog's picture: its width on the screen, and the file it shows, once decoded. */
function picture(page) {
  return page.$eval('dialog.zoom .zoom-view img', async (img) => {
    // In the one-file edition the `<img>` holds no picture (its style draws one): nothing to decode.
    if (img.getAttribute('src') !== 'data:,') await img.decode();
    return {
      width: img.getBoundingClientRect().width,
      natural: [img.naturalWidth, img.naturalHeight],
      size: [Number(img.getAttribute('width')), Number(img.getAttribute('height'))],
      src: img.currentSrc,
      style: getComputedStyle(img).content,
    };
  });
}

/** Presses Tab from the slide's number until the figure's link (or button) has focus. */
async function tabTo(page, n) {
  await page.locator(`#slide-${n} .slide-no`).focus();
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement.matches(s), `#slide-${n} .screen-full`)) return;
  }
  assert.fail(`slide ${n}: Tab never reached the picture's link`);
}

function focusInDialog(page) {
  return page.evaluate(() => Boolean(document.activeElement.closest('dialog.zoom[open]')));
}

for (const [width, height] of SIZES) {
  test(`${width}×${height}: a picture opens by keyboard, at full size with its callouts, zooms and closes`, async () => {
    const { context, log } = await recordedContext(env.browser, env.site, { viewport: { width, height } });
    const page = await context.newPage();
    mkdirSync(shots, { recursive: true });
    for (const [rel, n] of SLIDES) {
      await page.goto(fileUrl(`${env.site}/${rel}`) + `#slide-${n}`);
      const frame = `#slide-${n} figure.screen .screen-frame`;
      const onPage = await marksIn(page, frame);
      const full = await page.$eval(`#slide-${n} a.screen-full`, (a) => a.href);
      await tabTo(page, n);
      await page.keyboard.press('Enter');
      await page.locator('dialog.zoom[open]').waitFor();
      assert.ok(await focusInDialog(page), `${rel}: focus is inside the dialog`);
      assert.ok(await dialog(page).evaluate((d) => d.matches(':modal')), `${rel}: the dialog is modal`);
      const name = await page.evaluate(() => {
        const d = document.querySelector('dialog.zoom');
        return document.getElementById(d.getAttribute('aria-labelledby'))?.textContent.trim();
      });
      assert.ok(name && name.length > 3, `${rel}: the dialog is named by the caption (${name})`);
      const shown = await picture(page);
      assert.equal(shown.src, full, `${rel}: the dialog shows the full-size file`);
      assert.deepEqual(shown.natural, shown.size, `${rel}: the picture is at its full resolution`);
      sameSpots(await marksIn(page, 'dialog.zoom .screen-frame'), onPage, `${rel} at fit`);
      // The dialog fills a phone's screen and stays inside a laptop's window.
      const box = await dialog(page).boundingBox();
      assert.ok(box.x >= 0 && box.y >= 0 && box.x + box.width <= width + 0.5 && box.y + box.height <= height + 0.5, `${rel}: the dialog is inside the window`);
      if (width < 600) assert.ok(box.width >= width - 0.5 && box.height >= height - 0.5, `${rel}: full screen on a phone (${box.width}×${box.height})`);
      for (const b of await dialog(page).locator('button').all()) {
        const r = await b.boundingBox();
        assert.ok(r.width >= 44 && r.height >= 44, `${rel}: ${await b.textContent()} is ${r.width}×${r.height} px`);
      }
      await page.screenshot({ path: join(shots, `zoom-slide${n}-${width}.png`) });
      // + enlarges, at every size the callouts follow; − shrinks.
      const fit = shown.width;
      await dialog(page).locator('.zoom-in').click();
      const bigger = (await picture(page)).width;
      assert.ok(bigger > fit * 1.2, `${rel}: + enlarges (${fit} → ${bigger})`);
      await dialog(page).locator('.zoom-in').click();
      sameSpots(await marksIn(page, 'dialog.zoom .screen-frame'), onPage, `${rel} zoomed in`);
      await page.screenshot({ path: join(shots, `zoom-slide${n}-${width}-zoomed.png`) });
      const zoomed = (await picture(page)).width;
      await dialog(page).locator('.zoom-out').click();
      const smaller = (await picture(page)).width;
      assert.ok(smaller < zoomed / 1.2, `${rel}: − shrinks (${zoomed} → ${smaller})`);
      await page.keyboard.press('Escape');
      assert.equal(await isOpen(page), false, `${rel}: Esc closes`);
      assert.ok(await page.evaluate((s) => document.activeElement.matches(s), `#slide-${n} a.screen-full`), `${rel}: focus is back on the link`);
      // The picture goes when the dialog's close event has run (it fires after Esc, not at once).
      await page.waitForFunction(() => !document.querySelector('dialog.zoom img'), null, { timeout: 3000 }).catch(() => {});
      assert.equal(await page.locator('dialog.zoom img').count(), 0, `${rel}: the closed dialog keeps no picture`);
    }
    await context.close();
    assert.deepEqual(log.outside, []);
    assert.deepEqual(log.errors, []);
  });

  test(`${width}×${height}: a ${width < 600 ? 'tap' : 'click'} on the picture opens it; its close button closes it`, async () => {
    const touch = width < 600;
    const { context, log } = await recordedContext(env.browser, env.site, { viewport: { width, height }, hasTouch: touch, isMobile: touch });
    const page = await context.newPage();
    for (const [rel, n] of SLIDES) {
      await page.goto(fileUrl(`${env.site}/${rel}`) + `#slide-${n}`);
      const img = page.locator(`#slide-${n} figure.screen img`);
      if (touch) await img.tap();
      else await img.click();
      await page.locator('dialog.zoom[open]').waitFor();
      assert.ok(await focusInDialog(page), `${rel}: focus is inside the dialog`);
      await dialog(page).locator('.zoom-close').click();
      assert.equal(await isOpen(page), false, `${rel}: the close button closes`);
      assert.ok(await page.evaluate((s) => document.activeElement.matches(s), `#slide-${n} a.screen-full`), `${rel}: focus goes to the picture's link`);
    }
    await context.close();
    assert.deepEqual(log.errors, []);
  });
}

test('360×740: two fingers pinching the picture enlarge it in the dialog, not the page', async () => {
  const { context, log } = await recordedContext(env.browser, env.site, { viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  await page.goto(fileUrl(`${env.site}/ja/certificate-password.html`) + '#slide-17');
  const onPage = await marksIn(page, '#slide-17 figure.screen .screen-frame');
  await page.locator('#slide-17 figure.screen img').tap();
  await page.locator('dialog.zoom[open]').waitFor();
  const before = (await picture(page)).width;
  const view = await dialog(page).locator('.zoom-view').boundingBox();
  const [x, y] = [view.x + view.width / 2, view.y + view.height / 2];
  const cdp = await context.newCDPSession(page);
  const fingers = (type, apart) => cdp.send('Input.dispatchTouchEvent', {
    type,
    touchPoints: apart === null ? [] : [{ x: x - apart, y, id: 1 }, { x: x + apart, y, id: 2 }],
  });
  await fingers('touchStart', 30);
  for (let apart = 40; apart <= 150; apart += 10) await fingers('touchMove', apart);
  await fingers('touchEnd', null);
  const after = (await picture(page)).width;
  assert.ok(after > before * 2, `the pinch enlarges the picture (${before} → ${after} px)`);
  assert.equal(await page.evaluate(() => window.visualViewport.scale), 1, 'the page itself is not zoomed');
  sameSpots(await marksIn(page, 'dialog.zoom .screen-frame'), onPage, 'after the pinch');
  await context.close();
  assert.deepEqual(log.errors, []);
});

test('a reading page loads the viewer only when a picture is first opened', async () => {
  const { context, log } = await recordedContext(env.browser, env.site);
  const page = await context.newPage();
  await page.goto(fileUrl(`${env.site}/ja/certificate-password.html`));
  const zoomFiles = () => log.requests.filter((u) => /\/assets\/zoom\./.test(u));
  assert.deepEqual(zoomFiles(), [], 'nothing of the viewer loads with the page');
  await page.locator('#slide-17 a.screen-full').click();
  await page.locator('dialog.zoom[open]').waitFor();
  const loaded = zoomFiles().map((u) => u.replace(/.*\/assets\//, ''));
  assert.equal(loaded.length, 2, `its script and stylesheet, once: ${loaded}`);
  assert.ok(loaded.some((f) => /^zoom\.ja\.[0-9a-f]+\.js$/.test(f)) && loaded.some((f) => /^zoom\.[0-9a-f]+\.css$/.test(f)), `${loaded}`);
  await page.keyboard.press('Escape');
  await page.locator('#slide-18 a.screen-full').first().click();
  await page.locator('dialog.zoom[open]').waitFor();
  assert.equal(zoomFiles().length, 2, 'a second picture loads nothing more');
  await context.close();
  assert.deepEqual(log.outside, []);
  assert.deepEqual(log.errors, []);
});

test('the print page carries the viewer: a picture opens from it', async () => {
  const { context, log } = await recordedContext(env.browser, env.site);
  const page = await context.newPage();
  await page.goto(fileUrl(`${env.site}/en/print.html`) + '#slide-70');
  const onPage = await marksIn(page, '#slide-70 figure.screen .screen-frame');
  await page.locator('#slide-70 figure.screen img').click();
  await page.locator('dialog.zoom[open]').waitFor();
  sameSpots(await marksIn(page, 'dialog.zoom .screen-frame'), onPage, 'print page');
  await context.close();
  assert.deepEqual(log.errors, []);
});

for (const lang of ['ja', 'en']) {
  test(`${lang}: the one-file edition alone opens its pictures, under its own policy, with no request`, async () => {
    const alone = mkdtempSync(join(tmpdir(), 'tebiki-zoom-alone-'));
    copyFileSync(join(env.site, lang, 'guide-offline.html'), join(alone, 'guide.html'));
    const url = fileUrl(join(alone, 'guide.html'));
    for (const [width, height] of SIZES) {
      const { context, log } = await recordedContext(env.browser, alone, { viewport: { width, height } });
      const page = await context.newPage();
      await page.goto(url + '#slide-17', { waitUntil: 'load' });
      const onPage = await marksIn(page, '#slide-17 figure.screen .screen-frame');
      await tabTo(page, 17);
      assert.equal(await page.evaluate(() => document.activeElement.tagName), 'BUTTON', 'a button opens the picture (the file has no link to it)');
      await page.keyboard.press('Enter');
      await page.locator('dialog.zoom[open]').waitFor();
      assert.ok(await focusInDialog(page), `${width}: focus is inside the dialog`);
      const shown = await picture(page);
      assert.match(shown.style, /^url\("data:image\/webp;base64,/, `${width}: the dialog's picture is the one inside the file`);
      sameSpots(await marksIn(page, 'dialog.zoom .screen-frame'), onPage, `${lang} ${width}: one-file edition`);
      await page.keyboard.press('+');
      assert.ok((await picture(page)).width > shown.width * 1.2, `${width}: + enlarges`);
      await page.screenshot({ path: join(shots, `zoom-offline-${lang}-${width}.png`) });
      await page.keyboard.press('Escape');
      assert.equal(await isOpen(page), false);
      await context.close();
      assert.deepEqual(log.requests, [url], `${width}: the only request is the file itself`);
      assert.deepEqual(log.errors, [], `${width}: no script or style is refused by the file's policy`);
    }
  });
}

for (const scheme of ['light', 'dark']) {
  test(`axe-core: no violation with the dialog open (${scheme})`, async () => {
    const found = [];
    for (const [width, height] of SIZES) {
      const context = await env.browser.newContext({ bypassCSP: true, colorScheme: scheme, viewport: { width, height } });
      const page = await context.newPage();
      for (const [rel, n] of SLIDES) {
        await page.goto(fileUrl(`${env.site}/${rel}`) + `#slide-${n}`);
        await page.locator(`#slide-${n} a.screen-full`).click();
        await page.locator('dialog.zoom[open]').waitFor();
        await dialog(page).locator('.zoom-in').click();
        for (const v of violations(await axe(page))) found.push(`${rel} ${width}: ${v}`);
      }
      await context.close();
    }
    assert.deepEqual(found, []);
  });
}

test('the open dialog is not printed, and does not move for readers who ask for less motion', async () => {
  for (const reducedMotion of ['reduce', 'no-preference']) {
    const { context, log } = await recordedContext(env.browser, env.site, { reducedMotion });
    const page = await context.newPage();
    await page.goto(fileUrl(`${env.site}/ja/certificate-password.html`));
    await page.locator('#slide-17 a.screen-full').click();
    await page.locator('dialog.zoom[open]').waitFor();
    const fade = await dialog(page).evaluate((d) => getComputedStyle(d).animationName);
    if (reducedMotion === 'reduce') assert.equal(fade, 'none', 'no animation with less motion');
    else assert.notEqual(fade, 'none', 'a short fade otherwise');
    await page.emulateMedia({ media: 'print' });
    assert.equal(await dialog(page).evaluate((d) => getComputedStyle(d).display), 'none', 'not printed');
    await context.close();
    assert.deepEqual(log.errors, []);
  }
});

test('without JavaScript the link opens the full-size picture', async () => {
  const { context } = await recordedContext(env.browser, env.site, { javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(fileUrl(`${env.site}/ja/certificate-password.html`));
  const link = page.locator('#slide-17 a.screen-full');
  const full = await link.evaluate((a) => a.href);
  await link.click();
  await page.waitForURL(full);
  assert.equal(page.url(), full);
  await context.close();
});
