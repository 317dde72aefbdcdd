/* tebiki search. The index (assets/search-index.LANG.*.js, made by src/search.rs) is loaded by a
   script tag when the reader starts to search, so it works over file:// without a server; it names
   shards of terms (by first character) and chunks of slide text, loaded the same way as a query
   needs them. Each part pushes itself onto window.tebikiSearchParts with its language, so the
   indexes of several languages can share a page (search-all.js, on the entry page); the index
   brings the words its results are shown with, in its language. Text is normalised as in
   src/search.rs: NFKC, lower case, katakana → hiragana; CJK runs become bigrams,
   Latin words are made singular; the last Latin word also matches as a prefix. Every word of the
   query must match (several words narrow the results); BM25 ranks them. */
(function () {
  'use strict';

  function foldKana(c) {
    var n = c.codePointAt(0);
    return (n >= 0x30A1 && n <= 0x30F6) || n === 0x30FD || n === 0x30FE ? String.fromCodePoint(n - 0x60) : c;
  }
  function normalize(text) {
    return Array.from(text.normalize('NFKC').toLowerCase()).map(foldKana).join('');
  }
  function isCjk(c) {
    var n = c.codePointAt(0);
    return (n >= 0x3041 && n <= 0x30FF) || (n >= 0x3400 && n <= 0x4DBF) || (n >= 0x4E00 && n <= 0x9FFF) ||
      (n >= 0xF900 && n <= 0xFAFF) || n === 0x3005;
  }
  var WORD = /[\p{Alphabetic}\p{N}]/u;
  function isWord(c) { return WORD.test(c) && !isCjk(c); }
  function singular(w) {
    var n = Array.from(w).length;
    if (n > 4 && /ies$/.test(w)) return w.slice(0, -3) + 'y';
    if (n > 3 && /s$/.test(w) && !/(ss|us|is)$/.test(w)) return w.slice(0, -1);
    return w;
  }
  /* The terms of normalised text, as src/search.rs `terms`. */
  function terms(text) {
    var chars = Array.from(text);
    var out = [];
    for (var i = 0; i < chars.length;) {
      var start = i;
      if (isCjk(chars[i])) {
        while (i < chars.length && isCjk(chars[i])) i++;
        if (i - start === 1) out.push(chars[start]);
        for (var j = start; j < i - 1; j++) out.push(chars[j] + chars[j + 1]);
      } else if (isWord(chars[i])) {
        while (i < chars.length && isWord(chars[i])) i++;
        out.push(singular(chars.slice(start, i).join('')));
      } else {
        i++;
      }
    }
    return out;
  }

  var K1 = 1.2, B = 0.75;
  /* What is loaded of each language's index (every part names its language, so the entry page can
     hold two): term → postings (`p`), the list of terms (`k`, for prefixes), the chunks of slide
     texts (`t`), which shards and text chunks are in (`l`), and where its parts are (`d`). */
  var stores = {};
  function store(lang) {
    return stores[lang] = stores[lang] || { p: {}, t: [], l: { s: {}, t: {} } };
  }
  function drain() {
    var queue = window.tebikiSearchParts || [];
    while (queue.length) {
      var part = queue.shift();
      var st = store(part[0]);
      if (part[1] === 's') {
        Object.keys(part[3]).forEach(function (k) { st.p[k] = part[3][k]; });
        st.k = null;
      } else {
        st.t[part[2]] = part[3];
      }
      st.l[part[1]][part[2]] = true;
    }
  }

  /* Document index → score, for one term (a prefix when `prefix`). */
  function postings(index, term, prefix) {
    var found = new Map();
    var n = index.docs.length;
    var st = store(index.lang);
    drain();
    var list = prefix || term.length === 1 ? (st.k = st.k || Object.keys(st.p)).filter(function (k) { return k.lastIndexOf(term, 0) === 0; }) : (st.p[term] ? [term] : []);
    list.forEach(function (key) {
      var p = st.p[key];
      var df = p.length / 2;
      var idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      for (var i = 0; i < p.length; i += 2) {
        var tf = p[i + 1];
        var dl = index.docs[p[i]][3];
        var score = idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * dl / (index.avgdl || 1)));
        found.set(p[i], (found.get(p[i]) || 0) + score);
      }
    });
    return found;
  }
  function both(a, b) {
    if (!a) return b;
    var out = new Map();
    a.forEach(function (score, doc) { if (b.has(doc)) out.set(doc, score + b.get(doc)); });
    return out;
  }

  /* The documents matching every word of `query`, best first: [[doc index, score], …]. */
  function search(index, query) {
    var words = normalize(query).split(/\s+/).filter(Boolean);
    var all = null;
    words.forEach(function (word, w) {
      var ts = terms(word);
      ts.forEach(function (t, i) {
        var last = w === words.length - 1 && i === ts.length - 1 && !isCjk(t);
        all = both(all, postings(index, t, last));
      });
    });
    if (!all) return [];
    return Array.from(all.entries()).sort(function (a, b) {
      return b[1] - a[1] || index.docs[a[0]][0] - index.docs[b[0]][0];
    });
  }

  /* A piece of the text around the first match, as [before, match, after]. */
  function snippet(text, query) {
    var chars = Array.from(text);
    var norm = '';
    var at = [];
    chars.forEach(function (c, i) {
      var n = normalize(c);
      for (var k = 0; k < n.length; k++) at.push(i);
      norm += n;
    });
    var words = normalize(query).split(/\s+/).filter(Boolean).map(function (w) { return w.replace(/[^\p{Alphabetic}\p{N}]+$/u, ''); });
    var hit = -1, len = 0;
    for (var w = 0; w < words.length && hit < 0; w++) {
      var candidates = [words[w], singular(words[w])];
      for (var c = 0; c < candidates.length && hit < 0; c++) {
        if (candidates[c] && (hit = norm.indexOf(candidates[c])) >= 0) len = candidates[c].length;
      }
    }
    if (hit < 0) return [chars.slice(0, 90).join('') + (chars.length > 90 ? '…' : ''), '', ''];
    var from = at[hit], to = at[hit + len - 1] + 1;
    var start = Math.max(0, from - 30), end = Math.min(chars.length, to + 60);
    return [(start > 0 ? '…' : '') + chars.slice(start, from).join(''), chars.slice(from, to).join(''),
      chars.slice(to, end).join('') + (end < chars.length ? '…' : '')];
  }

  /* The shards a query needs: those of the first characters of its terms. */
  function shardsFor(index, query) {
    var ids = {};
    normalize(query).split(/\s+/).filter(Boolean).forEach(function (word) {
      terms(word).forEach(function (t) { ids[t.codePointAt(0) % index.shards.length] = true; });
    });
    return Object.keys(ids).map(Number);
  }
  var box = document.querySelector('[data-search]');
  var indexUrl = box ? box.getAttribute('data-search-index') : null;
  function loadScript(src, done) {
    var script = document.createElement('script');
    script.src = src;
    script.onload = done;
    script.onerror = done;
    document.head.appendChild(script);
  }
  /* The index at `url` (by default the box's; none in the one-file edition, where it is in the
     page), loaded once. Each index script sets window.tebikiSearchIndex, read as it loads. */
  var indexes = {};
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
        store(index.lang).d = url.slice(0, url.lastIndexOf('/') + 1);
        all.forEach(function (f) { f(index); });
      }
    });
  }
  /* Loads the parts of `kind` ('s' shards, 't' texts) with the given numbers, then calls `then`. */
  function ensure(index, kind, ids, then) {
    var st = store(index.lang);
    drain();
    var missing = ids.filter(function (i) { return !st.l[kind][i]; });
    if (!missing.length) return then();
    var left = missing.length;
    missing.forEach(function (i) {
      loadScript((st.d || '') + index[kind === 's' ? 'shards' : 'texts'][i], function () {
        drain();
        if (--left === 0) then();
      });
    });
  }
  /* Searches once the index (at `url`, or the box's) and the shards the query needs are loaded. */
  function query(q, then, url) {
    withIndex(function (index) {
      ensure(index, 's', shardsFor(index, q), function () { then(search(index, q), index); });
    }, url);
  }
  function loadAll(then, url) {
    withIndex(function (index) {
      ensure(index, 's', index.shards.map(function (_, i) { return i; }), function () {
        ensure(index, 't', index.texts.map(function (_, i) { return i; }), function () { then(index); });
      });
    }, url);
  }
  /* A slide's text, from the index given (by default the page's own). */
  function textOf(doc, index) {
    index = index || window.tebikiSearchIndex;
    drain();
    return (store(index.lang).t[Math.floor(doc / index.chunk)] || [])[doc % index.chunk] || '';
  }

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
    document.addEventListener('click', function (e) { if (!box.contains(e.target)) close(); });
  }

  window.tebikiSearch = { normalize: normalize, terms: terms, search: search, snippet: snippet, query: query, loadAll: loadAll, text: textOf, ensure: ensure, wire: wire };

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

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
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
      show(q, found.slice(0, 20), index);
    });
  }
  /* The index's words (its language's, from strings.toml) say what was found. */
  function show(q, found, index) {
    results.textContent = '';
    if (!found.length) {
      var none = index.none.split('{q}').join(q);
      results.appendChild(el('li', 'search-none', none));
      say(none);
    } else {
      var snippets = [];
      found.forEach(function (hit) {
        var doc = index.docs[hit[0]];
        var a = el('a');
        a.href = (single ? '' : base + index.pages[doc[1]]) + '#slide-' + doc[0];
        a.appendChild(el('span', 'search-slide', index.label.split('{n}').join(doc[0])));
        a.appendChild(el('span', 'search-title', doc[2]));
        var p = el('span', 'search-snippet');
        snippets.push([p, hit[0]]);
        a.appendChild(p);
        var li = el('li');
        li.appendChild(a);
        results.appendChild(li);
      });
      say((found.length === 1 ? index.count_one : index.count).split('{n}').join(found.length));
      /* Snippets come from the text chunks, loaded after the results show. */
      var chunks = {};
      snippets.forEach(function (s) { chunks[Math.floor(s[1] / index.chunk)] = true; });
      ensure(index, 't', Object.keys(chunks).map(Number), function () {
        snippets.forEach(function (s) {
          var parts = snippet(textOf(s[1], index), q);
          s[0].textContent = parts[0];
          if (parts[1]) s[0].appendChild(el('mark', null, parts[1]));
          s[0].appendChild(document.createTextNode(parts[2]));
        });
      });
    }
    results.hidden = false;
  }

  wire(box, input, results);
  input.addEventListener('focus', function () { withIndex(function () {}); });
  input.addEventListener('input', update);
})();
