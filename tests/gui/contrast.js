// Injected into a page by tests/gui/a11y.test.mjs, after axe-core. `window.contrastAudit(options)`
// runs axe with the suite's rules and decides the contrast of every piece of text, leaving none for
// a person to judge:
// - axe's color-contrast rule decides the page's text; what it leaves undecided for a reason that
//   is no real doubt (text scrolled half out of the sidebar or under the sticky header, a symbol
//   such as the checker's ✓) gets a second look, scrolled into the middle of the window;
// - the numbers drawn in SVG over the screen pictures, which axe cannot read, are worked out here
//   from what the browser paints under each glyph: at points on the ink of its glyphs, the
//   browser's own hit test lists what is painted there, top first. A point must show the text over
//   one opaque colour (a shape's fill or stroke, or an element's solid background) or lie under an
//   opaque shape of the same picture that hides it; anything else (the picture, a gradient,
//   something translucent) leaves the text undecided;
// - the example text of empty fields (placeholders), which axe does not check, over the field's
//   background.
// It returns a summary small enough to hand back.
(function () {
  'use strict';

  // The colour of a computed value such as "rgb(200, 16, 46)" or "rgba(0, 0, 0, 0.5)", or null.
  function rgba(value) {
    var m = /^rgba?\((\d+(?:\.\d+)?),? (\d+(?:\.\d+)?),? (\d+(?:\.\d+)?)(?:[,/] ?(\d*(?:\.\d+)?))?\)$/.exec(value);
    if (!m) return null;
    return { r: +m[1], g: +m[2], b: +m[3], a: m[4] === undefined ? 1 : +m[4] };
  }

  function luminance(c) {
    var lin = function (v) {
      v /= 255;
      return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
  }

  function ratio(a, b) {
    var x = luminance(a), y = luminance(b);
    return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
  }

  // Whether the element and every element above it are drawn at full strength (no opacity, filter
  // or blending that would mix them with what lies beneath).
  function solidChain(el) {
    for (var e = el; e && e.nodeType === 1; e = e.parentElement) {
      var s = getComputedStyle(e);
      if (s.opacity !== '1' || s.filter !== 'none' || s.mixBlendMode !== 'normal') return false;
    }
    return true;
  }

  // What `el` paints at the window point (x, y): { color } (opaque), 'none' (nothing: look further
  // down), or { why } (something this check cannot reduce to one opaque colour).
  function paintAt(el, x, y) {
    var s = getComputedStyle(el);
    if (el instanceof SVGGeometryElement) {
      var p = new DOMPoint(x, y).matrixTransform(el.getScreenCTM().inverse());
      var stroke = s.stroke !== 'none' && parseFloat(s.strokeWidth) > 0 && el.isPointInStroke(p);
      var paint = stroke ? s.stroke : s.fill;
      var opacity = stroke ? s.strokeOpacity : s.fillOpacity;
      if (!stroke && !el.isPointInFill(p)) return 'none';
      var c = rgba(paint);
      if (!c || c.a !== 1 || opacity !== '1' || !solidChain(el)) return { why: 'a shape that is not one opaque colour (' + paint + ')' };
      return { color: c };
    }
    if (el instanceof SVGElement && !(el instanceof SVGSVGElement)) return 'none';
    if (/^(IMG|PICTURE|VIDEO|CANVAS|IFRAME|OBJECT|EMBED)$/.test(el.tagName)) return { why: 'a picture (' + el.tagName.toLowerCase() + ')' };
    if (s.backgroundImage !== 'none') return { why: 'a background image or gradient' };
    var bg = rgba(s.backgroundColor);
    if (!bg) return { why: 'a background colour this check cannot read (' + s.backgroundColor + ')' };
    if (bg.a === 0) return 'none';
    if (bg.a !== 1 || !solidChain(el)) return { why: 'a translucent background' };
    return { color: bg };
  }

  // Where the ink of a text's glyphs is, relative to the corner of its em box (getBBox), in user
  // units: the text drawn on a canvas in the same font, every pixel it covers at least half (at
  // most about 32 of them, evenly spread). Kept by font and text: the numbers repeat.
  var inks = new Map();
  function ink(text, b) {
    var s = getComputedStyle(text);
    var font = s.fontStyle + ' ' + s.fontWeight + ' ' + s.fontSize + ' ' + s.fontFamily;
    var key = font + '|' + text.textContent;
    if (inks.has(key)) return inks.get(key);
    var pad = 4, w = Math.ceil(b.width) + 2 * pad, h = Math.ceil(b.height) + 2 * pad;
    var canvas = document.createElement('canvas');
    canvas.width = w;
    canvas.height = h;
    var ctx = canvas.getContext('2d', { willReadFrequently: true });
    ctx.font = font;
    ctx.fillText(text.textContent, pad, pad + ctx.measureText(text.textContent).fontBoundingBoxAscent);
    var alpha = ctx.getImageData(0, 0, w, h).data;
    var all = [];
    for (var k = 3; k < alpha.length; k += 4) {
      if (alpha[k] >= 128) all.push([(k >> 2) % w + 0.5 - pad, Math.floor((k >> 2) / w) + 0.5 - pad]);
    }
    var step = Math.max(1, Math.ceil(all.length / 32));
    var some = all.filter(function (_, n) { return n % step === 0; });
    inks.set(key, some);
    return some;
  }

  // Points on the ink of an SVG text's glyphs, in window coordinates (kept inside the characters'
  // cells, where the browser hit-tests the text: a glyph may overhang its cell by a fraction of a
  // pixel).
  function inkPoints(text) {
    var b = text.getBBox();
    var inside = function (v, size) { return Math.min(Math.max(v, 0.25), size - 0.25); };
    var ctm = text.getScreenCTM();
    return ink(text, b).map(function (d) {
      return new DOMPoint(b.x + inside(d[0], b.width), b.y + inside(d[1], b.height)).matrixTransform(ctm);
    });
  }

  // What lies under the text at one point: { color }, { hidden: true } (an opaque shape of the same
  // picture drawn over the text hides this bit of it), or { why }.
  function underText(text, x, y) {
    var stack = document.elementsFromPoint(x, y);
    var at = stack.indexOf(text);
    if (at < 0) return { why: 'the text is not where it is drawn (' + Math.round(x) + ', ' + Math.round(y) + ')' };
    for (var i = 0; i < at; i++) {
      var over = paintAt(stack[i], x, y);
      if (over === 'none') continue;
      if (over.color && stack[i] instanceof SVGGeometryElement && stack[i].ownerSVGElement === text.ownerSVGElement) return { hidden: true };
      return { why: 'covered by ' + (over.why || stack[i].tagName.toLowerCase() + ' ' + stack[i].className) };
    }
    for (var k = at + 1; k < stack.length; k++) {
      var under = paintAt(stack[k], x, y);
      if (under !== 'none') return under;
    }
    return { why: 'nothing opaque under it' };
  }

  // Whether the box lies in the middle of the window, clear of a sticky header or footer.
  function inMiddle(r) {
    return r.top >= innerHeight * 0.2 && r.bottom <= innerHeight * 0.8 && r.left >= 0 && r.right <= innerWidth;
  }

  // The contrast of one SVG text: { ratio, required, hidden } or { why }.
  function svgTextContrast(text) {
    var s = getComputedStyle(text);
    var fg = rgba(s.fill);
    if (!fg || fg.a !== 1 || s.fillOpacity !== '1' || !solidChain(text)) return { why: 'its colour is not one opaque colour (' + s.fill + ')' };
    if (s.stroke !== 'none' && parseFloat(s.strokeWidth) > 0) return { why: 'its letters have an outline' };
    var size = parseFloat(s.fontSize), bold = parseFloat(s.fontWeight) >= 700;
    var required = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (!inMiddle(text.getBoundingClientRect())) text.scrollIntoView({ block: 'center', inline: 'center', behavior: 'instant' });
    var worst = Infinity, shown = 0, hidden = 0;
    var points = inkPoints(text);
    if (!points.length) return { why: 'no ink found for its letters' };
    for (var i = 0; i < points.length; i++) {
      var u = underText(text, points[i].x, points[i].y);
      if (u.why) return { why: u.why };
      if (u.hidden) hidden++;
      else { shown++; worst = Math.min(worst, ratio(fg, u.color)); }
    }
    if (!shown) return { why: 'it is hidden under another shape' };
    return { ratio: worst, required: required, hidden: hidden > 0 };
  }

  // The contrast of an empty field's example text (its placeholder), which axe does not check: its
  // colour over the first opaque background found from the field outwards. { ratio, required } or
  // { why }.
  function placeholderContrast(field) {
    var p = getComputedStyle(field, '::placeholder');
    var fg = rgba(p.color);
    if (!fg || fg.a !== 1 || p.opacity !== '1' || !solidChain(field)) return { why: 'its colour is not one opaque colour (' + p.color + ', opacity ' + p.opacity + ')' };
    var r = field.getBoundingClientRect();
    for (var el = field; el; el = el.parentElement) {
      var bg = paintAt(el, r.left + r.width / 2, r.top + r.height / 2);
      if (bg === 'none') continue;
      if (bg.why) return { why: 'it lies over ' + bg.why };
      var size = parseFloat(p.fontSize), bold = parseFloat(p.fontWeight) >= 700;
      return { ratio: ratio(fg, bg.color), required: size >= 24 || (bold && size >= 18.66) ? 3 : 4.5 };
    }
    return { why: 'nothing opaque under it' };
  }

  // Every empty field on the page showing example text.
  function placeholders() {
    return [].filter.call(document.querySelectorAll('input[placeholder], textarea[placeholder]'), function (f) {
      return f.placeholder.trim() && !f.value && f.checkVisibility();
    }).map(function (f) {
      return { el: f, name: f.tagName.toLowerCase() + '#' + f.id + ' placeholder "' + f.placeholder + '"', result: placeholderContrast(f) };
    });
  }

  function describe(el) {
    var slide = el.closest('[id^="slide-"]');
    return (slide ? '#' + slide.id + ' ' : '') + el.tagName.toLowerCase() + ' "' + el.textContent.trim().slice(0, 40) + '"';
  }

  // Every visible SVG text on the page, with its contrast.
  function svgTexts() {
    var found = [];
    document.querySelectorAll('svg').forEach(function (svg) {
      var texts = [].filter.call(svg.querySelectorAll('text'), function (t) { return t.checkVisibility() && t.textContent.trim(); });
      if (!texts.length) return;
      // The picture in the middle of the window, and (for the browser's hit test) the marks
      // answering it, as they do not for the pointer.
      svg.scrollIntoView({ block: 'center', inline: 'center', behavior: 'instant' });
      svg.style.pointerEvents = 'auto';
      texts.forEach(function (text) { found.push({ el: text, name: describe(text), result: svgTextContrast(text) }); });
      svg.style.pointerEvents = '';
    });
    window.scrollTo(0, 0);
    return found;
  }

  function contrastNodes(result) {
    var nodes = [];
    ['passes', 'violations', 'incomplete'].forEach(function (kind) {
      result[kind].forEach(function (rule) {
        if (rule.id !== 'color-contrast') return;
        rule.nodes.forEach(function (n) { nodes.push({ kind: kind, node: n }); });
      });
    });
    return nodes;
  }

  // Whether axe passed the node only because it is not in sight.
  function hidden(n) {
    return Boolean(n.any[0] && n.any[0].data && n.any[0].data.messageKey === 'hidden');
  }

  // The color-contrast nodes of `kind` in `result` (the rule's list of them, made if missing).
  function contrastList(result, kind) {
    var rule = result[kind].find(function (r) { return r.id === 'color-contrast'; });
    if (!rule) {
      rule = { id: 'color-contrast', nodes: [] };
      result[kind].push(rule);
    }
    return rule.nodes;
  }

  // What axe says of text it could not judge for a reason a second look settles: partly out of
  // sight (an entry half scrolled out of the sidebar), under something else where it happened to be
  // scrolled (the sticky header), or a symbol it leaves alone in case it is a picture (the
  // checker's ✓ and ✗, drawn in the text's colour).
  var SECOND_LOOK = /^(elmPartiallyObscured|elmPartiallyObscuring|outsideViewport|bgOverlap|nonBmp)$/;

  // Text to look at again: left undecided for one of those reasons, or passed as hidden though it
  // is drawn and merely scrolled out of its box. (Text hidden for good is left alone: a visually
  // hidden label of 1 × 1 px, the closed Contents list.)
  function outOfSight(result) {
    var found = [];
    var add = function (kind, n) {
      var el = document.querySelector(n.target[0]);
      if (!el || el instanceof SVGElement) return;
      var r = el.getBoundingClientRect();
      if (kind === 'passes' && !(hidden(n) && el.checkVisibility() && r.width > 1 && r.height > 1)) return;
      if (kind === 'incomplete' && !SECOND_LOOK.test(n.any[0] && n.any[0].data && n.any[0].data.messageKey)) return;
      found.push({ el: el, kind: kind, node: n });
    };
    contrastList(result, 'incomplete').forEach(function (n) { add('incomplete', n); });
    contrastList(result, 'passes').forEach(function (n) { add('passes', n); });
    return found;
  }

  // The second look: each such text scrolled into the middle of the window and checked again with
  // the color-contrast rule alone, symbols as text (the rest still pending with it), until each has
  // been seen in view. Its new outcome replaces the first in `result`; returns how many were looked
  // at again.
  async function lookAgain(result) {
    var pending = outOfSight(result);
    var looked = pending.length;
    while (pending.length) {
      pending[0].el.scrollIntoView({ block: 'center', inline: 'nearest', behavior: 'instant' });
      var again = await window.axe.run({ include: pending.map(function (p) { return p.el; }) }, { runOnly: { type: 'rule', values: ['color-contrast'] }, checks: { 'color-contrast': { options: { ignoreUnicode: false } } } });
      var outcome = new Map();
      ['passes', 'violations', 'incomplete'].forEach(function (kind) {
        contrastList(again, kind).forEach(function (n) { outcome.set(document.querySelector(n.target[0]), { kind: kind, node: n }); });
      });
      var first = pending[0].el;
      pending = pending.filter(function (p) {
        var o = outcome.get(p.el);
        var decided = o && o.kind !== 'incomplete' && !hidden(o.node);
        if (!decided && p.el !== first) return true;
        var from = contrastList(result, p.kind);
        from.splice(from.indexOf(p.node), 1);
        if (decided) contrastList(result, o.kind).push(o.node);
        else contrastList(result, 'incomplete').push(o && o.kind === 'incomplete' ? o.node : p.node);
        return false;
      });
    }
    window.scrollTo(0, 0);
    return looked;
  }

  // The figures of axe's color-contrast rule: nodes checked, decided (lowest ratio), out of sight
  // for good, and those undecided that the SVG check did not settle.
  function tallyAxe(summary, result, settledHere) {
    contrastNodes(result).forEach(function (x) {
      summary.checked++;
      var el = document.querySelector(x.node.target[0]);
      var data = (x.node.any[0] && x.node.any[0].data) || {};
      if (x.kind === 'incomplete') {
        summary.axeUndecided++;
        if (!settledHere.has(el)) summary.undecided.push(x.node.target.join(' ') + ': ' + data.messageKey);
      } else if (hidden(x.node)) {
        summary.hidden++;
      } else {
        summary.byAxe++;
        if (typeof data.contrastRatio === 'number' && data.contrastRatio > 0) summary.minRatio = Math.min(summary.minRatio, data.contrastRatio);
      }
    });
  }

  // The figures of a check made here (SVG text, placeholders): the lowest ratio under `min`.
  function tallyOwn(summary, own, min) {
    own.forEach(function (t) {
      if (t.result.why) { summary.undecided.push(t.name + ': ' + t.result.why); return; }
      if (t.result.hidden) summary.svgHidden++;
      summary[min] = Math.min(summary[min], t.result.ratio);
      if (t.result.ratio < t.result.required) summary.low.push(t.name + ': ' + t.result.ratio.toFixed(2) + ':1, needs ' + t.result.required + ':1');
    });
  }

  // `within` (a selector) narrows the check to one part of the page, such as an open list.
  window.contrastAudit = async function (options, within) {
    var result = await window.axe.run(within ? document.querySelector(within) : document, options);
    var inView = await lookAgain(result);
    var own = within ? [] : svgTexts();
    var hints = within ? [] : placeholders();
    var summary = {
      axe: 'axe-core ' + window.axe.version,
      rules: [].concat(result.passes, result.violations, result.incomplete, result.inapplicable).map(function (r) { return r.id; }),
      violations: result.violations.filter(function (v) { return v.nodes.length; }).map(function (v) {
        var some = v.nodes.slice(0, 3).map(function (n) { return n.target.join(' ') + (n.any[0] ? ' (' + n.any[0].message + ')' : ''); });
        return v.id + ': ' + some.join(', ') + (v.nodes.length > 3 ? ' and ' + (v.nodes.length - 3) + ' more' : '');
      }),
      review: result.incomplete.filter(function (r) { return r.id !== 'color-contrast' && r.nodes.length; }).map(function (r) { return [r.id, r.nodes.length]; }),
      checked: 0, byAxe: 0, inView: inView, hidden: 0, axeUndecided: 0, undecided: [], low: [], minRatio: Infinity,
      svgTexts: own.length, svgHidden: 0, svgMinRatio: Infinity, placeholders: hints.length, placeholderMinRatio: Infinity,
    };
    tallyAxe(summary, result, new Set(own.filter(function (t) { return !t.result.why; }).map(function (t) { return t.el; })));
    tallyOwn(summary, own, 'svgMinRatio');
    tallyOwn(summary, hints, 'placeholderMinRatio');
    return summary;
  };
})();
