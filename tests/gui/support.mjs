// Shared helpers for the browser suite: build a site with the real tebiki binary, start Debian's
// Chromium through playwright-core (never a downloaded browser), record every request.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

export const repo = resolve(import.meta.dirname, '..', '..');

/**
 * Builds the project at `root` (default: the bundled guide) into a fresh temp folder; with
 * `{ pdf: true }`, with its PDF handouts printed by Debian's Chromium (else none: printing takes
 * seconds, and only the handout tests read them).
 */
export function buildSite(root = repo, { pdf = false } = {}) {
  const bin = process.env.TEBIKI_BIN || join(repo, 'target', 'debug', 'tebiki');
  const out = join(mkdtempSync(join(tmpdir(), 'tebiki-gui-')), 'public');
  const handouts = pdf ? ['--browser', '/usr/bin/chromium'] : ['--no-pdf'];
  execFileSync(bin, ['--root', root, 'build', '--out', out, ...handouts], { stdio: ['ignore', 'ignore', 'inherit'] });
  return out;
}

/**
 * The basic fixture guide with tests/testsuite/edition/ laid over it (a previous edition's record:
 * slide 2 updated, slide 6 new, a slide removed), built: its pages show the changes page and the
 * marks by the slide numbers.
 */
export function buildEditionSite() {
  const root = mkdtempSync(join(tmpdir(), 'tebiki-edition-'));
  cpSync(join(repo, 'tests/testsuite/build/basic'), root, { recursive: true });
  cpSync(join(repo, 'tests/testsuite/edition'), root, { recursive: true });
  return buildSite(root);
}

/** Every .html file under `dir`, relative, sorted. */
export function htmlPages(dir) {
  const found = [];
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.html')) found.push(relative(dir, p));
    }
  };
  walk(dir);
  return found;
}

export function fileUrl(path) {
  return pathToFileURL(path).href;
}

export async function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

/**
 * A browser context whose every request is recorded; requests for files outside `siteDir` are
 * aborted and listed in `outside`. Console errors and page errors land in `errors`.
 */
export async function recordedContext(browser, siteDir, options = {}) {
  const context = await browser.newContext(options);
  const inside = fileUrl(siteDir) + '/';
  const log = { requests: [], outside: [], errors: [] };
  await context.route('**/*', (route) => {
    const url = route.request().url();
    log.requests.push(url);
    if (url.startsWith(inside)) return route.continue();
    log.outside.push(url);
    return route.abort();
  });
  context.on('page', (page) => watchPage(page, log));
  return { context, log };
}

function watchPage(page, log) {
  page.on('console', (msg) => {
    if (msg.type() === 'error') log.errors.push(`${page.url()}: console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => log.errors.push(`${page.url()}: ${err.message}`));
}

const AXE_RULES = { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } };

/**
 * Runs axe-core on the page with the WCAG 2.0–2.2 A/AA rules. The page's Content-Security-Policy
 * would refuse the injected script, so use a context made with `bypassCSP: true`.
 */
export async function axe(page) {
  await page.addScriptTag({ path: join(repo, 'node_modules', 'axe-core', 'axe.min.js') });
  return page.evaluate((options) => window.axe.run(document, options), AXE_RULES);
}

/**
 * axe-core with the same rules, and the contrast of every text decided (tests/gui/contrast.js):
 * a summary of the page, or of the part that `within` selects (rules run, violations, contrast
 * figures, what stays undecided).
 */
export async function axeWithContrast(page, within) {
  if (!(await page.evaluate(() => 'contrastAudit' in window))) {
    await page.addScriptTag({ path: join(repo, 'node_modules', 'axe-core', 'axe.min.js') });
    await page.addScriptTag({ path: join(import.meta.dirname, 'contrast.js') });
  }
  return page.evaluate(([options, part]) => window.contrastAudit(options, part), [AXE_RULES, within]);
}

/**
 * The Nu HTML Checker's errors in `files`, each as "folder/page.html:line: message". The checker's
 * CSS grammar is older than container queries and SVG's geometry properties (r, and clamp() in a
 * font): the one-file edition's inline stylesheet uses them for the callout marks, which the
 * browser suite measures in Chromium. Only those messages are let through.
 */
export function htmlErrors(files) {
  let out = '';
  try {
    out = execFileSync('java', ['-jar', join(repo, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar'), '--errors-only', '--format', 'json', ...files], { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  } catch (e) {
    out = (e.stderr || '').toString() + (e.stdout || '').toString();
  }
  const modern = /^CSS: “(container-type|r|font)”: (Parse Error|Property “container-type” doesn't exist)\.$/;
  const messages = out.trim() ? JSON.parse(out.trim()).messages.filter((m) => m.type === 'error' && !modern.test(m.message)) : [];
  return messages.map((m) => `${m.url.split('/').slice(-2).join('/')}:${m.lastLine}: ${m.message}`);
}

/** A short report of axe violations, for assertion messages. */
export function violations(result) {
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/**
 * The usual set-up of a test file: the bundled guide built once into a temp folder and one
 * browser, closed at the end. Read `env.site` and `env.browser` inside the tests.
 */
export function withSiteAndBrowser() {
  const env = { site: null, browser: null };
  before(async () => {
    env.site = buildSite();
    env.browser = await launch();
  });
  after(async () => {
    await env.browser?.close();
  });
  return env;
}
