/* tebiki's search engine: what a query matches and how results rank. It comes inside each
   language's index script (src/search/mod.rs puts it before the index), so it loads only when a
   reader starts to search; search.js (every page) and search-all.js (the entry page) show what
   it finds. Nothing typed leaves the page.

   Text becomes terms exactly as in src/search/terms.rs (the tests compare the two on shared
   lists): NFKC, lower case, katakana → hiragana, Latin letters without diacritics (mật → mat);
   CJK (kana, Chinese characters, Hangul) runs → bigrams (a lone character stands for
   itself); Latin tokens → words, and a token joined by - . ' (e-mail, 14-character, .net) also
   as written and (- ') run together; with the English stemmer, British spellings made American,
   then Snowball English.

   A query is split into groups: the everyday words of the index's table (content/search.toml),
   found anywhere in it; the other words (split at spaces, and a Japanese particle between two
   words: パスワードを忘れた → パスワード, 忘れた). A group is matched by any of its
   alternatives (a key and its values); every term of an alternative counts, found as it is, by a
   prefix (a word still being typed: certif → certificate) or with one typo (a word of five
   letters or more that matches nothing else). A slide covering every group ranks first (BM25);
   then those covering most of the query, marked as partial. A query that names a slide ("17",
   「スライド17」, "slide 17") puts that slide first. */
