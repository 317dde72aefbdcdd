// `tebiki serve`: the live preview. A copy of the basic fixture guide is served; the test edits a
// slide and sees the open page reload, breaks it and sees the problem over the page (the last good
// version still served and on disk), fixes it and sees the overlay go. Requests for anything
// outside the site (`..`, `%2e%2e`, absolute paths) get 404.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, repo } from './support.mjs';

const bin = process.env.TEBIKI_BIN || join(repo, 'target', 'debug', 'tebiki');
const env = { root: null, server: null, url: null, out: '', err: '', browser: null };

before(async () => {
  env.root = mkdtempSync(join(tmpdir(), 'tebiki-serve-'));
  cpSync(join(repo, 'tests/testsuite/build/basic'), env.root, { recursive: true });
  // No preview first here (a debug build on a busy machine can take longer than its threshold):
  // these tests follow the whole rebuild. The preview has its own test below.
  env.server = spawn(bin, ['--root', env.root, 'serve', '--port', '0'], { env: { ...process.env, NO_COLOR: '1', TEBIKI_PREVIEW_AFTER_MS: '600000' } });
  env.server.stdout.on('data', (d) => { env.out += d; });
  env.server.stderr.on('data', (d) => { env.err += d; });
  env.url = await until(() => env.out.match(/serving (http:\/\/\S+?)\/ /)?.[1], 60_000, 'the server to start');
  env.browser = await launch();
});

after(async () => {
  env.server?.kill();
  await env.browser?.close();
});

/** Polls `probe` until it returns something truthy. */
async function until(probe, ms, what) {
  const end = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\nstdout:\n${env.out}\nstderr:\n${env.err}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A raw HTTP request on a connection of its own (no client library normalises the path first, or
 * reuses a connection): its status, headers (names in lower case) and how long the answer took.
 * `host` is the Host header (by default the one a browser sends).
 */
function raw(target, { url = env.url, host, method = 'GET', timeout = 10_000 } = {}) {
  const { hostname, port } = new URL(url);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(`${method} ${target} HTTP/1.1\r\nHost: ${host ?? `${hostname}:${port}`}\r\nConnection: close\r\n\r\n`);
    });
    socket.setTimeout(timeout, () => socket.destroy(new Error(`no answer to ${target} in ${timeout} ms`)));
    const chunks = [];
    socket.on('data', (d) => { chunks.push(d); });
    socket.on('end', () => {
      const data = Buffer.concat(chunks);
      const end = data.indexOf('\r\n\r\n');
      const [status, ...lines] = data.subarray(0, end).toString().split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      resolve({ status, headers, body: data.subarray(end + 4), ms: Date.now() - started });
    });
    socket.on('error', reject);
  });
}

/** The status line of a raw HTTP request. */
async function rawStatus(target, options) {
  return (await raw(target, options)).status;
}

test('listens on this computer only, by default', () => {
  assert.match(env.url, /^http:\/\/127\.0\.0\.1:\d+$/);
});

test('requests outside the site get 404', async () => {
  writeFileSync(join(env.root, 'secret.txt'), 'not for the web');
  assert.match(await rawStatus('/ja/index.html'), / 200 /);
  for (const target of [
    '/../secret.txt',
    '/ja/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E/%2e%2e/etc/passwd',
    '/..%2fsecret.txt',
    '/..%5csecret.txt',
    '//etc/passwd',
    '/etc/passwd',
    `${env.url}/../secret.txt`,
    '/content/guide.toml',
  ]) {
    assert.match(await rawStatus(target), / 404 /, target);
  }
});

