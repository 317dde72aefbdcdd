// tebiki beside Hugo and mdBook on the same synthetic guide (issue 10). Not a test: it measures and prints.
//
//   node benches/compare.mjs [--n 1000,10000] [--runs 3] [--warmup 1] [--tools tebiki,hugo,mdbook]
//                            [--keep DIR] [--json FILE] [--tebiki PATH] [--hugo PATH] [--mdbook PATH]
//   node benches/compare.mjs --quick        (N = 200, 1 run: a smoke test of a few seconds)
//
// Needs: Debian's `hugo` (apt-get install hugo), `cargo install mdbook --locked` (found on PATH or in
// ~/.cargo/bin) and GNU time (/usr/bin/time). tebiki is built once with `cargo build --release`
// unless --tebiki names a binary. --keep DIR writes the sites and outputs there and keeps them
// (otherwise a temporary folder, removed at the end). mdBook's time grows faster than N (at
// N = 10,000 a run takes many minutes): `--warmup 0` skips the untimed warm-up run.
//
// For each N, benches/synth.mjs writes the synthetic guide of N slides per language (deterministic),
// and the same 2N Markdown files are laid out for each tool:
//   tebiki  the synthetic project as it is: `tebiki --root SRC build --out OUT`. It makes per language
//           a page per chapter of 100 slides, print.html (every slide), the one-file edition
//           guide-offline.html, the search index, highlighted code and the callout figures.
//   hugo    a site with ja and en as Hugo languages (file name suffix, each in its own sub-folder),
//           no theme, no module, a minimal baseof/single/list layout rendering each page's .Content
//           (list pages: a link per page); the Markdown files copied unchanged (Hugo reads the TOML
//           front matter). Hugo's defaults stay on: code highlighting (Chroma), RSS for home and
//           sections, a sitemap per language, empty taxonomy pages; no minification.
//           `hugo --source SITE --destination OUT --quiet --noBuildLock --cacheDir CACHE`.
//           One HTML page per Markdown file (public/LANG/slides/NAME/index.html).
//   mdbook  book.toml with default settings (search on, print.html on, default theme and
//           preprocessors; code is highlighted in the browser, not at build time) and
//           src/SUMMARY.md listing all 2N files in two parts (日本語, English). mdBook does not
//           read front matter, so the `+++` block of each file is replaced by a `# title` line; the
//           body below it is unchanged. `mdbook build SITE --dest-dir OUT`. One HTML page per
//           Markdown file (book/slides/NAME.html), plus print.html and the search index.
// Every tool's output folder is removed before each run (not timed). One untimed warm-up run per
// tool and N comes first so file caches are warm; it also fills tebiki's picture cache
// (SRC/.tebiki-cache), which later runs reuse as every build after the first does. The runs then
// go round the tools in turn (run 1 of each tool, run 2 of each, …), so a change in the machine's
// load touches them alike. Wall time is taken around the command; peak memory is GNU time's %M (the
// largest resident set of the process or of any child it waited for, in MB of 2^20 bytes). Each
// build's exit status and output are checked (HTML pages counted; tebiki's print pages and its
// reading pages must each hold every slide once) so a failed build is never timed as a fast one.
// The tools use all cores as they choose (tebiki: rayon; Hugo: goroutines; mdBook: mostly one
// thread). The CPU time (user + system, GNU time's %U + %S) is shown too: on a machine busy with
// other work it moves less than wall time.
//
// Prints per N: tool, pages written, median/min/max wall seconds, median peak MB, median CPU
// seconds, and the ratios tebiki/Hugo and tebiki/mdBook of the medians; then, for each tool, the
// ratio of its median at each N to the one at the previous N (linearity). --json FILE writes every
// figure.

