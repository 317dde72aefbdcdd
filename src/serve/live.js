// Added by `tebiki serve` to every page it serves (never written to the output folder): waits for
// news of a rebuild, reloads the page when the site changed, and shows the build's problems over
// the page while the last good version stays on screen.
(function () {
  'use strict';
  var script = document.currentScript;
  var seen = Number(new URL(script.src).searchParams.get('v')) || 0;
  var base = script.src.replace(/live\.js.*$/, '');
  var ja = document.documentElement.lang === 'ja';

  function show(text) {
    var box = document.getElementById('tebiki-live');
    if (!text) {
      if (box) box.remove();
      return;
    }
    if (!box) {
      box = document.createElement('section');
      box.id = 'tebiki-live';
      box.setAttribute('role', 'alert');
      var h = document.createElement('h2');
      h.textContent = ja
        ? 'ビルドできませんでした（前回の正常な版を表示しています）'
        : 'The build failed (showing the last good version)';
      var pre = document.createElement('pre');
      box.append(h, pre);
      document.body.prepend(box);
    }
    box.querySelector('pre').textContent = text;
  }

  function wait() {
    fetch(base + 'poll?v=' + seen, { cache: 'no-store' })
      .then(function (r) { return r.json(); })
      .then(function (news) {
        if (news.v !== seen) {
          seen = news.v;
          if (!news.error) {
            location.reload();
            return;
          }
        }
        show(news.error);
        wait();
      })
      .catch(function () { setTimeout(wait, 1000); });
  }
  // The first answer says at once whether the build is broken now.
  var first = seen;
  seen = 0;
  fetch(base + 'poll?v=0', { cache: 'no-store' })
    .then(function (r) { return r.json(); })
    .then(function (news) {
      show(news.error);
      seen = news.v;
      if (news.v !== first && !news.error) {
        location.reload();
        return;
      }
      wait();
    })
    .catch(function () { seen = first; setTimeout(wait, 1000); });
})();
