// The format checker in the browser: every public vector and our own cases, typed key by key on both
// languages' checker.html; nothing typed leaves the page or is stored; keyboard only; axe-core.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { axe, fileUrl, recordedContext, repo, violations, withSiteAndBrowser } from './support.mjs';

const shared = join(repo, '..', 'shared', 'checker-vectors.toml');
const vectors = parse(readFileSync(existsSync(shared) ? shared : join(repo, 'tests', 'checker-vectors.toml'), 'utf8')).case;
const cases = parse(readFileSync(join(repo, 'tests', 'checker-cases.toml'), 'utf8')).case;

const env = withSiteAndBrowser();

/** Types each value of `fill` into its field, key by key, as a person would. */
async function fill(page, values) {
  for (const [field, value] of Object.entries(values)) {
    const input = page.locator(`[data-checker] input[data-check="${field}"]`).first();
    await input.click();
    await input.fill('');
    await page.keyboard.type(value, { delay: 5 });
  }
}

async function status(page, field) {
  const el = page.locator(`[data-checker] [data-check-status="${field}"]`).first();
  return {
    state: await el.getAttribute('data-state'),
    messages: (await el.getAttribute('data-messages') || '').split(' ').filter(Boolean),
    text: (await el.locator('li').allTextContents()).join(' '),
  };
}

for (const lang of ['ja', 'en']) {
  test(`${lang}: every public vector and case, typed key by key`, async () => {
    const { context, log } = await recordedContext(env.browser, env.site);
    const page = await context.newPage();
    const url = fileUrl(`${env.site}/${lang}/checker.html`);
    let checked = 0;
    for (const c of [...vectors.map((v) => ({ ...v, vector: true })), ...cases]) {
      await page.goto(url);
      await fill(page, c.fill);
      const got = await status(page, c.field);
      const what = `${JSON.stringify(c.fill)} → ${c.field}${c.why ? ` (${c.why})` : ''}`;
      // The public vectors speak of the format: a caution is a valid format that looks unusual.
      assert.equal(c.vector && got.state === 'caution' ? 'valid' : got.state, c.state, what);
      if (c.messages) assert.deepEqual(got.messages, c.messages, what);
      if (c.text?.[lang]) assert.equal(got.text, c.text[lang], what);
      if (got.state === 'invalid' || got.state === 'caution') assert.ok(got.text.length > 0, `${what}: says what is wrong`);
      checked++;
    }
    assert.ok(checked >= vectors.length + cases.length);
    await context.close();
    assert.deepEqual(log.outside, []);
    assert.deepEqual(log.errors, []);
  });
}

test('typing sends nothing and stores nothing', async () => {
  const { context, log } = await recordedContext(env.browser, env.site);
  const page = await context.newPage();
  for (const lang of ['ja', 'en']) {
    await page.goto(fileUrl(`${env.site}/${lang}/checker.html`));
    const before = log.requests.length;
    await fill(page, { 'office-user-id': 'KJ123456789012', password: 'guide2025!', 'office-number': '2798765432', 'confirm-code': '5813' });
    await page.locator('.checker-toggle').first().click();
    await page.waitForTimeout(200);
    assert.deepEqual(log.requests.slice(before), [], `${lang}: requests while typing`);
    const stored = await page.evaluate(async () => ({
      local: localStorage.length,
      session: sessionStorage.length,
      cookie: document.cookie,
      databases: (await indexedDB.databases()).length,
      caches: 'caches' in window ? (await caches.keys()).length : 0,
    }));
    assert.deepEqual(stored, { local: 0, session: 0, cookie: '', databases: 0, caches: 0 }, `${lang}: storage`);
  }
  assert.deepEqual(await context.cookies(), []);
  const state = await context.storageState();
  assert.ok(state.origins.every((o) => o.localStorage.length === 0), 'no local storage anywhere');
  // The page itself forbids network access.
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  assert.match(csp, /connect-src 'none'/);
  assert.match(csp, /form-action 'none'/);
  await context.close();
  assert.deepEqual(log.errors, []);
});