test('an edit reloads the page; an error shows over it and clears when fixed', async () => {
  const slide = join(env.root, 'content/slides/001-cover.ja.md');
  const original = readFileSync(slide, 'utf8');
  const page = await browser().newPage();
  const consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('response', (r) => { if (r.status() >= 400) consoleErrors.push(`${r.status()} ${r.url()}`); });
  // The page is waiting for news (its second poll) before the file changes.
  const waiting = page.waitForRequest((r) => /\/__tebiki\/poll\?v=[1-9]/.test(r.url()), { timeout: 30_000 });
  await page.goto(`${env.url}/ja/index.html`);
  assert.match(await page.locator('#slide-1').innerText(), /表紙/);
  await waiting;

  // 1. An edit: the open page reloads by itself and shows it.
  let loads = 0;
  page.on('load', () => { loads += 1; });
  writeFileSync(slide, original.replace('title = "表紙"', 'title = "表紙（改訂）"'));
  await page.waitForFunction(() => document.querySelector('#slide-1')?.textContent.includes('改訂'), null, { timeout: 30_000 });
  assert.ok(loads >= 1, 'the page reloaded');
  const onDisk = readFileSync(join(env.root, 'public/ja/index.html'), 'utf8');
  assert.match(onDisk, /表紙（改訂）/, 'public/ was updated');
  assert.doesNotMatch(onDisk, /__tebiki/, 'the reload script is never written to public/');
  // Only what depends on the edit is made anew: the edited slide, the pages that show it.
  const [, made, reused] = env.out.match(/rebuilt: \d+ files changed \((\d+) slides and pages made anew, (\d+) reused\); reload sent \d+ ms after the save/) ?? [];
  assert.ok(Number(reused) > Number(made) && Number(made) > 0, `made ${made}, reused ${reused}`);

  // 2. A mistake: the problem shows over the page, which keeps the last good version.
  writeFileSync(slide, original.replace('slide = 1', 'slide = "one"'));
  const overlay = page.locator('#tebiki-live');
  await overlay.waitFor({ state: 'visible', timeout: 30_000 });
  const text = await overlay.innerText();
  assert.match(text, /ビルドできませんでした/);
  assert.match(text, /content\/slides\/001-cover\.ja\.md:2/);
  assert.match(text, /help:/);
  assert.match(await page.locator('#slide-1').innerText(), /改訂/, 'the last good page stays');
  assert.match(env.err, /001-cover\.ja\.md:2/, 'the terminal shows the problem too');
  assert.match(readFileSync(join(env.root, 'public/ja/index.html'), 'utf8'), /表紙（改訂）/, 'public/ keeps the last good site');
  // A page opened while the build is broken shows the problem at once.
  const late = await browser().newPage();
  await late.goto(`${env.url}/en/index.html`);
  await late.locator('#tebiki-live').waitFor({ state: 'visible', timeout: 10_000 });
  assert.match(await late.locator('#tebiki-live').innerText(), /The build failed/);
  await late.close();

  // 3. The fix: the overlay goes and the page shows the fixed version.
  writeFileSync(slide, original.replace('title = "表紙"', 'title = "表紙（第3版）"'));
  await page.waitForFunction(() => document.querySelector('#slide-1')?.textContent.includes('第3版'), null, { timeout: 30_000 });
  assert.equal(await page.locator('#tebiki-live').count(), 0, 'the overlay is gone');
  assert.match(env.out, /fixed: the build works again/);
  assert.deepEqual(consoleErrors, [], 'no console error (the policy allows the reload script)');
  await page.close();
});

function browser() {
  return env.browser;
}

test('when the very first build fails, the page shows the problem and the fixed site when it is fixed', async () => {
  const root = mkdtempSync(join(tmpdir(), 'tebiki-serve-first-'));
  cpSync(join(repo, 'tests/testsuite/build/basic'), root, { recursive: true });
  const slide = join(root, 'content/slides/002-overview.en.md');
  const original = readFileSync(slide, 'utf8');
  writeFileSync(slide, original.replace(/^slide = 2$/m, 'slide = '));
  const server = spawn(bin, ['--root', root, 'serve', '--port', '0'], { env: { ...process.env, NO_COLOR: '1' } });
  let out = '';
  server.stdout.on('data', (d) => { out += d; });
  server.stderr.on('data', (d) => { out += d; });
  try {
    const url = await until(() => out.match(/serving (http:\/\/\S+?)\/ /)?.[1], 60_000, 'the server to start');
    assert.match(out, /002-overview\.en\.md:2/, 'the terminal names the file and line');
    const page = await browser().newPage();
    const response = await page.goto(`${url}/en/index.html`);
    assert.equal(response.status(), 404, 'there is no site yet');
    await page.locator('#tebiki-live').waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await page.locator('#tebiki-live').innerText(), /002-overview\.en\.md:2/);
    writeFileSync(slide, original);
    await page.waitForFunction(() => document.querySelector('#slide-1') !== null, null, { timeout: 30_000 });
    assert.equal(await page.locator('#tebiki-live').count(), 0);
    await page.close();
  } finally {
    server.kill();
  }
});