import { spawnSync, execFileSync } from 'node:child_process';
import {
  copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync,
} from 'node:fs';
import { cpus, homedir, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const repo = resolve(import.meta.dirname, '..');
const TOOLS = ['tebiki', 'hugo', 'mdbook'];
const TIME = '/usr/bin/time';

// ---------------------------------------------------------------- options

const { values: opt } = parseArgs({
  options: {
    n: { type: 'string' },
    runs: { type: 'string' },
    warmup: { type: 'string', default: '1' },
    tools: { type: 'string', default: TOOLS.join(',') },
    keep: { type: 'string' },
    json: { type: 'string' },
    tebiki: { type: 'string' },
    hugo: { type: 'string' },
    mdbook: { type: 'string' },
    quick: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

function fail(message) {
  process.stderr.write(`compare: ${message}\n`);
  process.exit(1);
}
if (opt.help) {
  const text = readFileSync(new URL(import.meta.url), 'utf8');
  process.stdout.write(text.slice(0, text.indexOf('\nimport ')).replace(/^\/\/ ?/gm, '') + '\n');
  process.exit(0);
}

function count(name, text, min) {
  if (!/^[0-9]+$/.test(text) || Number(text) < min) fail(`--${name} must be a whole number ≥ ${min}, not \`${text}\``);
  return Number(text);
}
const sizes = (opt.n ?? (opt.quick ? '200' : '1000,10000')).split(',').map((s) => count('n', s.trim(), 1));
if (sizes.some((n) => n > 99999)) fail('--n is at most 99999 (benches/synth.mjs names files with five digits)');
sizes.sort((a, b) => a - b);
const runs = count('runs', opt.runs ?? (opt.quick ? '1' : '3'), 1);
const warmup = count('warmup', opt.warmup, 0);
const tools = opt.tools.split(',').map((t) => t.trim()).filter(Boolean);
for (const t of tools) if (!TOOLS.includes(t)) fail(`unknown tool \`${t}\` (known: ${TOOLS.join(', ')})`);
if (!existsSync(TIME)) fail(`${TIME} (GNU time) is missing: apt-get install time`);

/** A program named on the command line, or found on PATH (or in the extra folders). */
function which(name, extra = []) {
  const dirs = (process.env.PATH || '').split(':').concat(extra);
  for (const d of dirs) if (d && existsSync(join(d, name))) return join(d, name);
  return null;
}

const bins = {};
if (tools.includes('tebiki')) {
  if (opt.tebiki) bins.tebiki = resolve(opt.tebiki);
  else {
    process.stderr.write('compare: cargo build --release\n');
    const r = spawnSync('cargo', ['build', '--release', '--quiet'], { cwd: repo, stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0) fail('cargo build --release failed');
    bins.tebiki = join(repo, 'target', 'release', 'tebiki');
  }
}
if (tools.includes('hugo')) {
  bins.hugo = opt.hugo ? resolve(opt.hugo) : which('hugo');
  if (!bins.hugo) fail('hugo not found: apt-get install hugo, or give --hugo PATH');
}
if (tools.includes('mdbook')) {
  bins.mdbook = opt.mdbook ? resolve(opt.mdbook) : which('mdbook', [join(homedir(), '.cargo', 'bin')]);
  if (!bins.mdbook) fail('mdbook not found: cargo install mdbook --locked, or give --mdbook PATH');
}

function firstLine(file, args) {
  try {
    return execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0].trim();
  } catch {
    return '?';
  }
}
const versions = {};
if (bins.tebiki) {
  versions.tebiki = firstLine(bins.tebiki, ['--version']);
  const commit = opt.tebiki ? '?' : firstLine('git', ['-C', repo, 'describe', '--always', '--dirty']);
  if (commit !== '?') versions.tebiki += ` (${commit})`;
}
if (bins.hugo) versions.hugo = firstLine(bins.hugo, ['version']);
if (bins.mdbook) versions.mdbook = firstLine(bins.mdbook, ['--version']);

// ---------------------------------------------------------------- the three sites

const work = opt.keep ? resolve(opt.keep) : mkdtempSync(join(tmpdir(), 'tebiki-compare-'));
mkdirSync(work, { recursive: true });

const HUGO_TOML = `# Written by benches/compare.mjs: a minimal site for the benchmark.
baseURL = "http://localhost/"
title = "Synthetic benchmark guide"
defaultContentLanguage = "ja"
defaultContentLanguageInSubdir = true

[languages.ja]
languageName = "日本語"
weight = 1

[languages.en]
languageName = "English"
weight = 2
`;
const HUGO_LAYOUTS = {
  'baseof.html': `<!DOCTYPE html>
<html lang="{{ .Site.Language.Lang }}">
<head><meta charset="utf-8"><title>{{ .Title }} | {{ .Site.Title }}</title></head>
<body>{{ block "main" . }}{{ end }}</body>
</html>
`,
  'single.html': `{{ define "main" }}<main><h1>{{ .Title }}</h1>
{{ .Content }}</main>{{ end }}
`,
  'list.html': `{{ define "main" }}<main><h1>{{ .Title }}</h1>
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></main>{{ end }}
`,
};

const FRONT_MATTER = /^\+\+\+\n([\s\S]*?)\n\+\+\+\n/;

/** The title in a slide file's TOML front matter (a basic string, as synth.mjs writes it). */
function titleOf(text, file) {
  const fm = FRONT_MATTER.exec(text);
  const m = fm && /^title = ("(?:[^"\\]|\\.)*")$/m.exec(fm[1]);
  if (!m) fail(`no title in the front matter of ${file}`);
  return JSON.parse(m[1]);
}

/** Writes the synthetic guide and the Hugo and mdBook sites made of the same files. */
function prepare(n) {
  const dir = join(work, `n${n}`);
  const src = join(dir, 'tebiki');
  process.stderr.write(`compare: N = ${n}: writing the sites in ${dir}\n`);
  const r = spawnSync(process.execPath, [join(repo, 'benches', 'synth.mjs'), src, String(n)], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) fail('benches/synth.mjs failed');
  const slidesDir = join(src, 'content', 'slides');
  const files = readdirSync(slidesDir).filter((f) => /^\d{5}-slide\.(ja|en)\.md$/.test(f)).sort();
  if (files.length !== 2 * n) fail(`expected ${2 * n} slide files in ${slidesDir}, found ${files.length}`);

  const hugo = join(dir, 'hugo');
  if (tools.includes('hugo')) {
    rmSync(hugo, { recursive: true, force: true });
    mkdirSync(join(hugo, 'content', 'slides'), { recursive: true });
    mkdirSync(join(hugo, 'layouts', '_default'), { recursive: true });
    writeFileSync(join(hugo, 'hugo.toml'), HUGO_TOML);
    for (const [name, text] of Object.entries(HUGO_LAYOUTS)) writeFileSync(join(hugo, 'layouts', '_default', name), text);
    for (const f of files) copyFileSync(join(slidesDir, f), join(hugo, 'content', 'slides', f));
  }

  const book = join(dir, 'mdbook');
  if (tools.includes('mdbook')) {
    rmSync(book, { recursive: true, force: true });
    mkdirSync(join(book, 'src', 'slides'), { recursive: true });
    writeFileSync(join(book, 'book.toml'), `# Written by benches/compare.mjs: default settings.
[book]
title = "Synthetic benchmark guide"
language = "ja"
src = "src"

[build]
create-missing = false
`);
    const parts = { ja: ['# 日本語', ''], en: ['# English', ''] };
    for (const f of files) {
      const text = readFileSync(join(slidesDir, f), 'utf8');
      const title = titleOf(text, f);
      writeFileSync(join(book, 'src', 'slides', f), text.replace(FRONT_MATTER, `# ${title}\n`));
      parts[f.endsWith('.ja.md') ? 'ja' : 'en'].push(`- [${title.replace(/[[\]\\]/g, '\\$&')}](slides/${f})`);
    }
    writeFileSync(join(book, 'src', 'SUMMARY.md'), ['# Summary', '', ...parts.ja, '', ...parts.en, ''].join('\n'));
  }
  return { dir, src, hugo, book, chapters: 1 + Math.ceil((n - 1) / 100) };
}

// ---------------------------------------------------------------- running and checking

/** Every file under dir whose name ends with .html (relative paths). */
function htmlFiles(dir, prefix = '') {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...htmlFiles(join(dir, e.name), rel));
    else if (e.name.endsWith('.html')) out.push(rel);
  }
  return out;
}

function command(tool, site, out) {
  switch (tool) {
    case 'tebiki': return [bins.tebiki, ['--root', site.src, 'build', '--out', out]];
    case 'hugo': return [bins.hugo, ['--source', site.hugo, '--destination', out, '--quiet', '--noBuildLock', '--cacheDir', join(site.dir, 'hugo-cache')]];
    case 'mdbook': return [bins.mdbook, ['build', site.book, '--dest-dir', out]];
  }
}

/** Throws unless the tool's output holds what it should for n slides per language; returns its page count. */
function verify(tool, site, n, out) {
  const pages = htmlFiles(out);
  const problem = (what) => { throw new Error(`${tool} at N = ${n}: ${what} in ${out}`); };
  if (tool === 'tebiki') {
    // Every slide once in its language's print.html and once across its reading pages (a page per
    // chapter, or more where a chapter is split); and the one-file edition.
    const slides = (file) => readFileSync(join(out, file), 'utf8').match(/id="?slide-\d+"?[ >]/g)?.length ?? 0;
    if (!pages.includes('index.html')) problem('no index.html');
    for (const lang of ['ja', 'en']) {
      for (const file of ['print.html', 'guide-offline.html']) {
        if (!pages.includes(`${lang}/${file}`)) problem(`no ${lang}/${file}`);
      }
      const inPrint = slides(`${lang}/print.html`);
      if (inPrint !== n) problem(`${lang}/print.html holds ${inPrint} slides, expected ${n}`);
      const reading = pages.filter((p) => p.startsWith(`${lang}/`) && !/\/(print|guide-offline)\.html$/.test(p));
      if (reading.length < site.chapters) problem(`${reading.length} ${lang} reading pages for ${site.chapters} chapters`);
      const inPages = reading.reduce((sum, p) => sum + slides(p), 0);
      if (inPages !== n) problem(`the ${lang} reading pages hold ${inPages} slides, expected ${n}`);
    }
  } else if (tool === 'hugo') {
    for (const lang of ['ja', 'en']) {
      const got = pages.filter((p) => p.startsWith(`${lang}/slides/`) && p.endsWith('-slide/index.html')).length;
      if (got !== n) problem(`${got} ${lang} slide pages, expected ${n}`);
    }
  } else {
    const got = pages.filter((p) => /^slides\/\d{5}-slide\.(ja|en)\.html$/.test(p)).length;
    if (got !== 2 * n) problem(`${got} slide pages, expected ${2 * n}`);
    if (!existsSync(join(out, 'print.html'))) problem('no print.html');
  }
  return pages.length;
}

/** One build, timed; returns { wall_s, cpu_s, peak_mb, pages }. */
function runOnce(tool, site, n) {
  const out = join(site.dir, `out-${tool}`);
  rmSync(out, { recursive: true, force: true });
  const [bin, args] = command(tool, site, out);
  const timeFile = join(site.dir, `time-${tool}.txt`);
  const logFile = join(site.dir, `log-${tool}.txt`);
  rmSync(timeFile, { force: true });
  const t0 = process.hrtime.bigint();
  const r = spawnSync(TIME, ['-f', '%e %M %U %S', '-o', timeFile, bin, ...args], {
    cwd: site.dir, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30,
  });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  writeFileSync(logFile, Buffer.concat([r.stdout ?? Buffer.alloc(0), r.stderr ?? Buffer.alloc(0)]));
  if (r.error) fail(`${tool}: ${r.error.message}`);
  if (r.status !== 0) {
    const log = readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n');
    fail(`${tool} at N = ${n} exited with ${r.status ?? r.signal}: ${[bin, ...args].join(' ')}\n${log}\n(the whole output: ${logFile})`);
  }
  const last = readFileSync(timeFile, 'utf8').trim().split('\n').pop();
  const m = /^([\d.]+) (\d+) ([\d.]+) ([\d.]+)$/.exec(last);
  if (!m) fail(`cannot read GNU time's report \`${last}\` in ${timeFile}`);
  let pages;
  try {
    pages = verify(tool, site, n, out);
  } catch (e) {
    fail(`${e.message}\n(the tool's output: ${logFile})`);
  }
  return { wall_s: wall, cpu_s: +(Number(m[3]) + Number(m[4])).toFixed(2), peak_mb: Number(m[2]) / 1024, pages };
}

// ---------------------------------------------------------------- figures

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const h = Math.floor(s.length / 2);
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};
const pad = (s, w) => String(s).padStart(w);
const sec = (x) => x.toFixed(x < 10 ? 3 : 2);
const mb = (x) => x.toFixed(0);
const ratio = (a, b) => (b > 0 ? `${a / b < 0.1 ? (a / b).toPrecision(2) : (a / b).toFixed(2)}×` : '–');

