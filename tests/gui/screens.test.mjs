// Screens in the browser: on every picture of the guide, from 320 to 1920 px wide and in print, no
// two callout marks overlap, no mark covers a spot or the control a step names (each mock-up's
// [data-spot] elements, measured in the recipe's own page), marks stay legible and grow with the
// picture, several spots of one step are joined to their one mark; and marks stay visible in
// Windows high-contrast (forced colors) mode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileUrl, htmlPages, recordedContext, repo, withSiteAndBrowser } from './support.mjs';

const env = withSiteAndBrowser();

/** Each mock-up's controls ([data-spot] boxes), in percent of its picture, by picture name. */
async function controlsOfMockups(browser) {
  const dir = join(repo, 'images', 'mockups');
  const page = await browser.newPage();
  const all = {};
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.html'))) {
    await page.goto(fileUrl(join(dir, file)));
    const [w, h] = (await page.getAttribute('body', 'data-size')).split('x').map(Number);
    await page.setViewportSize({ width: w, height: h });
    all[file.replace(/\.html$/, '')] = await page.$$eval('[data-spot]', (els, [w, h]) => els.map((e) => {
      const r = e.getBoundingClientRect();
      return { name: e.dataset.spot, left: (100 * r.left) / w, top: (100 * r.top) / h, right: (100 * r.right) / w, bottom: (100 * r.bottom) / h };
    }), [w, h]);
  }
  await page.close();
  return all;
}

/** Every figure with marks on the page: its picture's name and box, and each mark with its spots
 * (where its lines start and end: the leader, drawn last, and the lines joining its spots). */
function figuresOnPage(page) {
  return page.$$eval('figure.screen', (figures) => figures.filter((f) => f.querySelector('g[data-callout]')).map((figure) => {
    const img = figure.querySelector('img');
    const box = img.getBoundingClientRect();
    const name = (img.getAttribute('src') || '').split('/').pop().split('.')[0];
    const at = (x, y) => ({ x: box.left + (parseFloat(x) / 100) * box.width, y: box.top + (parseFloat(y) / 100) * box.height });
    const marks = [...figure.querySelectorAll('g[data-callout]')].map((g) => {
      const mark = g.querySelector('circle').getBoundingClientRect();
      const center = { x: mark.left + mark.width / 2, y: mark.top + mark.height / 2, r: mark.width / 2 };
      const want = at(g.querySelector('circle').getAttribute('cx'), g.querySelector('circle').getAttribute('cy'));
      const lines = [...g.querySelectorAll('line')];
      const leader = lines[lines.length - 1];
      const joins = lines.slice(0, -1);
      const spots = [];
      const add = (p) => { if (!spots.some((s) => Math.hypot(s.x - p.x, s.y - p.y) < 0.5)) spots.push(p); };
      add(at(leader.getAttribute('x1'), leader.getAttribute('y1')));
      for (const l of joins) { add(at(l.getAttribute('x1'), l.getAttribute('y1'))); add(at(l.getAttribute('x2'), l.getAttribute('y2'))); }
      const end = at(leader.getAttribute('x2'), leader.getAttribute('y2'));
      return {
        n: g.dataset.callout,
        ...center,
        off: Math.hypot(center.x - want.x, center.y - want.y),
        leaderToMark: Math.hypot(end.x - want.x, end.y - want.y),
        font: parseFloat(getComputedStyle(g.querySelector('text')).fontSize),
        spots,
        joins: joins.length,
        dots: getComputedStyle(leader).markerStart,
        leader: spots[0],
      };
    });
    return { name, box: { left: box.left, top: box.top, width: box.width, height: box.height }, marks };
  }));
}

/** Whether the disc (x, y, r) meets the rectangle (page pixels). */
function discMeetsBox(d, b) {
  const nx = Math.max(b.left, Math.min(d.x, b.right));
  const ny = Math.max(b.top, Math.min(d.y, b.bottom));
  return Math.hypot(d.x - nx, d.y - ny) < d.r - 0.5;
}

/** The controls the picture's steps name: for each spot, the mock-up's smallest control it lies
 * on, else the nearest one beside it (within 4 % of the picture's width), in page pixels. */
function namedControls(figure, controls) {
  const { box } = figure;
  const toPage = (c) => ({ name: c.name, left: box.left + (c.left / 100) * box.width, right: box.left + (c.right / 100) * box.width, top: box.top + (c.top / 100) * box.height, bottom: box.top + (c.bottom / 100) * box.height });
  const boxes = controls.map(toPage);
  const area = (b) => (b.right - b.left) * (b.bottom - b.top);
  const gap = (s, b) => Math.hypot(s.x - Math.max(b.left, Math.min(s.x, b.right)), s.y - Math.max(b.top, Math.min(s.y, b.bottom)));
  const named = new Set();
  for (const spot of figure.marks.flatMap((m) => m.spots)) {
    const on = boxes.filter((b) => gap(spot, b) === 0).sort((a, b) => area(a) - area(b))[0];
    const near = boxes.map((b) => ({ b, d: gap(spot, b) })).sort((a, b) => a.d - b.d)[0];
    if (on) named.add(on);
    else if (near && near.d <= 0.04 * box.width) named.add(near.b);
  }
  return [...named];
}

