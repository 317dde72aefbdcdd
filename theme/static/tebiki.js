/* tebiki: the step list is an open sidebar on wide screens (by CSS, and here for browsers without
   ::details-content) and folds behind its Contents button, closed at first, on narrow ones. On a
   wide screen the current step is scrolled into sight within the sidebar, never the page. */
(function () {
  'use strict';
  var box = document.querySelector('nav.steps');
  var current = box && box.querySelector('[aria-current]');
  if (!box || !matchMedia('(min-width: 60rem)').matches) return;
  box.firstElementChild.open = true;
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