const report = {
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? '?', memory_gb: +(totalmem() / 2 ** 30).toFixed(1), node: process.version },
  versions,
  runs,
  warmup,
  results: [],
};

console.log(`tebiki compare: ${tools.join(', ')}; N = ${sizes.join(', ')} slides per language; ${runs} timed run(s) after ${warmup} warm-up run(s)`);
for (const [t, v] of Object.entries(versions)) console.log(`  ${t}: ${v}`);
console.log(`  machine: ${report.machine.cpus} cores (${report.machine.cpu}), ${report.machine.memory_gb} GB; work folder ${work}`);

for (const n of sizes) {
  const site = prepare(n);
  const samples = Object.fromEntries(tools.map((t) => [t, []]));
  for (let w = 0; w < warmup; w++) {
    for (const t of tools) {
      process.stderr.write(`compare: N = ${n}: ${t} warm-up… `);
      const s = runOnce(t, site, n);
      process.stderr.write(`${sec(s.wall_s)} s\n`);
    }
  }
  for (let i = 1; i <= runs; i++) {
    for (const t of tools) {
      process.stderr.write(`compare: N = ${n}: ${t} run ${i}/${runs}… `);
      const s = runOnce(t, site, n);
      samples[t].push(s);
      process.stderr.write(`${sec(s.wall_s)} s, ${mb(s.peak_mb)} MB, CPU ${sec(s.cpu_s)} s\n`);
    }
  }

  const rows = tools.map((t) => {
    const walls = samples[t].map((s) => s.wall_s);
    return {
      n, tool: t, pages: samples[t][0].pages,
      median_s: median(walls), min_s: Math.min(...walls), max_s: Math.max(...walls),
      median_cpu_s: median(samples[t].map((s) => s.cpu_s)),
      median_peak_mb: median(samples[t].map((s) => s.peak_mb)),
      samples: samples[t].map(({ wall_s, cpu_s, peak_mb }) => ({ wall_s: +wall_s.toFixed(4), cpu_s, peak_mb: +peak_mb.toFixed(1) })),
    };
  });
  report.results.push(...rows);

  console.log('');
  console.log(`N = ${n} slides per language (${2 * n} Markdown files)`);
  console.log(`${'tool'.padEnd(8)}${pad('pages', 8)}${pad('median s', 10)}${pad('min s', 9)}${pad('max s', 9)}${pad('peak MB', 9)}${pad('CPU s', 9)}`);
  for (const r of rows) {
    console.log(`${r.tool.padEnd(8)}${pad(r.pages, 8)}${pad(sec(r.median_s), 10)}${pad(sec(r.min_s), 9)}${pad(sec(r.max_s), 9)}${pad(mb(r.median_peak_mb), 9)}${pad(sec(r.median_cpu_s), 9)}`);
  }
  const tb = rows.find((r) => r.tool === 'tebiki');
  for (const other of rows.filter((r) => r.tool !== 'tebiki')) {
    if (tb) console.log(`tebiki/${other.tool}: time ${ratio(tb.median_s, other.median_s)}, CPU ${ratio(tb.median_cpu_s, other.median_cpu_s)}, peak memory ${ratio(tb.median_peak_mb, other.median_peak_mb)}`);
  }
}

if (sizes.length > 1) {
  console.log('');
  console.log('Linearity (median at each N / median at the previous N)');
  report.scaling = [];
  for (let i = 1; i < sizes.length; i++) {
    const [a, b] = [sizes[i - 1], sizes[i]];
    const parts = [];
    for (const t of tools) {
      const ra = report.results.find((r) => r.n === a && r.tool === t);
      const rb = report.results.find((r) => r.n === b && r.tool === t);
      parts.push(`${t} time ${ratio(rb.median_s, ra.median_s)} memory ${ratio(rb.median_peak_mb, ra.median_peak_mb)}`);
      report.scaling.push({ tool: t, from: a, to: b, time: rb.median_s / ra.median_s, memory: rb.median_peak_mb / ra.median_peak_mb });
    }
    console.log(`N = ${b} / N = ${a} (${(b / a).toFixed(1)}× the slides): ${parts.join('; ')}`);
  }
}

if (opt.json) {
  writeFileSync(resolve(opt.json), JSON.stringify(report, null, 2) + '\n');
  console.log(`\nwrote ${resolve(opt.json)}`);
}
if (!opt.keep) rmSync(work, { recursive: true, force: true });
