/* tebiki: the step list is an open sidebar on wide screens (by CSS, and here for browsers without
   ::details-content) and folds behind its Contents button, closed at first, on narrow ones. On a
   wide screen the current step is scrolled into sight within the sidebar, never the page. */
(function () {
  'use strict';
  var box = document.querySelector('nav.steps');
  if (!box || !matchMedia('(min-width: 60rem)').matches) return;
  // Open, so its links can be reached by keyboard on every page, also one that is no step.
  box.firstElementChild.open = true;
  var current = box.querySelector('[aria-current]');
  if (!current) return;
  var b = box.getBoundingClientRect();
  var c = current.getBoundingClientRect();
  if (c.top < b.top || c.bottom > b.bottom) box.scrollTop += c.top - b.top - (b.height - c.height) / 2;
})();

/* tebiki: keeps the language switch pointing at the slide being read, so switching language lands on
   the same slide. Works without it too (the switch then goes to the chapter's first slide). */
(function () {
  'use strict';
  var links = document.querySelectorAll('a[data-lang-switch]');
  var slides = document.querySelectorAll('section.slide[id^="slide-"]');
  if (!links.length || !slides.length) return;

  function point(id) {
    for (var i = 0; i < links.length; i++) {
      var href = links[i].getAttribute('href').split('#')[0];
      links[i].setAttribute('href', href + '#' + id);
    }
  }

  // The slide being read is the last one whose top has reached the top of the reading area, just
  // below the sticky header (an anchor jump puts the slide's top there).
  var header = document.querySelector('.site-header');
  function current() {
    var line = (header ? Math.max(0, header.getBoundingClientRect().bottom) : 0) + 48;
    var found = slides[0];
    for (var i = 0; i < slides.length; i++) {
      if (slides[i].getBoundingClientRect().top <= line) found = slides[i];
      else break;
    }
    return found.id;
  }

  var pending = false;
  function update() {
    pending = false;
    point(current());
  }
  window.addEventListener('scroll', function () {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(update);
    }
  }, { passive: true });
  window.addEventListener('hashchange', function () {
    if (/^#slide-\d+$/.test(location.hash)) point(location.hash.slice(1));
  });
  if (/^#slide-\d+$/.test(location.hash)) point(location.hash.slice(1));
})();

/* tebiki: a screen picture opens in the zoom viewer (zoom.js), which this loads on the first click
   on a picture or on its 「画像を拡大して見る」 link (its address is in <body data-zoom>), so pages
   stay light. Without JavaScript, or if the viewer cannot load, the link opens the picture itself. */
(function () {
  'use strict';
  var src = document.body.getAttribute('data-zoom');
  var wanted;
  if (src) document.addEventListener('click', function (e) {
    var target = e.target.closest('.screen-frame,.screen-full');
    if (!target || window.tebikiZoom || e.ctrlKey || e.shiftKey || e.metaKey) return;
    e.preventDefault();
    if (!wanted) document.head.append(Object.assign(document.createElement('script'), {
      src: src,
      onload: function () { window.tebikiZoom(wanted); },
      onerror: function () { if (wanted.href) location.href = wanted.href; }
    }));
    wanted = target;
  });
})();
