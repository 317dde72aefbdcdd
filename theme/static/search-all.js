/* tebiki search on the entry page (index.html), which is in no one language: its box searches the
   index of every language (data-search-all names them), with search.js's engine, loaded before
   this script. Each result is marked with its language's name (a word, and `lang` on the result so
   screen readers say it in that language), links to the slide in that language's pages, and the
   count is said in that language's words (each index brings them). The languages written in the
   query's script come first (kana: Japanese; Hangul: Korean; Chinese characters alone: Japanese
   and Chinese; Latin letters: the languages written in them), those matching the whole query
   before those matching part of it, the others after, each in the guide's order, so a reader
   finds the language they typed in at the top; each language shows
   at most its share of 20 results (scores of two indexes are not comparable, so they are not
   mixed). */
(function () {
  'use strict';

  var api = window.tebikiSearch;
  var box = document.querySelector('[data-search-all]');
  if (!api || !box) return;
  var urls = box.getAttribute('data-search-all').split(' ');
  var input = box.querySelector('input[type="search"]');
  var results = box.querySelector('[data-search-results]');
  var status = box.querySelector('[data-search-status]');
  var each = Math.floor(20 / urls.length);
  var KANA = /[\p{sc=Hiragana}\p{sc=Katakana}]/u, HANGUL = /\p{sc=Hangul}/u, HAN = /\p{sc=Han}/u;
  var CJK = { ja: 1, zh: 1, yue: 1, ko: 1 };
  /* Whether a language (a BCP 47 tag) is written in the script of query `q`. */
  function written(lang, q) {
    var primary = lang.split('-')[0];
    if (KANA.test(q)) return primary === 'ja';
    if (HANGUL.test(q)) return primary === 'ko';
    if (HAN.test(q)) return primary === 'ja' || primary === 'zh' || primary === 'yue';
    return !CJK[primary];
  }
  var announce = 0;
  var latest = 0;
  box.hidden = false;

  var el = api.el;
  /* Announces [[text, its language], …]. */
  function say(texts) {
    clearTimeout(announce);
    announce = setTimeout(function () {
      status.textContent = '';
      texts.forEach(function (t) { status.appendChild(el('span', null, t[0] + ' ', t[1])); });
    }, 400);
  }
  function update() {
    var q = input.value.trim();
    var ticket = ++latest;
    var groups = [];
    var left = urls.length;
    if (!q) { results.textContent = ''; results.hidden = true; say([]); return; }
    urls.forEach(function (url, i) {
      api.query(q, function (found, index) {
        groups[i] = [found.slice(0, each), index];
        if (!--left && ticket === latest) show(q, groups);
      }, url);
    });
  }
  /* The results of one language ([hits, index]), marked with it; returns what to say of them. */
  function list(group) {
    var index = group[1];
    api.render(results, index, group[0], index.lang + '/', true);
    var n = group[0].length;
    var count = (n === 1 ? index.count_one : index.count).split('{n}').join(n);
    return [index.count_in.split('{lang}').join(index.name).split('{text}').join(count), index.lang];
  }
  function show(q, groups) {
    /* Languages written like the query first; among them, those that match all of it. */
    var first = function (g) {
      return (written(g[1].lang, q) ? 2 : 0) + (g[0].some(function (hit) { return hit[2]; }) ? 1 : 0);
    };
    var told = [];
    results.textContent = '';
    results.more = [];
    results.dataset.query = q;
    groups.sort(function (a, b) { return first(b) - first(a); });
    groups.forEach(function (g) { if (g[0].length) told.push(list(g)); });
    if (!told.length) {
      groups.forEach(function (g) {
        var none = [g[1].none.split('{q}').join(q), g[1].lang];
        results.appendChild(el('li', 'search-none', none[0], none[1]));
        told.push(none);
      });
    }
    say(told);
    results.hidden = false;
  }

  api.wire(box, input, results);
  /* Focus loads each language's index (an empty query finds nothing and loads no shard). */
  input.addEventListener('focus', function () {
    urls.forEach(function (url) { api.query('', function () {}, url); });
  });
  input.addEventListener('input', update);
})();
