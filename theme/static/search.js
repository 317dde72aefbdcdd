/* tebiki search box. The index (assets/search-index.LANG.*.js, made by src/search/mod.rs, with
   the engine, theme/static/search-engine.js, at its head) is loaded by a script tag when the
   reader starts to search, so it works over file:// without a server; it names shards of terms
   (by first character) and chunks of slide text, loaded the same way as a query needs them. Each
   part pushes itself onto window.tebikiSearchParts with its language, so the indexes of several
   languages can share a page (search-all.js, on the entry page); the index brings the words its
   results are shown with, in its language. This script shows what the engine finds: the slide a
   query names first ("go to this slide"), then the results, each with its slide number, title and
   the words around the best match, matched parts marked, and a mark on those that hold only part
   of the query. */
(function () {
  'use strict';

  function loadScript(src, done) {
    var script = document.createElement('script');
    script.src = src;
    script.onload = done;
    script.onerror = done;
    document.head.appendChild(script);
  }
  var box = document.querySelector('[data-search]');
  var indexUrl = box ? box.getAttribute('data-search-index') : null;
  /* The index at `url` (by default the box's; none in the one-file edition, where it is in the
     page), loaded once. Each index script sets window.tebikiSearchIndex, read as it loads. */
  var indexes = {};
  var folders = {};
  var waiting = {};
  function withIndex(then, url) {
    url = url || indexUrl;
    var index = url ? indexes[url] : window.tebikiSearchIndex;
    if (index) return then(index);
    if (waiting[url]) return waiting[url].push(then);
    waiting[url] = [then];
    loadScript(url, function (e) {
      var all = waiting[url];
      waiting[url] = null;
      if (e.type === 'load' && (index = indexes[url] = window.tebikiSearchIndex)) {
        folders[index.lang] = url.slice(0, url.lastIndexOf('/') + 1);
        all.forEach(function (f) { f(index); });
      }
    });
  }
  /* Loads the parts of `kind` ('s' shards, 't' texts) with the given numbers, then calls `then`. */
  function ensure(index, kind, ids, then) {
    var engine = window.tebikiSearchEngine;
    var st = engine.store(index.lang);
    engine.drain();
    var missing = ids.filter(function (i) { return !st.l[kind][i]; });
    if (!missing.length) return then();
    var left = missing.length;
    missing.forEach(function (i) {
      loadScript((folders[index.lang] || '') + index[kind === 's' ? 'shards' : 'texts'][i], function () {
        engine.drain();
        if (--left === 0) then();
      });
    });
  }
  /* Searches once the index (at `url`, or the box's) and the shards the query needs are loaded. */
  function query(q, then, url) {
    withIndex(function (index) {
      var engine = window.tebikiSearchEngine;
      ensure(index, 's', engine.shardsFor(index, q), function () { then(engine.search(index, q), index); });
    }, url);
  }
  /* The whole index loaded (for the tests and the benchmark). */
  function loadAll(then, url) {
    withIndex(function (index) {
      ensure(index, 's', index.shards.map(function (_, i) { return i; }), function () {
        ensure(index, 't', index.texts.map(function (_, i) { return i; }), function () { then(index); });
      });
    }, url);
  }

  function el(tag, cls, text, lang) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    if (lang) e.lang = lang;
    return e;
  }
  /* Fills `into` with [[text, marked], …]. */
  function fill(into, parts) {
    into.textContent = '';
    parts.forEach(function (p) { into.appendChild(p[1] ? el('mark', null, p[0]) : document.createTextNode(p[0])); });
  }
  /* The results of one index as list items for `list`, linking to `base` + its pages (null: to
     this page's slides), with the language's name before each on the entry page (`named`); the
     snippets fill in as their text loads. */
  function render(list, index, hits, base, named) {
    var engine = window.tebikiSearchEngine;
    var snippets = [];
    hits.forEach(function (hit) {
      var doc = index.docs[hit[0]];
      var a = el('a', null, null, named ? index.lang : null);
      a.href = (base === null ? '' : base + index.pages[doc[1]]) + (doc[0] ? '#slide-' + doc[0] : '');
      if (named) a.appendChild(el('span', 'search-lang', index.name));
      a.appendChild(el('span', 'search-slide', doc[0] ? index.label.split('{n}').join(doc[0]) : index.page));
      var title = el('span', 'search-title');
      fill(title, engine.snippet(doc[2], hit[3], index.stemmer, true));
      a.appendChild(title);
      if (hit[4]) a.appendChild(el('span', 'search-go', index.direct));
      else if (!hit[2]) a.appendChild(el('span', 'search-partial', index.partial));
      var p = el('span', 'search-snippet');
      snippets.push([p, hit]);
      a.appendChild(p);
      var li = el('li', hit[4] ? 'search-direct' : null);
      li.appendChild(a);
      list.appendChild(li);
    });
    /* The snippets of the first results load at once, the others when the reader moves down the
       list (so a first query loads little). */
    var fillFrom = function (from, to) {
      var some = snippets.slice(from, to);
      var chunks = {};
      some.forEach(function (s) { chunks[Math.floor(s[1][0] / index.chunk)] = true; });
      ensure(index, 't', Object.keys(chunks).map(Number), function () {
        some.forEach(function (s) {
          fill(s[0], engine.snippet(engine.text(index, s[1][0]), s[1][3], index.stemmer, false));
        });
      });
    };
    fillFrom(0, FIRST);
    if (snippets.length > FIRST) (list.more = list.more || []).push(function () { fillFrom(FIRST, snippets.length); });
  }
  var FIRST = 6;

  /* The keys and clicks of a search box's results (the entry page's box too: search-all.js). */
  function wire(box, input, results) {
    function links() { return Array.from(results.querySelectorAll('a')); }
    function close() { results.hidden = true; }
    input.addEventListener('keydown', function (e) {
      if (e.key === 'ArrowDown' && links().length) { e.preventDefault(); links()[0].focus(); }
      else if (e.key === 'Enter' && links().length) { e.preventDefault(); links()[0].click(); }
      else if (e.key === 'Escape' && !results.hidden) { e.preventDefault(); close(); }
    });
    results.addEventListener('keydown', function (e) {
      var all = links();
      var i = all.indexOf(document.activeElement);
      if (e.key === 'ArrowDown' && i < all.length - 1) { e.preventDefault(); all[i + 1].focus(); }
      else if (e.key === 'ArrowUp') { e.preventDefault(); (i > 0 ? all[i - 1] : input).focus(); }
      else if (e.key === 'Escape') { e.preventDefault(); close(); input.focus(); }
    });
    results.addEventListener('click', function (e) { if (e.target.closest('a')) close(); });
    /* The rest of the snippets (see render), once the reader scrolls the results or moves into them. */
    function more() {
      var pending = results.more || [];
      results.more = [];
      pending.forEach(function (f) { f(); });
    }
    results.addEventListener('scroll', more);
    results.addEventListener('focusin', more);
    document.addEventListener('click', function (e) { if (!box.contains(e.target)) close(); });
  }

  window.tebikiSearch = { query: query, loadAll: loadAll, ensure: ensure, wire: wire, render: render, el: el, ready: withIndex };

  if (!box) return;
  var input = box.querySelector('input[type="search"]');
  var results = box.querySelector('[data-search-results]');
  var status = box.querySelector('[data-search-status]');
  var base = box.getAttribute('data-search-base') || '';
  /* In the one-file edition every slide is on this page. */
  var single = box.hasAttribute('data-search-single');
  var announce = 0;
  var latest = 0;
  box.hidden = false;

  function say(text) {
    clearTimeout(announce);
    announce = setTimeout(function () { status.textContent = text; }, 400);
  }
  function update() {
    var q = input.value.trim();
    var ticket = ++latest;
    if (!q) { results.textContent = ''; results.hidden = true; say(''); return; }
    query(q, function (found, index) {
      if (ticket !== latest) return;
      /* The one-file edition holds the slides only: the pages beside them are not in it. */
      if (single) found = found.filter(function (hit) { return index.docs[hit[0]][0]; });
      show(q, found.slice(0, 20), index);
    });
  }
  /* The index's words (its language's, from strings.toml) say what was found. */
  function show(q, found, index) {
    results.textContent = '';
    results.more = [];
    /* Which query the results are of (a test waits for it). */
    results.dataset.query = q;
    if (!found.length) {
      var none = index.none.split('{q}').join(q);
      results.appendChild(el('li', 'search-none', none));
      say(none);
    } else {
      render(results, index, found, single ? null : base, false);
      say((found.length === 1 ? index.count_one : index.count).split('{n}').join(found.length));
    }
    results.hidden = false;
  }

  wire(box, input, results);
  input.addEventListener('focus', function () { withIndex(function () {}); });
  input.addEventListener('input', update);
})();
