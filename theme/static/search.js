/* tebiki search. The index (assets/search-index.LANG.*.js, made by src/search.rs) is loaded by a
   script tag when the reader starts to search, so it works over file:// without a server; it names
   shards of terms (by first character) and chunks of slide text, loaded the same way as a query
   needs them. Each part pushes itself onto window.tebikiSearchParts. Text is
   normalised as in src/search.rs: NFKC, lower case, katakana → hiragana; CJK runs become bigrams,
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
  var keys = null;
  /* Loaded parts: term → postings, and slide texts by document index. */
  var postingsOf = {};
  var texts = [];
  var loaded = { s: {}, t: {} };
  function drain() {
    var queue = window.tebikiSearchParts || [];
    while (queue.length) {
      var part = queue.shift();
      if (part[1] === 's') {
        Object.keys(part[3]).forEach(function (k) { postingsOf[k] = part[3][k]; });
        keys = null;
      } else {
        var chunk = window.tebikiSearchIndex ? window.tebikiSearchIndex.chunk : 64;
        part[3].forEach(function (text, i) { texts[part[2] * chunk + i] = text; });
      }
      loaded[part[1]][part[2]] = true;
    }
  }

  /* Document index → score, for one term (a prefix when `prefix`). */
  function postings(index, term, prefix) {
    var found = new Map();
    var n = index.docs.length;
    drain();
    var list = prefix || term.length === 1 ? (keys = keys || Object.keys(postingsOf)).filter(function (k) { return k.lastIndexOf(term, 0) === 0; }) : (postingsOf[term] ? [term] : []);
    list.forEach(function (key) {
      var p = postingsOf[key];
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
  var waiting = null;
  function withIndex(then) {
    if (window.tebikiSearchIndex) return then(window.tebikiSearchIndex);
    if (waiting) return waiting.push(then);
    waiting = [then];
    loadScript(indexUrl, function () {
      var all = waiting;
      waiting = null;
      if (window.tebikiSearchIndex) all.forEach(function (f) { f(window.tebikiSearchIndex); });
    });
  }
  /* Loads the parts of `kind` ('s' shards, 't' texts) with the given numbers, then calls `then`. */
  function ensure(index, kind, ids, then) {
    drain();
    var missing = ids.filter(function (i) { return !loaded[kind][i]; });
    if (!missing.length) return then();
    var base = indexUrl ? indexUrl.slice(0, indexUrl.lastIndexOf('/') + 1) : '';
    var left = missing.length;
    missing.forEach(function (i) {
      loadScript(base + index[kind === 's' ? 'shards' : 'texts'][i], function () {
        drain();
        if (--left === 0) then();
      });
    });
  }
  /* Searches once the index and the shards the query needs are loaded. */
  function query(q, then) {
    withIndex(function (index) {
      ensure(index, 's', shardsFor(index, q), function () { then(search(index, q), index); });
    });
  }
  function loadAll(then) {
    withIndex(function (index) {
      ensure(index, 's', index.shards.map(function (_, i) { return i; }), function () {
        ensure(index, 't', index.texts.map(function (_, i) { return i; }), function () { then(index); });
      });
    });
  }
  function textOf(doc) { drain(); return texts[doc] || ''; }

  window.tebikiSearch = { normalize: normalize, terms: terms, search: search, snippet: snippet, query: query, loadAll: loadAll, text: textOf };

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
  function close() {
    results.hidden = true;
  }
  function say(text) {
    clearTimeout(announce);
    announce = setTimeout(function () { status.textContent = text; }, 400);
  }
  function update() {
    var q = input.value.trim();
    var ticket = ++latest;
    if (!q) { results.textContent = ''; close(); say(''); return; }
    query(q, function (found, index) {
      if (ticket !== latest) return;
      show(q, found.slice(0, 20), index);
    });
  }
  function show(q, found, index) {
    results.textContent = '';
    if (!found.length) {
      var none = box.getAttribute('data-none').split('{q}').join(q);
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
      say(box.getAttribute(found.length === 1 ? 'data-count-one' : 'data-count').split('{n}').join(found.length));
      /* Snippets come from the text chunks, loaded after the results show. */
      var chunks = {};
      snippets.forEach(function (s) { chunks[Math.floor(s[1] / index.chunk)] = true; });
      ensure(index, 't', Object.keys(chunks).map(Number), function () {
        snippets.forEach(function (s) {
          var parts = snippet(textOf(s[1]), q);
          s[0].textContent = parts[0];
          if (parts[1]) s[0].appendChild(el('mark', null, parts[1]));
          s[0].appendChild(document.createTextNode(parts[2]));
        });
      });
    }
    results.hidden = false;
  }
  function links() { return Array.prototype.slice.call(results.querySelectorAll('a')); }

  input.addEventListener('focus', function () { withIndex(function () {}); });
  input.addEventListener('input', update);
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
})();