test('a big guide shows the edited page first, then the whole rebuilt site', async () => {
  // The basic guide rebuilds in milliseconds; the preview is asked for as for a big one.
  const root = mkdtempSync(join(tmpdir(), 'tebiki-serve-preview-'));
  cpSync(join(repo, 'tests/testsuite/build/basic'), root, { recursive: true });
  const server = spawn(bin, ['--root', root, 'serve', '--port', '0'], { env: { ...process.env, NO_COLOR: '1', TEBIKI_PREVIEW_AFTER_MS: '0' } });
  let out = '';
  server.stdout.on('data', (d) => { out += d; });
  server.stderr.on('data', (d) => { out += d; });
  try {
    const url = await until(() => out.match(/serving (http:\/\/\S+?)\/ /)?.[1], 60_000, 'the server to start');
    const page = await browser().newPage();
    const problems = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    page.on('response', (r) => { if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`); });
    const waiting = page.waitForRequest((r) => /\/__tebiki\/poll\?v=[1-9]/.test(r.url()), { timeout: 30_000 });
    await page.goto(`${url}/ja/setup.html`);
    await waiting;
    const slide = join(root, 'content/slides/003-prepare.ja.md');
    writeFileSync(slide, readFileSync(slide, 'utf8').replace('「ログイン」をクリックします。', '「ログイン」を押してください。'));
    await page.waitForFunction(() => document.querySelector('#slide-3')?.textContent.includes('押してください'), null, { timeout: 30_000 });
    await until(() => /rebuilt: /.test(out), 30_000, 'the whole site to be rebuilt');
    assert.match(out, /preview: 1 page of the edited slides; reload sent \d+ ms after the save \(the whole site follows\)\n(.|\n)*rebuilt: /, 'the preview came before the whole site');
    // The whole site follows: the page, reloaded again, names the new search index and finds the edit.
    await page.waitForFunction(
      (expected) => document.querySelector('[data-search-index]')?.getAttribute('data-search-index') === expected,
      readFileSync(join(root, 'public/ja/setup.html'), 'utf8').match(/data-search-index="([^"]+)"/)[1],
      { timeout: 30_000 },
    );
    assert.match(await page.locator('#slide-3').innerText(), /押してください/);
    assert.match(readFileSync(join(root, 'public/ja/print.html'), 'utf8'), /押してください/, 'public/ has the whole rebuilt site');
    assert.deepEqual(problems, [], 'no failed request or console error');
    await page.close();
  } finally {
    server.kill();
  }
});

test('no redirect leaves the site', async () => {
  const { status, headers } = await raw('/ja');
  assert.match(status, / 301 /);
  assert.equal(headers.location, '/ja/', 'a folder without its slash is sent to it');
  for (const target of [
    '//ja', '///ja', '//ja?x=1', '//evil.example/ja', '//evil.example', '/%2F%2Fevil.example', '/%2f%2fja', '/%2F/ja',
    '/\\\\evil.example', '/\\evil.example/ja', '/%5C%5Cevil.example', '/%5c/ja', '/.//ja', '/ja/..//ja', '//%20ja', '/%09/ja',
  ]) {
    const answer = await raw(target);
    const { location } = answer.headers;
    if (location === undefined) continue;
    assert.ok(location.startsWith('/') && !location.startsWith('//') && !location.startsWith('/\\'), `${target} → ${location}`);
    assert.equal(new URL(location, `${env.url}${target.replace(/^\/+/, '/')}`).origin, env.url, `${target} → ${location}`);
  }
  assert.equal((await raw('//ja')).headers.location, '/ja/');
});
