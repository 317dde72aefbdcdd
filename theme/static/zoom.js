/* tebiki: the zoom viewer. A screen picture (a click or tap on it, or its 「画像を拡大して見る」 link
   or button) opens in a modal dialog at full resolution, with its callouts: the figure's whole
   .screen-frame is cloned (the picture and every layer drawn over it, all placed in percent of the
   frame) and zoomed by setting the clone's width, so whatever is drawn over the picture follows it
   at every size. Move it by dragging (a finger or the mouse), scrolling or the arrow keys; zoom
   with the buttons, the + and - keys, two fingers, or Ctrl and the wheel (a touchpad pinch).
   Published per language after `window.tebikiZoomSetup`: its words (theme/strings.toml) and its
   stylesheet beside it. The print page (and so the one-file edition) loads both with the page; on
   the other pages tebiki.js loads this script on the first click, and it loads its stylesheet. */
(function () {
  'use strict';
  if (window.tebikiZoom) return;
  var setup = window.tebikiZoomSetup || { words: {} };
  var words = setup.words;
  var here = document.currentScript ? document.currentScript.src : '';
  var STEP = 1.5; // one press of + or -
  var MOST = 2; // the largest zoom: two pixels on the screen for each pixel of the picture
  var dialog, title, view, frame, opener, pending, broken;
  var size = { w: 1, h: 1 };
  var scale = 1;
  var fit = 1;
  var pointers = new Map();
  var gesture = null;

  // A page that loads this script later (tebiki.js, <body data-zoom>) does not link its stylesheet.
  var styled = !document.body.hasAttribute('data-zoom');
  if (!styled) {
    var sheet = el('link');
    sheet.rel = 'stylesheet';
    sheet.href = new URL(setup.css, here).href;
    sheet.onload = function () {
      styled = true;
      if (pending) open(pending);
    };
    sheet.onerror = function () {
      broken = true;
      if (pending) fallBack(pending);
    };
    document.head.appendChild(sheet);
  }

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text) e.textContent = text;
    return e;
  }

  function button(className, text, mark, act) {
    var b = el('button', className);
    b.type = 'button';
    if (mark) {
      var m = el('span', '', mark);
      m.setAttribute('aria-hidden', 'true');
      b.append(m, ' ');
    }
    b.append(text || '');
    if (act) b.addEventListener('click', act);
    return b;
  }

  function build() {
    dialog = el('dialog', 'zoom');
    dialog.setAttribute('aria-labelledby', 'zoom-title');
    dialog.setAttribute('closedby', 'any');
    title = el('p', 'zoom-title');
    title.id = 'zoom-title';
    var bar = el('div', 'zoom-bar');
    bar.append(title, button('zoom-close', words.close, '', function () { dialog.close(); }));
    view = el('div', 'zoom-view');
    view.tabIndex = 0;
    // The zoom buttons below the picture, in reach of a thumb on a phone.
    var tools = el('div', 'zoom-tools');
    tools.append(
      button('zoom-out', words.out, '−', function () { zoomTo(scale / STEP); }),
      button('zoom-in', words.in, '+', function () { zoomTo(scale * STEP); }),
      button('zoom-fit', words.fit, '', function () { zoomTo(fit); })
    );
    dialog.append(bar, view, tools);
    document.body.appendChild(dialog);
    dialog.addEventListener('keydown', keys);
    dialog.addEventListener('close', closed);
    view.addEventListener('pointerdown', down);
    view.addEventListener('pointermove', move);
    view.addEventListener('pointerup', up);
    view.addEventListener('pointercancel', up);
    view.addEventListener('wheel', wheel, { passive: false });
    window.addEventListener('resize', function () {
      if (!dialog.open) return;
      var whole = scale <= fit;
      measure();
      zoomTo(whole ? fit : scale);
    });
  }

  /** Opens the picture of the figure holding `target` (its picture, link or button). */
  function open(target) {
    var figure = target.closest('figure');
    var original = figure && figure.querySelector('.screen-frame');
    if (!original) return;
    if (broken) return fallBack(target);
    if (!styled) {
      pending = target;
      return;
    }
    pending = null;
    if (!dialog) build();
    var link = figure.querySelector('a.screen-full');
    opener = target.matches('a, button') ? target : figure.querySelector('.screen-full');
    frame = original.cloneNode(true);
    frame.removeAttribute('id');
    frame.querySelectorAll('[id]').forEach(function (e) { e.removeAttribute('id'); });
    // The picture made anew (a changed one may keep the size its srcset chose): the full-size file,
    // or in the one-file edition (no link) the copy its style draws, the only one there is.
    var shown = frame.querySelector('img');
    var img = el('img');
    Array.from(shown.attributes).forEach(function (a) {
      if (!/^(srcset|sizes|loading)$/.test(a.name)) img.setAttribute(a.name, a.value);
    });
    if (link) img.src = link.href;
    img.draggable = false;
    shown.replaceWith(img);
    size = { w: Number(img.getAttribute('width')) || 1, h: Number(img.getAttribute('height')) || 1 };
    var named = caption(figure);
    title.replaceChildren.apply(title, named.length ? named : [img.alt]);
    view.replaceChildren(frame);
    dialog.showModal();
    measure();
    zoomTo(fit);
    view.focus();
  }

  /** The figure's caption without its note and link (its Japanese words keep their `lang`). */
  function caption(figure) {
    var cap = figure.querySelector('figcaption');
    if (!cap) return [];
    cap = cap.cloneNode(true);
    cap.querySelectorAll('.screen-note, .screen-full, .visually-hidden').forEach(function (e) { e.remove(); });
    cap.querySelectorAll('a, [id]').forEach(function (e) {
      if (e.matches('a')) e.replaceWith.apply(e, Array.from(e.childNodes));
      else e.removeAttribute('id');
    });
    return cap.textContent.trim() ? Array.from(cap.childNodes) : [];
  }

  function fallBack(target) {
    var link = target.closest('figure').querySelector('a.screen-full');
    if (link) location.href = link.href;
  }

  // The whole picture in the view, at most at its own size.
  function measure() {
    fit = Math.min(1, (view.clientWidth - 2) / size.w, (view.clientHeight - 2) / size.h);
  }

  /** Where (x, y) on the screen is on the picture, as fractions of its width and height. */
  function at(x, y) {
    var r = frame.getBoundingClientRect();
    return { x: (x - r.left) / r.width, y: (y - r.top) / r.height };
  }

  /** Zooms to `s`, keeping the point at fractions `f` of the picture at (x, y) on the screen. */
  function place(s, f, x, y) {
    scale = Math.min(Math.max(s, fit), Math.max(MOST, fit));
    frame.style.width = Math.floor(size.w * scale) + 'px';
    var r = frame.getBoundingClientRect();
    view.scrollLeft += r.left + f.x * r.width - x;
    view.scrollTop += r.top + f.y * r.height - y;
  }

  function zoomAt(s, x, y) {
    place(s, at(x, y), x, y);
  }

  /** Zooms to `s` about the middle of the view. */
  function zoomTo(s) {
    var r = view.getBoundingClientRect();
    zoomAt(s, r.left + r.width / 2, r.top + r.height / 2);
  }

  function keys(e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === '+' || e.key === '=') zoomTo(scale * STEP);
    else if (e.key === '-') zoomTo(scale / STEP);
    else if (e.key === '0') zoomTo(fit);
    else return;
    e.preventDefault();
  }

  // One pointer drags the picture; two pinch it (the page itself never zooms: touch-action none).
  function down(e) {
    if (e.pointerType === 'mouse' && e.button !== 0) return;
    view.setPointerCapture(e.pointerId);
    pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
    begin();
  }

  function move(e) {
    var p = pointers.get(e.pointerId);
    if (!p) return;
    if (pointers.size === 1) {
      view.scrollLeft -= e.clientX - p.x;
      view.scrollTop -= e.clientY - p.y;
    }
    p.x = e.clientX;
    p.y = e.clientY;
    if (gesture) {
      var g = pinch();
      place(gesture.scale * g.d / gesture.d, gesture.f, g.x, g.y);
    }
  }

  function up(e) {
    if (pointers.delete(e.pointerId)) begin();
  }

  /** The first two pointers: their middle and how far apart they are. */
  function pinch() {
    var p = Array.from(pointers.values());
    return { x: (p[0].x + p[1].x) / 2, y: (p[0].y + p[1].y) / 2, d: Math.hypot(p[0].x - p[1].x, p[0].y - p[1].y) || 1 };
  }

  function begin() {
    if (pointers.size < 2) {
      gesture = null;
      return;
    }
    var g = pinch();
    gesture = { d: g.d, scale: scale, f: at(g.x, g.y) };
  }

  function wheel(e) {
    if (!e.ctrlKey) return;
    e.preventDefault();
    zoomAt(scale * Math.exp(-e.deltaY / 300), e.clientX, e.clientY);
  }

  function closed() {
    view.replaceChildren();
    pointers.clear();
    gesture = null;
    if (opener && opener.isConnected) opener.focus();
  }

  // The one-file edition has no link to the full-size file: a button opens the picture instead.
  document.querySelectorAll('figure.screen').forEach(function (figure) {
    var cap = figure.querySelector('figcaption');
    if (cap && !figure.querySelector('.screen-full')) cap.append(' ', button('screen-full', words.open));
  });

  document.addEventListener('click', function (e) {
    if (e.defaultPrevented || e.ctrlKey || e.shiftKey || e.metaKey) return;
    var target = e.target.closest('.screen .screen-frame, .screen .screen-full');
    if (!target) return;
    e.preventDefault();
    open(target);
  });

  window.tebikiZoom = open;
})();
