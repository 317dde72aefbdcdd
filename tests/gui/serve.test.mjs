// `tebiki serve`: the live preview. A copy of the basic fixture guide is served; the test edits a
// slide and sees the open page reload, breaks it and sees the problem over the page (the last good
// version still served and on disk), fixes it and sees the overlay go. Requests for anything
// outside the site (`..`, `%2e%2e`, absolute paths) get 404.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
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

/** Starts `tebiki serve --port 0` on a fresh copy of the basic guide; `shell` wraps the command. */
async function startServer({ shell, env: extra = {} } = {}) {
  const root = mkdtempSync(join(tmpdir(), 'tebiki-serve-extra-'));
  cpSync(join(repo, 'tests/testsuite/build/basic'), root, { recursive: true });
  const args = ['--root', root, 'serve', '--port', '0'];
  const options = { env: { ...process.env, NO_COLOR: '1', TEBIKI_PREVIEW_AFTER_MS: '600000', ...extra } };
  const server = shell
    ? spawn('bash', ['-c', `${shell}; exec "$0" "$@"`, bin, ...args], options)
    : spawn(bin, args, options);
  let out = '';
  server.stdout.on('data', (d) => { out += d; });
  server.stderr.on('data', (d) => { out += d; });
  const url = await until(() => out.match(/serving (http:\/\/\S+?)\/ /)?.[1] || (server.exitCode !== null && `exited: ${out}`), 60_000, 'the server to start');
  assert.match(url, /^http:/, url);
  return { root, server, url, output: () => out };
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

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('1,000 idle connections and clients that never read do not keep a new client waiting', async (t) => {
  // The usual limit of open files: without a bound on connections the server would run out.
  const { server, url, output } = await startServer({ shell: 'ulimit -n 1024' });
  try {
    assert.match(readFileSync(`/proc/${server.pid}/limits`, 'utf8'), /^Max open files\s+1024\s/m);
    const { port } = new URL(url);
    // Four processes (each within a limit of 1,024 files of its own), each holding 250 idle
    // connections and 25 that asked for a page 20 times over and read none of it.
    const holders = Array.from({ length: 4 }, () => {
      const holder = spawn(process.execPath, [join(repo, 'tests/gui/connections.mjs'), port, '250', '25', '/ja/guide-offline.html', '20']);
      let said = '';
      holder.stdout.on('data', (d) => { said += d; });
      return { holder, said: () => said };
    });
    const times = [];
    try {
      await until(() => holders.every((h) => /open 275/.test(h.said())), 60_000, 'the connections to be open');
      for (let i = 0; i < 5; i += 1) {
        const answer = await raw('/ja/index.html', { url, timeout: 5_000 });
        assert.match(answer.status, / 200 /);
        times.push(answer.ms);
        await sleep(200);
      }
      const files = readdirSync(`/proc/${server.pid}/fd`).length;
      t.diagnostic(`answered in ${times.join(', ')} ms with 1,100 connections made; ${files} files open`);
      assert.ok(times.every((ms) => ms < 1_000), `answered in ${times.join(', ')} ms`);
      assert.ok(files < 600, `${files} files open`);
    } finally {
      for (const { holder } of holders) holder.stdin.end();
    }
    await Promise.all(holders.map(({ holder }) => holder.exitCode ?? once(holder, 'exit')));
    // Once they are gone, the server still answers, and the browser's page works.
    assert.match(await rawStatus('/ja/index.html', { url }), / 200 /);
    const page = await browser().newPage();
    assert.equal((await page.goto(`${url}/en/index.html`)).status(), 200);
    await page.close();
    assert.doesNotMatch(output(), /panicked/);
  } finally {
    server.kill();
  }
});

test('an idle connection and a client that stops reading are closed after their timeouts', async (t) => {
  const { server, url, root } = await startServer();
  try {
    const port = Number(new URL(url).port);
    const started = Date.now();
    const closedAfter = (socket) => new Promise((resolve) => socket.on('close', () => resolve(Date.now() - started)));
    const idle = connect(port, '127.0.0.1');
    idle.on('error', () => {});
    const idleClosed = closedAfter(idle);
    // Asks for a page 500 times over (26 MB, more than the sockets' buffers hold) and reads
    // nothing: the server's writes stop moving.
    const stuck = connect(port, '127.0.0.1', () => {
      stuck.write(`GET /ja/guide-offline.html HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`.repeat(500));
    });
    stuck.pause();
    stuck.on('error', () => {});
    let received = 0;
    stuck.on('data', (d) => { received += d.length; });
    const stuckClosed = closedAfter(stuck);
    const idleMs = await Promise.race([idleClosed, sleep(20_000).then(() => 'never')]);
    assert.ok(idleMs >= 8_000 && idleMs < 15_000, `the idle connection was closed after ${idleMs} ms`);
    await sleep(Math.max(0, 15_000 - (Date.now() - started)));
    // Reading now finds the connection closed, after part of the answers only.
    stuck.resume();
    const stuckMs = await Promise.race([stuckClosed, sleep(5_000).then(() => 'never')]);
    assert.ok(typeof stuckMs === 'number', 'the server kept the connection of a client that stopped reading');
    t.diagnostic(`idle connection closed after ${idleMs} ms; ${received} bytes sent to the client that stopped reading`);
    const page = statSync(join(root, 'public/ja/guide-offline.html')).size;
    assert.ok(received < 500 * page, `${received} bytes received of ${500 * page}`);
  } finally {
    server.kill();
  }
});

test('answers carry their type, no-store and nosniff; HEAD has the headers without the body', async () => {
  const get = await raw('/ja/index.html');
  const head = await raw('/ja/index.html', { method: 'HEAD' });
  for (const answer of [get, head]) {
    assert.match(answer.status, / 200 /);
    assert.equal(answer.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(answer.headers['cache-control'], 'no-store');
    assert.equal(answer.headers['x-content-type-options'], 'nosniff');
  }
  assert.equal(Number(get.headers['content-length']), get.body.length);
  assert.equal(head.headers['content-length'], get.headers['content-length']);
  assert.equal(head.body.length, 0);
  assert.match((await raw('/ja/index.html', { method: 'POST' })).status, / 405 /);
  assert.match((await raw('/favicon.ico')).status, / 204 /);
  const css = (await raw('/__tebiki/live.css')).headers['content-type'];
  assert.equal(css, 'text/css; charset=utf-8');
});

test('a request naming another host gets 403 (DNS rebinding)', async () => {
  const { port } = new URL(env.url);
  for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1.evil.example:${port}`, `localhost.evil.example:${port}`, `localhost:${Number(port) + 1}`, '127.0.0.1', `127.0.0.1:${port}@evil.example`, '']) {
    assert.match(await rawStatus('/ja/index.html', { host }), / 403 /, `Host: ${host}`);
  }
  for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `LocalHost:${port}`, `[::1]:${port}`]) {
    assert.match(await rawStatus('/ja/index.html', { host }), / 200 /, `Host: ${host}`);
  }
  // The host of a request line in absolute form counts too.
  assert.match(await rawStatus(`http://evil.example:${port}/ja/index.html`), / 403 /);
  assert.match(await rawStatus(`http://127.0.0.1:${port}/ja/index.html`), / 200 /);
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

test('serve on a port in use fails at once, naming the address, and writes nothing', async () => {
  const taken = createServer();
  await new Promise((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const { port } = taken.address();
  const root = mkdtempSync(join(tmpdir(), 'tebiki-serve-taken-'));
  cpSync(join(repo, 'tests/testsuite/build/basic'), root, { recursive: true });
  try {
    const result = spawnSync(bin, ['--root', root, 'serve', '--port', String(port)], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } });
    assert.notEqual(result.status, 0, result.stdout + result.stderr);
    assert.equal(result.signal, null, 'it exited by itself');
    assert.match(result.stderr, new RegExp(`127\\.0\\.0\\.1:${port}\\b`));
    assert.match(result.stderr, /--port/);
    assert.equal(existsSync(join(root, 'public')), false, 'nothing was built or written');
  } finally {
    taken.close();
  }
});
