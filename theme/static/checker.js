/* tebiki format checker. Applies the rules of content/checker.toml (window.tebikiCheckerRules, from
   assets/checker-rules.*.js) to the fields of every [data-checker] on the page, with the same steps as
   tebiki's Rust checker (src/checker.rs). It never sends or stores what is typed: no network request,
   no storage, no cookie. */
(function () {
  'use strict';
  var rules = window.tebikiCheckerRules;
  if (!rules) return;
  var lang = rules.positions[document.documentElement.lang] ? document.documentElement.lang : 'en';

  function codePoint(c) { return c.codePointAt(0); }
  function isFullwidth(c) { var n = codePoint(c); return (n >= 0xFF01 && n <= 0xFF5E) || n === 0x3000; }
  function fold(c) {
    var n = codePoint(c);
    if (n >= 0xFF01 && n <= 0xFF5E) return String.fromCodePoint(n - 0xFEE0);
    return n === 0x3000 ? ' ' : c;
  }
  function isSpace(c) { return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\u3000'; }
  function asciiUpper(c) { return c >= 'a' && c <= 'z' ? c.toUpperCase() : c; }
  function classChars(names) { return names.map(function (n) { return rules.classes[n] || ''; }).join(''); }
  function problem(id, params) { return { message: id, params: params || {} }; }
  function positions(id, list) {
    return problem(id, { positions: list.map(function (i) { return i + 1; }).join(',') });
  }

  /* The steps of Rules::check, in the same order. */
  function check(field, value, others) {
    var f = rules.fields[field];
    var chars = Array.from(value);
    var out = [];
    var i;
    if (!chars.length) return { state: 'empty', problems: [] };
    /* Spaces at the ends are reported once; spaces inside, each at its position. The other rules
       look at what is between the spaces at the ends without the spaces inside (positions still
       count from the start of what was typed: `where` maps them back). */
    var lead = 0;
    while (lead < chars.length && isSpace(chars[lead])) lead++;
    var trail = 0;
    while (trail < chars.length - lead && isSpace(chars[chars.length - 1 - trail])) trail++;
    if (lead + trail > 0) out.push(problem('spaces'));
    var wide = [];
    for (i = 0; i < chars.length; i++) if (isFullwidth(chars[i])) wide.push(i);
    if (wide.length) out.push(positions('fullwidth', wide));
    var allowedChars = classChars(f.allowed);
    var spaces = [], where = [];
    for (i = lead; i < chars.length - trail; i++) {
      if (isSpace(chars[i]) && allowedChars.indexOf(chars[i]) < 0) spaces.push(i);
      else where.push(i);
    }
    if (spaces.length) out.push(positions('inner-space', spaces));
    chars = where.map(function (k) { return chars[k]; });
    var n = chars.length;
    function at(list) { return list.map(function (p) { return where[p]; }); }
    function digits(from, len) {
      if (from < 1 || from - 1 + len > n) return null;
      var run = chars.slice(from - 1, from - 1 + len);
      return run.every(function (ch) { return ch >= '0' && ch <= '9'; }) ? run.join('') : null;
    }
    if (f.shape) {
      var codes = rules['shape-codes'];
      var shape = Array.from(f.shape);
      var total = shape.length;
      var prefix = [];
      for (i = 0; i < total && !Object.prototype.hasOwnProperty.call(codes, shape[i]); i++) prefix.push(shape[i]);
      var head = chars.slice(0, prefix.length).map(fold);
      var expected = prefix.slice(0, head.length).join('');
      if (head.join('') !== expected) {
        out.push(problem(head.map(asciiUpper).join('') === expected ? 'prefix-case' : 'prefix', { prefix: prefix.join('') }));
      }
      var confused = [], lower = [], wrong = [];
      for (i = prefix.length; i < Math.min(n, total); i++) {
        var c = chars[i];
        if (isFullwidth(c) || isSpace(c)) continue;
        var classes = codes[shape[i]];
        if (!classes) { if (c !== shape[i]) wrong.push(i); continue; }
        var allowed = classChars(classes);
        if (allowed.indexOf(c) >= 0) continue;
        if (rules.confusables.chars.indexOf(c) >= 0 && classes.indexOf('digit') >= 0) confused.push(i);
        else if (c >= 'a' && c <= 'z' && allowed.indexOf(asciiUpper(c)) >= 0) lower.push(i);
        else wrong.push(i);
      }
      if (confused.length) out.push(positions('letter-for-digit', at(confused)));
      if (lower.length) out.push(positions('lowercase', at(lower)));
      if (wrong.length) out.push(positions('wrong-char', at(wrong)));
      var allDigits = chars.every(function (ch) { return ch >= '0' && ch <= '9'; });
      var length = null;
      if (n < total && f['dropped-zero'] && n + 1 === total && allDigits) length = problem('dropped-zero');
      else if (n < total) length = problem('too-short', { count: n, total: total, missing: total - n });
      else if (n > total) length = problem('too-long', { count: n, total: total, extra: n - total });
      /* Number ranges whose digits are all typed (not when a leading zero was dropped). */
      if (!length || length.message !== 'dropped-zero') {
        (f.ranges || []).forEach(function (r) {
          var got = digits(r.at, r.len);
          if (got === null || (Number(got) >= r.min && Number(got) <= r.max)) return;
          var spots = [];
          for (var k = r.at - 1; k < r.at - 1 + r.len; k++) spots.push(k);
          var p = positions(r.message, at(spots));
          p.params.value = got;
          p.params.min = pad(r.min, r.len);
          p.params.max = pad(r.max, r.len);
          p.caution = !!r.caution;
          out.push(p);
        });
      }
      if (length) out.push(length);
    }
    if (f.min != null && n < f.min) out.push(problem('below-min', { count: n, min: f.min }));
    if (f.max != null && n > f.max) out.push(problem('above-max', { count: n, max: f.max }));
    if (f.allowed.length) {
      var bad = [];
      for (i = 0; i < n; i++) if (!isFullwidth(chars[i]) && allowedChars.indexOf(chars[i]) < 0) bad.push(i);
      if (bad.length) {
        var np = positions('not-allowed', at(bad));
        np.params.symbols = Array.from(rules.classes.symbol || '').join(' ');
        out.push(np);
      }
    }
    f.require.forEach(function (r) {
      var cls = rules.classes[r['class']] || '';
      if (!chars.some(function (ch) { return cls.indexOf(fold(ch)) >= 0; })) out.push(problem(r.message));
    });
    var d = f['differs-from'];
    if (d && others[d.field] && others[d.field] === value) out.push(problem(d.message));
    (f.same || []).forEach(function (s) {
      var first = digits(s.at, s.len), second = digits(s.other, s.len);
      if (first === null || second === null || first === second) return;
      var p = problem(s.message, { first: first, second: second });
      p.caution = !!s.caution;
      out.push(p);
    });
    /* A caution counts only when nothing is wrong. */
    var errors = out.filter(function (p) { return !p.caution; });
    if (errors.length) return { state: 'invalid', problems: errors };
    return { state: out.length ? 'caution' : 'valid', problems: out };
  }

  function pad(number, width) {
    var text = String(number);
    while (text.length < width) text = '0' + text;
    return text;
  }

  function formatPositions(list) {
    var fmt = rules.positions[lang];
    var nums = String(list).split(',').map(Number);
    var parts = [];
    for (var i = 0; i < nums.length;) {
      var j = i;
      while (j + 1 < nums.length && nums[j + 1] === nums[j] + 1) j++;
      parts.push(j > i ? nums[i] + fmt.range + nums[j] : String(nums[i]));
      i = j + 1;
    }
    if (fmt.last != null && parts.length > 1) return parts.slice(0, -1).join(fmt.separator) + fmt.last + parts[parts.length - 1];
    return parts.join(fmt.separator);
  }

  /* The number a text's forms are chosen by: the first of these placeholders its `other` form
     names (for positions, how many it lists), as PLURAL_COUNTS in src/checker.rs. */
  var PLURAL_COUNTS = ['positions', 'count', 'missing', 'extra'];
  function wording(w, params) {
    if (typeof w !== 'object' || w === null) return w;
    var best = null, bestAt = -1;
    PLURAL_COUNTS.forEach(function (key) {
      var found = w.other.indexOf('{' + key + '}');
      if (found >= 0 && (bestAt < 0 || found < bestAt)) { best = key; bestAt = found; }
    });
    var value = best === null ? undefined : params[best];
    var count = value === undefined ? null : best === 'positions' ? String(value).split(',').length : Number(value);
    return count === 1 ? w.one : w.other;
  }

  function message(field, p) {
    var own = rules.fields[field].messages[p.message];
    var text = wording(((own || rules.messages[p.message] || {})[lang]), p.params) || p.message;
    Object.keys(p.params).forEach(function (key) {
      var value = key === 'positions' ? formatPositions(p.params[key]) : String(p.params[key]);
      text = text.split('{' + key + '}').join(value);
    });
    return text;
  }

  function show(status, field, result, capsLock) {
    status.setAttribute('data-state', result.state);
    status.setAttribute('data-messages', result.problems.map(function (p) { return p.message; }).join(' '));
    status.textContent = '';
    var lines = result.state === 'valid' ? [wording(rules.messages.valid[lang], {})] : result.problems.map(function (p) { return message(field, p); });
    if (capsLock) lines.push(wording(rules.messages['caps-lock'][lang], {}));
    if (!lines.length) return;
    var icon = document.createElement('span');
    icon.className = 'checker-icon';
    icon.setAttribute('aria-hidden', 'true');
    icon.textContent = { valid: '✓', invalid: '✗', caution: '\u26A0\uFE0E' }[result.state] || '!';
    status.appendChild(icon);
    var list = document.createElement('ul');
    lines.forEach(function (line) {
      var item = document.createElement('li');
      item.textContent = line;
      list.appendChild(item);
    });
    status.appendChild(list);
  }

  function setup(container) {
    var inputs = Array.prototype.slice.call(container.querySelectorAll('input[data-check]'));
    var capsLock = {};
    function values() {
      var all = {};
      inputs.forEach(function (input) { all[input.getAttribute('data-check')] = input.value; });
      return all;
    }
    function update(input) {
      var field = input.getAttribute('data-check');
      var status = container.querySelector('[data-check-status="' + field + '"]');
      if (!status || !rules.fields[field]) return;
      show(status, field, check(field, input.value, values()), capsLock[field]);
    }
    inputs.forEach(function (input) {
      var field = input.getAttribute('data-check');
      input.addEventListener('input', function () {
        update(input);
        inputs.forEach(function (other) {
          var rule = rules.fields[other.getAttribute('data-check')];
          if (other !== input && rule && rule['differs-from'] && rule['differs-from'].field === field) update(other);
        });
      });
      if (rules.fields[field] && rules.fields[field].masked) {
        var caps = function (event) {
          if (!event.getModifierState) return;
          var on = event.getModifierState('CapsLock');
          if (on !== !!capsLock[field]) {
            capsLock[field] = on;
            update(input);
          }
        };
        input.addEventListener('keydown', caps);
        input.addEventListener('keyup', caps);
      }
    });
    Array.prototype.forEach.call(container.querySelectorAll('.checker-toggle'), function (button) {
      var input = document.getElementById(button.getAttribute('aria-controls'));
      if (!input) return;
      button.hidden = false;
      button.addEventListener('click', function () {
        var shown = button.getAttribute('aria-pressed') !== 'true';
        button.setAttribute('aria-pressed', String(shown));
        input.classList.toggle('is-masked', !shown);
      });
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll('[data-checker]'), setup);
})();