(function () {
  'use strict';
  if (window.tebikiSearchEngine) return;

  /* ---- Text into terms (as src/search/terms.rs) ---- */
  function foldKana(c) {
    var n = c.codePointAt(0);
    return (n >= 0x30A1 && n <= 0x30F6) || n === 0x30FD || n === 0x30FE ? String.fromCodePoint(n - 0x60) : c;
  }
  /* A Latin letter without its diacritics (ậ → a, đ → d), one character for one. */
  var LATIN_MARKED = /[\u00C0-\u024F\u1E00-\u1EFF]/, LATIN_OWN = { 'đ': 'd', 'ø': 'o', 'ł': 'l' };
  function foldLatin(c) {
    if (LATIN_OWN[c]) return LATIN_OWN[c];
    return LATIN_MARKED.test(c) ? Array.from(c.normalize('NFD'))[0] : c;
  }
  function fold(c) { return foldLatin(foldKana(c)); }
  function normalize(text) {
    return Array.from(text.normalize('NFKC').toLowerCase()).map(fold).join('');
  }
  function isCjk(c) {
    var n = c.codePointAt(0);
    return (n >= 0x3041 && n <= 0x30FF) || (n >= 0x3400 && n <= 0x4DBF) || (n >= 0x4E00 && n <= 0x9FFF) ||
      (n >= 0xF900 && n <= 0xFAFF) || n === 0x3005 || (n >= 0x1100 && n <= 0x11FF) ||
      (n >= 0x3131 && n <= 0x318E) || (n >= 0xAC00 && n <= 0xD7A3) || (n >= 0x20000 && n <= 0x2FA1F);
  }
  var WORD = /[\p{Alphabetic}\p{N}]/u, LETTER = /\p{Alphabetic}/u, JOINER = /^[-.'’]$/, PLAIN = /^[a-z]+$/;
  function isWord(c) { return c !== undefined && WORD.test(c) && !isCjk(c); }

  var WHOLE = {
    programme: 'program', programmes: 'programs', grey: 'gray', ageing: 'aging', judgement: 'judgment',
    acknowledgement: 'acknowledgment', enquiry: 'inquiry', enquiries: 'inquiries', enquire: 'inquire',
    tyre: 'tire', tyres: 'tires', whilst: 'while', amongst: 'among', practise: 'practice',
    practised: 'practiced', enrol: 'enroll', enrolment: 'enrollment', fulfil: 'fulfill', instalment: 'installment'
  };
  /* [bases ('' any of three letters or more), bases not, from, to, endings], as RULES in terms.rs. */
  var RULES = [
    ['', '', 'isation', 'ization', ' s al'],
    ['', 'adv advert appra bru chast circumc compr comprom conc cru dem desp dev disgu enterpr exc exerc expert franch improv inc likew merchand otherw clockw parad porpo pra prec prem prom repr rev sunr superv surm surpr telev torto treat turquo unw upr val chem', 'is', 'iz', 'e ed es ing er ers'],
    ['anal paral catal', '', 'ys', 'yz', 'e ed es ing'],
    ['col behavi fav hon lab neighb flav hum rum harb vap arm endeav sav od vig rig', '', 'our', 'or', ' s ed ing ite ites able ful less al hood'],
    ['cent met lit theat fib calib sab spect somb lust', '', 're', 'er', ' s d'],
    ['cance trave labe mode fue signa tota leve channe counse dia equa jewe marve quarre tunne pane', '', 'll', 'l', 'ed ing er ers'],
    ['catal dial anal prol epil monol', '', 'ogue', 'og', ' s'],
    ['licen defen offen preten', '', 'ce', 'se', ' s d']
  ].map(function (r) {
    var list = function (s) { return s ? s.split(' ') : []; };
    return { bases: list(r[0]), not: list(r[1]), from: r[2], to: r[3], endings: r[4].split(' ') };
  });
  function american(w) {
    if (Object.prototype.hasOwnProperty.call(WHOLE, w)) return WHOLE[w];
    for (var i = 0; i < RULES.length; i++) {
      var r = RULES[i];
      for (var j = 0; j < r.endings.length; j++) {
        var e = r.endings[j], cut = w.length - e.length - r.from.length;
        if (cut < 0 || w.slice(cut) !== r.from + e) continue;
        var base = w.slice(0, cut);
        if (r.bases.length ? r.bases.indexOf(base) >= 0 : base.length >= 3 && r.not.indexOf(base) < 0) return base + r.to + e;
      }
    }
    return w;
  }
  function stem(w, stemmer) {
    return stemmer === 'english' && PLAIN.test(w) ? stemEnglish(american(w)) : w;
  }

  /* The terms of normalised text as [term, start, end (char indexes), kind], in
     src/search/terms.rs's order; a joined token's kind is 'w' for the token as written (or run
     together), 'p' for each of its words. */
  function tokens(text, stemmer) {
    var chars = Array.from(text), out = [], i = 0, j;
    var leadsToken = function (i) {
      return chars[i] === '.' && !isWord(chars[i - 1]) && chars[i + 1] !== undefined && LETTER.test(chars[i + 1]) && !isCjk(chars[i + 1]);
    };
    while (i < chars.length) {
      var start = i;
      if (isCjk(chars[i])) {
        while (i < chars.length && isCjk(chars[i])) i++;
        if (i - start === 1) out.push([chars[start], start, i, '']);
        for (j = start; j < i - 1; j++) out.push([chars[j] + chars[j + 1], j, j + 2, '']);
      } else if (isWord(chars[i]) || leadsToken(i)) {
        var parts = [];
        if (chars[i] === '.') i++;
        for (;;) {
          var from = i;
          while (isWord(chars[i])) i++;
          parts.push([from, i]);
          if (!(JOINER.test(chars[i] || '') && isWord(chars[i + 1]))) break;
          i++;
        }
        var token = chars.slice(start, i).join('');
        if (parts.length === 1 && token[0] !== '.') {
          out.push([stem(token, stemmer), start, i, '']);
          continue;
        }
        out.push([token, start, i, 'w']);
        if (parts.length > 1 && token[0] !== '.' && token.indexOf('.') < 0) {
          out.push([stem(token.replace(/[-.'’]/g, ''), stemmer), start, i, 'w']);
        }
        parts.forEach(function (p) { out.push([stem(chars.slice(p[0], p[1]).join(''), stemmer), p[0], p[1], 'p']); });
      } else {
        i++;
      }
    }
    return out;
  }
  function terms(text, stemmer) {
    return tokens(text, stemmer === undefined ? 'english' : stemmer).map(function (t) { return t[0]; });
  }

  /* ---- The parts of each language's index that are loaded ---- */
  /* term → postings (`p`), word as written → term (`w`), sorted keys of both for prefixes (`k`,
     `wk`), the chunks of slide texts (`t`), which shards and chunks are in (`l`). */
  var stores = {};
  function store(lang) {
    return stores[lang] = stores[lang] || { p: {}, w: {}, t: [], l: { s: {}, t: {} } };
  }
  function drain() {
    var queue = window.tebikiSearchParts || [];
    while (queue.length) {
      var part = queue.shift();
      var st = store(part[0]);
      if (part[1] === 's') {
        Object.assign(st.p, part[3][0]);
        Object.assign(st.w, part[3][1]);
        st.k = st.wk = null;
      } else {
        st.t[part[2]] = part[3];
      }
      st.l[part[1]][part[2]] = true;
    }
  }
  function sortedKeys(st) {
    if (!st.k) {
      st.k = Object.keys(st.p).sort();
      st.wk = Object.keys(st.w).sort();
    }
    return st;
  }
  /* The keys of sorted `keys` that start with `prefix`. */
  function withPrefix(keys, prefix) {
    var lo = 0, hi = keys.length, out = [];
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (keys[mid] < prefix) lo = mid + 1; else hi = mid;
    }
    for (; lo < keys.length && keys[lo].lastIndexOf(prefix, 0) === 0; lo++) out.push(keys[lo]);
    return out;
  }
  /* Whether a and b differ by one edit (a letter added, dropped, changed, or two swapped). */
  function oneEdit(a, b) {
    var la = a.length, lb = b.length;
    if (Math.abs(la - lb) > 1 || a === b) return false;
    var i = 0;
    while (i < la && i < lb && a[i] === b[i]) i++;
    if (la === lb) {
      return a.slice(i + 1) === b.slice(i + 1) ||
        (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
    }
    return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }
  // Snowball English (Porter2) stemmer, matching rust-stemmers Algorithm::English.
  // Input: a lower-case word. Returns its stem.
  function stemEnglish(w) {
    if (w.length < 3) return w;
    var T = stemEnglish.T || (stemEnglish.T = {
      x1: stemEnglish_map('skis=ski skies=sky dying=die lying=lie tying=tie idly=idl gently=gentl ugly=ugli early=earli only=onli singly=singl sky news howe atlas cosmos bias andes'),
      x2: stemEnglish_map('inning outing canning herring earring proceed exceed succeed'),
      s2: stemEnglish_tab('tional=tion enci=ence anci=ance abli=able entli=ent izer=ize ization=ize ational=ate ation=ate ator=ate alism=al aliti=al alli=al fulness=ful ousli=ous ousness=ous iveness=ive iviti=ive biliti=ble bli=ble ogi=og fulli=ful lessli=less li='),
      s3: stemEnglish_tab('tional=tion ational=ate alize=al icate=ic iciti=ic ical=ic ful= ness= ative='),
      s4: stemEnglish_tab('al= ance= ence= er= ic= able= ible= ant= ement= ment= ent= ism= ate= iti= ous= ive= ize= ion=')
    });
    var v = stemEnglish_v, s, n, i, p1, p2;
    if (w.length < 7 && (s = T.x1[w]) !== undefined) return s;
    if (w[0] === "'") w = w.slice(1);
    // Mark y as consonant (Y) at the start and after a vowel.
    if (w.indexOf('y') >= 0) {
      for (i = 0; i < w.length; i++)
        if (w[i] === 'y' && (i === 0 || v(w[i - 1]))) w = w.slice(0, i) + 'Y' + w.slice(i + 1);
    }
    // Regions R1 and R2 (absolute start indices).
    p1 = w.startsWith('gener') || w.startsWith('arsen') ? 5 : w.startsWith('commun') ? 6 : stemEnglish_r(w, 0);
    p2 = stemEnglish_r(w, p1);
    // Step 0 and 1a.
    if (w.endsWith("'s'")) w = w.slice(0, -3);
    else if (w.endsWith("'s")) w = w.slice(0, -2);
    else if (w.endsWith("'")) w = w.slice(0, -1);
    n = w.length;
    if (w.endsWith('sses')) w = w.slice(0, -2);
    else if (w.endsWith('ied') || w.endsWith('ies')) w = w.slice(0, -3) + (n > 4 ? 'i' : 'ie');
    else if (w[n - 1] === 's' && !w.endsWith('us') && !w.endsWith('ss') && stemEnglish_hasv(w, n - 2)) w = w.slice(0, -1);
    if (w.length > 5 && w.length < 8 && T.x2[w] !== undefined) return w;
    // Step 1b.
    n = w.length;
    s = w.endsWith('eedly') ? 5 : w.endsWith('eed') ? 3 : 0;
    if (s) {
      if (n - s >= p1) w = w.slice(0, -s) + 'ee';
    } else {
      s = w.endsWith('ingly') ? 5 : w.endsWith('edly') ? 4 : w.endsWith('ing') ? 3 : w.endsWith('ed') ? 2 : 0;
      if (s && stemEnglish_hasv(w, n - s)) {
        w = w.slice(0, -s); n = w.length; s = w.slice(-2);
        if (s === 'at' || s === 'bl' || s === 'iz') w += 'e';
        else if (s[0] === s[1] && 'bdfgmnprt'.indexOf(s[0]) >= 0) w = w.slice(0, -1);
        else if (n === p1 && stemEnglish_short(w, n)) w += 'e';
      }
    }
    // Step 1c.
    n = w.length;
    if ((w[n - 1] === 'y' || w[n - 1] === 'Y') && n > 2 && !v(w[n - 2])) w = w.slice(0, -1) + 'i';
    // Steps 2 and 3 (suffix in R1), step 4 (suffix in R2). The longest suffix decides.
    if ((s = stemEnglish_sfx(T.s2, w)) && (n = w.length - s[0].length) >= p1 &&
        (s[0] !== 'ogi' || w[n - 1] === 'l') && (s[0] !== 'li' || 'cdeghkmnrt'.indexOf(w[n - 1]) >= 0))
      w = w.slice(0, n) + s[1];
    if ((s = stemEnglish_sfx(T.s3, w)) && (n = w.length - s[0].length) >= p1 && (s[0] !== 'ative' || n >= p2))
      w = w.slice(0, n) + s[1];
    if ((s = stemEnglish_sfx(T.s4, w)) && (n = w.length - s[0].length) >= p2 &&
        (s[0] !== 'ion' || w[n - 1] === 's' || w[n - 1] === 't'))
      w = w.slice(0, n);
    // Step 5.
    n = w.length - 1;
    if (w[n] === 'e' ? n >= p2 || (n >= p1 && !stemEnglish_short(w, n)) : w[n] === 'l' && n >= p2 && w[n - 1] === 'l')
      w = w.slice(0, n);
    return w.indexOf('Y') >= 0 ? w.split('Y').join('y') : w;
  }
  // "a=b c= d" -> {a:'b', c:'', d:'d'} (no prototype).
  function stemEnglish_map(str) {
    var m = Object.create(null);
    str.split(' ').forEach(function (e) { var kv = e.split('='); m[kv[0]] = kv.length > 1 ? kv[1] : kv[0]; });
    return m;
  }
  // Suffix table: by last letter (0-25), lists of [suffix, replacement], longest first.
  function stemEnglish_tab(str) {
    var t = [], m = stemEnglish_map(str), k, i;
    for (k in m) (t[i = k.charCodeAt(k.length - 1) - 97] || (t[i] = [])).push([k, m[k]]);
    t.forEach(function (l) { l.sort(function (a, b) { return b[0].length - a[0].length; }); });
    return t;
  }
  function stemEnglish_v(c) { return c === 'a' || c === 'e' || c === 'i' || c === 'o' || c === 'u' || c === 'y'; }
  // Does w[0..end) contain a vowel?
  function stemEnglish_hasv(w, end) {
    for (var i = 0; i < end; i++) if (stemEnglish_v(w[i])) return true;
    return false;
  }
  // Index just after the first non-vowel that follows a vowel, searching from i.
  function stemEnglish_r(w, i) {
    var n = w.length;
    while (i < n && !stemEnglish_v(w[i])) i++;
    while (i < n && stemEnglish_v(w[i])) i++;
    return i < n ? i + 1 : n;
  }
  // Does w[0..e) end in a short syllable?
  function stemEnglish_short(w, e) {
    var v = stemEnglish_v, c = w[e - 1];
    return e >= 2 && !v(c) && v(w[e - 2]) && (e === 2 || (!v(w[e - 3]) && c !== 'w' && c !== 'x' && c !== 'Y'));
  }
  // Longest suffix of w listed in table t (from stemEnglish_tab), as [suffix, replacement], or null.
  function stemEnglish_sfx(t, w) {
    var c = t[w.charCodeAt(w.length - 1) - 97], i;
    if (c) for (i = 0; i < c.length; i++) if (w.endsWith(c[i][0])) return c[i];
    return null;
  }

  /* ---- A query ---- */
  var PARTICLE = /^[をがはにでともへやの]$/, HIRAGANA = /^\p{sc=Hiragana}$/u, HAN = /\p{sc=Han}/u;
  var SLIDE = /(?:^|\s)(?:すらいど|slides?)\s*(?:no\.?\s*)?[#番]?\s*(\d{1,5})(?=\s|$|番|枚)|^#?\s*(\d{1,5})$/;
  function escapeRe(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); }
  /* The slide a query names by its number, as a document index, or -1. */
  function named(index, q) {
    var m = SLIDE.exec(q);
    /* The index's own word for a slide too ("幻灯片17", "Slide 17" in any language). */
    var word = normalize((index.label || '').split('{n}')[0]).trim();
    if (!m && word) m = new RegExp('^' + escapeRe(word) + '\\s*(\\d{1,5})$').exec(q);
    if (!m) return -1;
    var n = Number(m[1] || m[2]);
    for (var i = 0; i < index.docs.length; i++) if (index.docs[i][0] === n && n > 0) return i;
    return -1;
  }
  /* The groups of a query: [[alternative text, weight], …] each (see the top). */
  function groups(index, query) {
    var raw = Array.from(query.normalize('NFKC').toLowerCase());
    var norm = raw.map(fold);
    var taken = raw.map(function () { return false; });
    var out = [];
    var keys = (index.synonyms || []).slice().sort(function (a, b) { return b[0].length - a[0].length; });
    keys.forEach(function (entry) {
      var key = Array.from(entry[0]);
      var latin = !isCjk(key[0]);
      for (var at = 0; at + key.length <= norm.length; at++) {
        var fits = key.every(function (c, k) { return norm[at + k] === c && !taken[at + k]; });
        if (!fits || (latin && (isWord(norm[at - 1]) || isWord(norm[at + key.length])))) continue;
        for (var k = 0; k < key.length; k++) taken[at + k] = true;
        out.push([[entry[0], 1]].concat(entry[1].map(function (v) { return [v, 0.9]; })));
        at += key.length - 1;
      }
    });
    var word = '';
    var flush = function () { if (word) out.push([[word, 1]]); word = ''; };
    norm.forEach(function (c, i) {
      if (taken[i] || /\s/.test(c)) return flush();
      /* A particle after a word of katakana, kanji or Latin, before another or at the end. */
      var before = raw[i - 1], after = raw[i + 1];
      if (PARTICLE.test(raw[i]) && word && !HIRAGANA.test(before) &&
          (after === undefined || /\s/.test(after) || taken[i + 1] || !HIRAGANA.test(after))) return flush();
      word += c;
    });
    flush();
    return out;
  }
  /* What a query needs: per group, its alternatives as [units, weight]. A unit is what one word
     contributes: a joined token's forms as written (`w`, either enough) and its words (`p`, each
     counting a part), or one term alone (in `p`). A term is [term, word as typed, whether a
     prefix may match, whether CJK]. */
  function plan(index, query) {
    var gs = groups(index, query);
    var last = gs.length - 1;
    return gs.map(function (alts, g) {
      return alts.map(function (alt) {
        var chars = Array.from(alt[0]);
        var units = [];
        tokens(alt[0], index.stemmer).forEach(function (t) {
          var typed = chars.slice(t[1], t[2]).join('');
          var cjk = isCjk(typed[0]);
          /* A prefix matches for a word of three letters or more, and for the query's last word
             (which may still be being typed). */
          var typing = g === last && t[2] === chars.length;
          /* (An everyday word's values are whole words: no prefix.) */
          /* (A single letter's terms may be in any shard of a large index: there it matches as it is.) */
          var letter = typed.length >= 2 || index.shards.length === 1;
          var prefix = alt[1] === 1 && (cjk ? t[2] - t[1] === 1 : typed.length >= 3 || (typing && letter));
          var term = [t[0], typed, prefix, cjk];
          var unit = units[units.length - 1];
          if (t[3] === 'w' && unit && unit.open && !unit.p.length) unit.w.push(term);
          else if (t[3] === 'w') units.push({ w: [term], p: [], open: true });
          else if (t[3] === 'p' && unit && unit.open) unit.p.push(term);
          else units.push({ w: [], p: [term], optional: index.stemmer === 'english' && STOP.test(typed), at: t[1], kana: cjk && !HAN.test(typed) });
        });
        /* A bigram of a longer Japanese word without kanji (ぷで of ヘルプデスク) means
           little alone: it counts only beside a neighbour of the same word. */
        units.forEach(function (u, i) {
          var near = function (v) { return v && v.kana !== undefined && v.p[0][3] && Math.abs(v.at - u.at) === 1; };
          u.lonely = u.kana && (near(units[i - 1]) || near(units[i + 1])) ? [units[i - 1], units[i + 1]].filter(near) : null;
        });
        /* Little words count only where the query has nothing else. */
        if (units.every(function (u) { return u.optional; })) units.forEach(function (u) { u.optional = false; });
        return [units, alt[1]];
      });
    });
  }
  function eachTerm(p, f) {
    p.forEach(function (alts) { alts.forEach(function (alt) { alt[0].forEach(function (u) { u.w.concat(u.p).forEach(f); }); }); });
  }
  /* The shard of a term or word, as shard_of in src/search/mod.rs: by its first character when
     that is CJK, by its first two otherwise. */
  function shardOf(term, n) {
    var c = Array.from(term);
    var key = c.length > 1 && !isCjk(c[0]) ? c[0].codePointAt(0) * 31 + c[1].codePointAt(0) : c[0].codePointAt(0);
    return key % n;
  }
  /* The shards a query needs: those of its terms and of the words as typed. */
  function shardsFor(index, query) {
    var ids = {};
    var n = index.shards.length;
    eachTerm(plan(index, query), function (t) {
      ids[shardOf(t[0], n)] = true;
      ids[shardOf(t[1], n)] = true;
    });
    return Object.keys(ids).map(Number);
  }

  /* English words a query may hold that say little of what it is about: they add to a
     result's score but are not needed to cover the query. */
  var STOP = /^(a|an|the|to|of|in|on|at|for|my|me|i|is|are|am|was|be|it|its|this|that|do|does|how|what|where|when|why|who|can|should|will|please|with|from|by|as|and|or|your|you|we|our|get|have|has|need|want|way|up)$/;
  var K1 = 1.2, B = 0.75;
  /* The index's keys a term matches, as [key, weight]: itself; keys and words as written that
     start with what was typed (weighed by how much of them it is); failing those, keys one typo
     away (words of five letters or more). */
  function candidates(st, t, exact) {
    var term = t[0], typed = t[1], out = [];
    if (st.p[term]) out.push([term, 1]);
    if (t[2] && !exact) {
      sortedKeys(st);
      /* The more of a word is typed, the more its match counts (never as much as the word), and
         less again when the word is in the index as typed. */
      var part = function (whole) { return (0.3 + 0.5 * typed.length / whole.length) * (out.length ? 0.5 : 1); };
      withPrefix(st.k, typed).forEach(function (k) { if (k !== term) out.push([k, part(k)]); });
      withPrefix(st.wk, typed).forEach(function (w) { if (st.w[w] !== term) out.push([st.w[w], part(w)]); });
    }
    if (!out.length && !t[3] && Array.from(typed).length >= 5) {
      sortedKeys(st);
      st.k.forEach(function (k) { if (oneEdit(k, term)) out.push([k, 0.5]); });
      st.wk.forEach(function (w) { if (oneEdit(w, typed)) out.push([st.w[w], 0.5]); });
    }
    return out;
  }
  /* Document index → [score, matched keys] of one term. */
  function termScores(index, st, t, exact) {
    var found = new Map();
    var n = index.docs.length;
    candidates(st, t, exact).forEach(function (c) {
      /* Each document's index, followed by its weight negated when that is more than 1. */
      var p = st.p[c[0]];
      if (!p) return;
      var df = 0, i;
      for (i = 0; i < p.length; i++) if (p[i] >= 0) df++;
      var idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      for (i = 0; i < p.length; i++) {
        var doc = p[i], tf = 1;
        if (p[i + 1] < 0) tf = -p[++i];
        var dl = index.docs[doc][3];
        var s = c[1] * idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * dl / (index.avgdl || 1)));
        var had = found.get(doc);
        if (!had) found.set(doc, [s, [c[0]]]);
        else { had[0] = Math.max(had[0], s); had[1].push(c[0]); }
      }
    });
    return found;
  }

  /* Document index → [coverage 0–1, score, keys] of one unit. */
  function unitScores(index, st, u) {
    var out = new Map();
    /* [coverage, score of the words, keys, best score of the forms as written] */
    /* The words of a joined token found as written match only as they are (.net: not network). */
    var written = u.w.some(function (t) { return st.p[t[0]]; });
    var add = function (terms, whole) {
      terms.forEach(function (t) {
        termScores(index, st, t, written && !whole).forEach(function (hit, doc) {
          var d = out.get(doc) || out.set(doc, [0, 0, [], 0]).get(doc);
          if (whole) d[3] = Math.max(d[3], hit[0]);
          else { d[0] += 1 / terms.length; d[1] += hit[0]; }
          d[2] = d[2].concat(hit[1]);
        });
      });
    };
    add(u.w, true);
    add(u.p, false);
    /* A joined token found as written covers its unit; it scores as its words would, at least. */
    out.forEach(function (d) { if (d[3]) { d[0] = 1; d[1] = Math.max(d[1], d[3]); } });
    return out;
  }
  /* How many of the best results are looked at for the query in their title, and how much more
     a result counts whose title holds every group of the query. */
  var TITLED = 50, TITLE_BONUS = 2;
  function titled(index, hits, groupCount) {
    hits.forEach(function (hit) {
      if (!hit[2] || hit[5].length < groupCount) return;
      var words = new Set(terms(normalize(index.docs[hit[0]][2]), index.stemmer));
      var all = hit[5].every(function (keys) { return keys.some(function (k) { return words.has(k); }); });
      if (all) hit[1] *= TITLE_BONUS;
    });
  }
  /* The documents a query finds, best first: [doc index, score, whether it covers the whole
     query, the keys it matched (for snippets), whether the query names it]. */
  function search(index, query) {
    var st = store(index.lang);
    drain();
    var all = new Map();
    var gs = plan(index, query);
    gs.forEach(function (alts) {
      /* Per document, the best alternative of this group: [coverage, score, keys]. */
      var best = new Map();
      alts.forEach(function (alt) {
        var units = alt[0];
        if (!units.length) return;
        var per = new Map();
        var counted = units.filter(function (u) { return !u.optional; }).length;
        var found = units.map(function (u) { return unitScores(index, st, u); });
        units.forEach(function (u, i) {
          found[i].forEach(function (hit, doc) {
            if (u.lonely && !u.lonely.some(function (v) { return found[units.indexOf(v)].has(doc); })) return;
            var d = per.get(doc) || per.set(doc, [0, 0, []]).get(doc);
            if (!u.optional) d[0] += hit[0] / counted;
            d[1] += hit[1] * alt[1];
            d[2] = d[2].concat(hit[2]);
          });
        });
        per.forEach(function (d, doc) {
          /* An everyday word's value counts only whole: its parts alone mean little. */
          if (alt[1] < 1 && d[0] < 1 - 1e-9) return;
          var b = best.get(doc);
          if (!b || d[0] > b[0] + 1e-9 || (Math.abs(d[0] - b[0]) < 1e-9 && d[1] > b[1])) best.set(doc, d);
        });
      });
      best.forEach(function (d, doc) {
        var a = all.get(doc) || all.set(doc, [0, 0, [], []]).get(doc);
        a[0] += Math.min(1, d[0]) / gs.length;
        a[1] += d[1];
        a[2] = a[2].concat(d[2]);
        a[3].push(d[2]);
      });
    });
    var hits = Array.from(all.entries()).filter(function (e) { return e[1][0] > 0; }).map(function (e) {
      var full = e[1][0] > 1 - 1e-9;
      return [e[0], full ? e[1][1] : e[1][1] * e[1][0] * e[1][0], full, new Set(e[1][2]), false, e[1][3]];
    });
    var order = function (a, b) {
      return b[2] - a[2] || b[1] - a[1] || index.docs[a[0]][0] - index.docs[b[0]][0];
    };
    hits.sort(order);
    titled(index, hits.slice(0, TITLED), gs.length);
    hits.sort(order);
    var direct = named(index, normalize(query).trim());
    if (direct >= 0) {
      hits = hits.filter(function (h) { return h[0] !== direct; });
      /* Its snippet is its beginning: what the slide is about. */
      hits.unshift([direct, Infinity, true, new Set(), true, []]);
    }
    return hits;
  }

  /* ---- Snippets ---- */
  /* The parts of `text` whose terms are among `keys`, as char ranges [start, end) of the text,
     in order and merged. */
  function marks(text, keys, stemmer) {
    var chars = Array.from(text), norm = [], at = [];
    chars.forEach(function (c, i) {
      Array.from(normalize(c)).forEach(function (n) { norm.push(n); at.push(i); });
    });
    var matched = tokens(norm.join(''), stemmer).filter(function (t) { return keys.has(t[0]); });
    /* A bigram without kanji is marked only beside another matched one (です of ヘルプデスク, not
       of スムーズです). */
    var starts = new Set(matched.map(function (t) { return isCjk(t[0][0]) ? t[1] : -9; }));
    var found = [];
    matched.forEach(function (t) {
      var lone = isCjk(t[0][0]) && t[2] - t[1] === 2 && !HAN.test(t[0]) && !starts.has(t[1] - 1) && !starts.has(t[1] + 1);
      if (!lone) found.push([at[t[1]], at[t[2] - 1] + 1, t[0]]);
    });
    found.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var merged = [];
    found.forEach(function (m) {
      var last = merged[merged.length - 1];
      if (last && m[0] <= last[1]) { last[1] = Math.max(last[1], m[1]); last[2].add(m[2]); }
      else merged.push([m[0], m[1], new Set([m[2]])]);
    });
    return [chars, merged];
  }
  var WIDTH = 100;
  /* The words around the best match of `keys` in `text` (the stretch of about WIDTH characters
     holding the most different matched terms), as [[text, whether it is matched], …]. With
     `whole`, all of the text. */
  function snippet(text, keys, stemmer, whole) {
    var r = marks(text, keys || new Set(), stemmer);
    var chars = r[0], found = r[1];
    var from = 0, to = chars.length;
    if (!whole) {
      var best = -1, bestAt = 0;
      found.forEach(function (m, i) {
        var seen = new Set();
        for (var j = i; j < found.length && found[j][1] - m[0] <= WIDTH; j++) found[j][2].forEach(function (k) { seen.add(k); });
        if (seen.size > best) { best = seen.size; bestAt = m[0]; }
      });
      from = Math.max(0, bestAt - 24);
      /* Start at a word's beginning where one is near. */
      for (var k = from; k > 0 && k > from - 8; k--) if (/[\s、。「（(]/.test(chars[k - 1])) { from = k; break; }
      to = Math.min(chars.length, from + WIDTH + 24);
      /* A marked word is shown whole. */
      found.forEach(function (m) { if (m[0] < to && m[1] > to) to = m[1]; });
    }
    var out = [];
    var put = function (a, b, marked) { if (b > a) out.push([chars.slice(a, b).join(''), marked]); };
    var pos = from;
    found.forEach(function (m) {
      if (m[1] <= from || m[0] >= to) return;
      put(pos, Math.max(pos, m[0]), false);
      put(Math.max(pos, m[0]), Math.min(to, m[1]), true);
      pos = Math.min(to, m[1]);
    });
    put(pos, to, false);
    if (from > 0) out.unshift(['…', false]);
    if (to < chars.length) out.push(['…', false]);
    return out;
  }

  /* A slide's text, from the chunks loaded. */
  function textOf(index, doc) {
    drain();
    return (store(index.lang).t[Math.floor(doc / index.chunk)] || [])[doc % index.chunk] || '';
  }

  window.tebikiSearchEngine = {
    normalize: normalize, terms: terms, tokens: tokens, stem: stem, american: american,
    search: search, shardsFor: shardsFor, snippet: snippet, text: textOf, store: store, drain: drain
  };
})();
