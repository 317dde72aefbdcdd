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
    /* Spaces at the ends are reported once; the other rules look at what is between them
       (positions still count from the start of what was typed). */
    var lead = 0;
    while (lead < chars.length && isSpace(chars[lead])) lead++;
    var trail = 0;
    while (trail < chars.length - lead && isSpace(chars[chars.length - 1 - trail])) trail++;
    if (lead + trail > 0) out.push(problem('spaces'));
    var wide = [];
    for (i = 0; i < chars.length; i++) if (isFullwidth(chars[i])) wide.push(i);
    if (wide.length) out.push(positions('fullwidth', wide));
    chars = chars.slice(lead, chars.length - trail);
    var n = chars.length;
    function at(list) { return list.map(function (p) { return p + lead; }); }
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
      if (n < total && f['dropped-zero'] && n + 1 === total && allDigits) out.push(problem('dropped-zero'));
      else if (n < total) out.push(problem('too-short', { count: n, total: total, missing: total - n }));
      else if (n > total) out.push(problem('too-long', { count: n, total: total, extra: n - total }));
    }
    if (f.min != null && n < f.min) out.push(problem('below-min', { count: n, min: f.min }));
    if (f.max != null && n > f.max) out.push(problem('above-max', { count: n, max: f.max }));
    if (f.allowed.length) {
      var ok = classChars(f.allowed);
      var bad = [];
      for (i = 0; i < n; i++) if (!isFullwidth(chars[i]) && ok.indexOf(chars[i]) < 0) bad.push(i);
      if (bad.length) {
        var p = positions('not-allowed', at(bad));
        p.params.symbols = Array.from(rules.classes.symbol || '').join(' ');
        out.push(p);
      }
    }
    f.require.forEach(function (r) {
      var cls = rules.classes[r['class']] || '';
      if (!chars.some(function (ch) { return cls.indexOf(fold(ch)) >= 0; })) out.push(problem(r.message));
    });
    var d = f['differs-from'];
    if (d && others[d.field] && others[d.field] === value) out.push(problem(d.message));
    return { state: out.length ? 'invalid' : 'valid', problems: out };
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
    return parts.join(fmt.separator);
  }

  function message(field, p) {
    var own = rules.fields[field].messages[p.message];
    var text = ((own || rules.messages[p.message] || {})[lang]) || p.message;
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
    var lines = result.state === 'valid' ? [rules.messages.valid[lang]] : result.problems.map(function (p) { return message(field, p); });
    if (capsLock) lines.push(rules.messages['caps-lock'][lang]);
    if (!lines.length) return;
    var icon = document.createElement('span');
    icon.className = 'checker-icon';
    icon.setAttribute('aria-hidden', 'true');
    icon.textContent = result.state === 'valid' ? '✓' : result.state === 'invalid' ? '✗' : '!';
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