/** What is wrong with the marks of one figure at this width, as sentences. */
function problemsOf(figure, controls, where) {
  const out = [];
  const { box, marks } = figure;
  const expected = Math.min(40, Math.max(20, 0.04 * box.width));
  for (const m of marks) {
    const at = `${where} ${figure.name} mark ${m.n}`;
    if (m.off > 1.5) out.push(`${at}: drawn ${m.off.toFixed(1)} px from its place`);
    if (Math.abs(2 * m.r - expected) > 1) out.push(`${at}: ${(2 * m.r).toFixed(1)} px wide, ${expected.toFixed(1)} expected`);
    if (m.font < 12) out.push(`${at}: its number is ${m.font} px`);
    if (m.x - m.r < box.left - 0.5 || m.x + m.r > box.left + box.width + 0.5 || m.y - m.r < box.top - 0.5 || m.y + m.r > box.top + box.height + 0.5) out.push(`${at}: outside the picture`);
    if (m.joins !== m.spots.length - 1) out.push(`${at}: ${m.spots.length} spots but ${m.joins} joining lines`);
    if (m.leaderToMark > 1) out.push(`${at}: its leader does not reach the mark`);
    if (!/tebiki-spot/.test(m.dots)) out.push(`${at}: no dot at its spot (${m.dots})`);
    for (const s of marks.flatMap((o) => o.spots)) {
      if (Math.hypot(m.x - s.x, m.y - s.y) < m.r + 2) out.push(`${at}: covers a spot at ${Math.round(s.x - box.left)}, ${Math.round(s.y - box.top)}`);
    }
    for (const c of controls) if (discMeetsBox(m, c)) out.push(`${at}: covers the control "${c.name}"`);
  }
  for (let i = 0; i < marks.length; i++) {
    for (let j = i + 1; j < marks.length; j++) {
      const [a, b] = [marks[i], marks[j]];
      if (Math.hypot(a.x - b.x, a.y - b.y) < a.r + b.r) out.push(`${where} ${figure.name}: marks ${a.n} and ${b.n} overlap`);
    }
  }
  return out;
}

const widths = [320, 360, 768, 1280, 1920];

test(`callout marks: none overlaps another, a spot or a named control, at ${widths.join(', ')} px`, async () => {
  const mockups = await controlsOfMockups(env.browser);
  const { context, log } = await recordedContext(env.browser, env.site);
  const page = await context.newPage();
  const chapters = htmlPages(env.site).filter((p) => /^(ja|en)\//.test(p) && !/print|offline|index|accessibility|checker/.test(p));
  const problems = [];
  let marks = 0;
  let named = 0;
  const seen = new Set();
  for (const width of widths) {
    await page.setViewportSize({ width, height: 800 });
    for (const rel of chapters) {
      await page.goto(fileUrl(`${env.site}/${rel}`));
      for (const figure of await figuresOnPage(page)) {
        const controls = namedControls(figure, mockups[figure.name] || []);
        problems.push(...problemsOf(figure, controls, `${width} px ${rel}`));
        marks += figure.marks.length;
        named += controls.length;
        seen.add(figure.name);
      }
      const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
      if (scroll > width) problems.push(`${width} px ${rel}: scrolls sideways (${scroll} px)`);
    }
  }
  console.log(`# callouts: ${seen.size} pictures, ${marks} marks and ${named} named controls checked over ${widths.length} widths`);
  assert.ok(seen.size >= 30 && marks >= 500, `too few checked: ${seen.size} pictures, ${marks} marks`);
  assert.deepEqual(problems, []);
  await context.close();
  assert.deepEqual(log.outside, []);
  assert.deepEqual(log.errors, []);
});

test('callout marks keep their places in print', async () => {
  const mockups = await controlsOfMockups(env.browser);
  const { context } = await recordedContext(env.browser, env.site);
  const page = await context.newPage();
  await page.setViewportSize({ width: 720, height: 1000 });
  await page.emulateMedia({ media: 'print' });
  for (const rel of ['ja/print.html', 'en/print.html']) {
    await page.goto(fileUrl(`${env.site}/${rel}`));
    const figures = await figuresOnPage(page);
    assert.ok(figures.length >= 30, `${rel}: ${figures.length} pictures with marks`);
    const problems = figures.flatMap((f) => problemsOf(f, namedControls(f, mockups[f.name] || []), `print ${rel}`));
    assert.deepEqual(problems, []);
    const hidden = await page.$$eval('.screen-full', (links) => links.filter((a) => getComputedStyle(a).display !== 'none').length);
    assert.equal(hidden, 0, 'the full-size links are not printed');
  }
  await context.close();
});

test('callouts stay visible in forced-colors mode', async () => {
  const { context } = await recordedContext(env.browser, env.site);
  const page = await context.newPage();
  await page.emulateMedia({ forcedColors: 'active' });
  await page.goto(fileUrl(`${env.site}/ja/certificate.html`) + '#slide-14');
  const styles = await page.$eval('g[data-callout]', (g) => ({
    circle: getComputedStyle(g.querySelector('circle')).fill,
    text: getComputedStyle(g.querySelector('text')).fill,
    stroke: getComputedStyle(g.querySelector('circle')).stroke,
    leader: getComputedStyle(g.querySelector('line')).stroke,
    dot: getComputedStyle(document.querySelector('#tebiki-spot circle')).fill,
  }));
  assert.notEqual(styles.circle, 'none');
  assert.notEqual(styles.circle, styles.text, 'the number stands out from its disc');
  assert.notEqual(styles.circle, styles.stroke, 'the disc has an outline');
  assert.notEqual(styles.leader, 'none', 'the leader is drawn');
  assert.equal(styles.dot, styles.circle, 'the dot at the spot is drawn in the system colour too');
  await context.close();
});