test('the page contract, the password mask and the keyboard', async () => {
  const { context } = await recordedContext(env.browser, env.site);
  const page = await context.newPage();
  await page.setViewportSize({ width: 320, height: 800 });
  await page.goto(fileUrl(`${env.site}/ja/checker.html`));
  const fields = await page.$$eval('[data-checker] input[data-check]', (inputs) => inputs.map((i) => ({
    kind: i.dataset.check,
    describedBy: (i.getAttribute('aria-describedby') || '').split(' '),
    status: document.querySelector(`[data-check-status="${i.dataset.check}"]`)?.id,
    type: i.type,
    autocomplete: i.autocomplete,
  })));
  assert.deepEqual(fields.map((f) => f.kind), ['office-user-id', 'password', 'office-number', 'confirm-code']);
  for (const f of fields) {
    assert.ok(f.status && f.describedBy.includes(f.status), `${f.kind}: aria-describedby names its status`);
    assert.equal(f.type, 'text', `${f.kind}: no password field, so the browser offers to save nothing`);
    assert.equal(f.autocomplete, 'off');
  }
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 320, 'no horizontal scrolling at 320 px');
  // Keyboard only: Tab reaches the first field, typing checks it, Tab reaches the mask toggle.
  await page.locator('[data-check="office-user-id"]').focus();
  await page.keyboard.type('KJ12');
  assert.equal((await status(page, 'office-user-id')).state, 'invalid');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.check), 'password');
  const password = page.locator('[data-check="password"]');
  const masked = () => password.evaluate((i) => getComputedStyle(i).webkitTextSecurity);
  assert.equal(await masked(), 'disc', 'the password is masked');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'checker-toggle');
  await page.keyboard.press('Enter');
  assert.equal(await masked(), 'none', 'shown after the toggle');
  assert.equal(await page.locator('.checker-toggle').getAttribute('aria-pressed'), 'true');
  // Paste is never blocked.
  const pasteBlocked = await page.evaluate(() => {
    const input = document.querySelector('[data-check="password"]');
    const data = new DataTransfer();
    data.setData('text/plain', 'pasted123');
    const event = new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true });
    input.dispatchEvent(event);
    return event.defaultPrevented;
  });
  assert.equal(pasteBlocked, false, 'paste is allowed');
  // Caps Lock is reported while typing the password (Playwright's keyboard does not model the Caps
  // Lock state, so the key event carries it).
  await password.fill('abc');
  const capsKey = (on) => password.evaluate((input, on) => {
    input.dispatchEvent(new KeyboardEvent('keyup', { key: 'A', modifierCapsLock: on, bubbles: true }));
  }, on);
  await capsKey(true);
  assert.ok((await status(page, 'password')).text.includes('Caps Lock'), 'Caps Lock warning');
  await capsKey(false);
  assert.ok(!(await status(page, 'password')).text.includes('Caps Lock'), 'the warning goes when Caps Lock is off');
  // Status lives in a polite live region, with an icon and words.
  assert.equal(await page.locator('[data-check-status="password"]').getAttribute('aria-live'), 'polite');
  await context.close();
});

test('checkers embedded in the steps check the password against the user ID of their own box', async () => {
  const { context, log } = await recordedContext(env.browser, env.site);
  const page = await context.newPage();
  // The print page holds every step's checker on one page.
  await page.goto(fileUrl(`${env.site}/en/print.html`) + '#slide-17');
  const box = page.locator('#slide-17 [data-checker]');
  await box.locator('[data-check="office-user-id"]').fill('KJ998877665544');
  await box.locator('[data-check="password"]').click();
  await page.keyboard.type('KJ998877665544');
  assert.equal(await box.locator('[data-check-status="password"]').getAttribute('data-messages'), 'same-as-user-id');
  // The box on slide 21 is independent of the one on slide 17.
  const other = page.locator('#slide-21 [data-checker] [data-check-status="password"]');
  assert.equal(await other.getAttribute('data-state'), 'empty');
  for (const slide of [14, 17, 19, 21]) {
    assert.equal(await page.locator(`#slide-${slide} [data-checker]`).count(), 1, `checker on slide ${slide}`);
  }
  await context.close();
  assert.deepEqual(log.errors, []);
});

test('axe-core finds no violation on checker.html', async () => {
  const context = await env.browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  for (const lang of ['ja', 'en']) {
    await page.goto(fileUrl(`${env.site}/${lang}/checker.html`));
    await fill(page, { 'office-user-id': 'kj12', password: 'abc' });
    const result = await axe(page);
    assert.deepEqual(violations(result), [], `${lang}: axe violations`);
    assert.ok(result.passes.length > 10, `${lang}: rules that passed: ${result.passes.length}`);
  }
  await context.close();
});
