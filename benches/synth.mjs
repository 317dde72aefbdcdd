// Generates a synthetic tebiki project for benchmarks.
//
//   node benches/synth.mjs OUT_DIR N
//
// writes OUT_DIR/content/guide.toml, OUT_DIR/content/slides/NNNNN-slide.{ja,en}.md for slides 1..N
// and OUT_DIR/images/e-seikyuu-login.png (copied from this repository's images/). The output is
// deterministic: the same N gives byte-identical files (seeded PRNG, no clock, no Math.random).
//
// Layout: chapter "index" holds slide 1; then chapters ch-001, ch-002, … of 100 slides each
// (slides 2–101, 102–201, …; the last one may be shorter), with step = 1, 2, 3, … in order.
// Every slide has 3–6 paragraphs of prose, a ### sub-heading, 2–4 numbered steps, a table, a
// code block and one [[slide:M]] reference; every tenth slide has a screen block (callouts in the
// Japanese file only; the English file inherits them), and every fifth slide (n % 5 == 3) uses
// [[link:example]].
//
// Plain Node.js (20+), no dependencies.

import { copyFileSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SEED = 0x7eb1c1;
const CHAPTER_SIZE = 100;
const IMAGE = 'e-seikyuu-login.png';
const IMAGE_SOURCE = fileURLToPath(new URL(`../images/${IMAGE}`, import.meta.url));
const SLIDE_FILE = /^\d{5}-slide\.(ja|en)\.md$/;

// ---------------------------------------------------------------- PRNG

function mulberry32(a) {
  return function () {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit seed from a few integers (FNV-1a over their bytes). */
function seedOf(...parts) {
  let h = 0x811c9dc5 ^ SEED;
  for (const p of parts) {
    for (let i = 0; i < 4; i++) {
      h ^= (p >>> (i * 8)) & 0xff;
      h = Math.imul(h, 0x01000193);
    }
  }
  return h >>> 0;
}

function makeRng(...parts) {
  const r = mulberry32(seedOf(...parts));
  const rng = {
    next: r,
    int: (lo, hi) => lo + Math.floor(r() * (hi - lo + 1)), // inclusive
    pick: (list) => list[Math.floor(r() * list.length)],
    index: (list) => Math.floor(r() * list.length),
  };
  return rng;
}

// ---------------------------------------------------------------- word lists

// Pairs [ja, en] where the two languages must say the same thing (titles, steps, tables, alts).
const OBJECTS = [
  ['ユーザID', 'user ID'],
  ['パスワード', 'password'],
  ['電子証明書', 'electronic certificate'],
  ['ケアプラン', 'care plan'],
  ['提供票', 'service record'],
  ['確認コード', 'confirmation code'],
  ['事業所番号', 'office number'],
  ['インストーラー', 'installer'],
  ['メールアドレス', 'e-mail address'],
  ['利用申請', 'application'],
  ['お知らせ', 'notice'],
  ['ダウンロード一覧', 'download list'],
  ['連絡先', 'contact details'],
  ['請求データ', 'billing data'],
];
const ACTIONS = [
  ['確認する', 'Check the'],
  ['変更する', 'Change the'],
  ['登録する', 'Register the'],
  ['入力する', 'Enter the'],
  ['保存する', 'Save the'],
  ['送信する', 'Send the'],
  ['探す', 'Find the'],
  ['印刷する', 'Print the'],
];
const HEADINGS = [
  ['操作の手順', 'The steps'],
  ['画面の見かた', 'Reading the screen'],
  ['うまくいかないとき', 'If it does not work'],
  ['準備するもの', 'What you need'],
  ['確認のポイント', 'Points to check'],
  ['よくある質問', 'Common questions'],
  ['入力するときの注意', 'When you type'],
];
const BUTTONS = [
  ['ログイン', 'Log in'],
  ['次へ', 'Next'],
  ['確認', 'Confirm'],
  ['送信', 'Send'],
  ['ダウンロード', 'Download'],
  ['インストール', 'Install'],
  ['完了', 'Finish'],
  ['保存', 'Save'],
  ['戻る', 'Back'],
  ['同意する', 'Agree'],
  ['検索', 'Search'],
];
const PLACES = [
  ['設定', 'settings'],
  ['トップメニュー', 'top menu'],
  ['ダウンロード', 'download'],
  ['証明書の登録', 'certificate registration'],
  ['パスワード変更', 'password change'],
  ['利用申請', 'application'],
  ['お知らせ一覧', 'notice list'],
  ['受付結果', 'reception result'],
];
const CHAPTER_TOPICS = [
  ['準備', 'Preparation'],
  ['ログイン', 'Logging in'],
  ['証明書', 'Certificates'],
  ['ダウンロード', 'Downloads'],
  ['申請', 'Applications'],
  ['日々の操作', 'Daily use'],
  ['データのやりとり', 'Exchanging data'],
  ['困ったとき', 'Troubleshooting'],
  ['設定の変更', 'Changing settings'],
  ['印刷と保存', 'Printing and saving'],
];
const TABLE_KINDS = [
  ['必須', 'Required'],
  ['任意', 'Optional'],
  ['自動', 'Automatic'],
];

// Japanese prose, free per language.
const JA = {
  subjects: ['事業所の担当者', 'ケアマネジャー', '利用者', '管理者', 'ヘルプデスク', '介護ソフト', '連携クライアント', 'システム', 'パソコン', 'ブラウザー', 'サポート窓口'],
  objects: OBJECTS.map((o) => o[0]).concat(['セットアップ画面', 'ログイン画面', 'ファイル', 'フォルダー']),
  verbs: ['確認します', '入力します', '保存します', '送信します', '選択します', '印刷します', '更新します', '登録します', '開きます', '見直します'],
  plain: ['確認する', '入力する', '保存する', '送信する', '選ぶ', '印刷する', '更新する', '登録する', '開く', '見直す'],
  times: ['はじめに', '次に', '最後に', '作業の前に', '月末には', '毎朝', '必要に応じて', '手続きが終わったら', '初めて使うときは'],
  places: ['「設定」画面', 'トップメニュー', 'ダウンロード一覧', '証明書ストア', 'デスクトップ', '管理画面', 'お知らせ欄', '受付画面'],
  results: ['確認のメッセージが表示されます', '画面が切り替わります', '一覧に新しい行が追加されます', '処理が自動で始まります', '完了の画面になります', '入力欄が赤い枠で示されます', '少し時間がかかることがあります'],
  conds: ['見つからない', '表示されない', 'うまく動かない', 'わからない', '古い', '期限切れの'],
  advice: ['もう一度はじめから操作してください', '画面を閉じてやり直してください', 'ヘルプデスクに問い合わせてください', '担当者に相談しましょう', 'パソコンを再起動してください', 'しばらく待ってから試してください'],
  reassure: ['心配はいりません。', 'ゆっくり進めれば大丈夫です。', 'ここまでできれば、あと少しです。', '分からないところは、メモしておきましょう。'],
};

const EN = {
  subjects: ['the office staff', 'the care manager', 'the user', 'the administrator', 'the help desk', 'your care software', 'the client app', 'the system', 'your PC', 'the browser'],
  objects: OBJECTS.map((o) => o[1]).concat(['set-up screen', 'login screen', 'file', 'folder']),
  verbs3: ['checks', 'enters', 'saves', 'sends', 'selects', 'prints', 'updates', 'registers', 'opens', 'reviews'],
  verbs: ['check', 'enter', 'save', 'send', 'select', 'print', 'update', 'register', 'open', 'review'],
  times: ['First', 'Next', 'Finally', 'Before you start', 'At the end of the month', 'Every morning', 'If needed', 'After the procedure', 'The first time you use it'],
  places: ['settings screen', 'top menu', 'download list', 'certificate store', 'desktop', 'admin screen', 'notice area', 'reception screen'],
  results: ['a confirmation message appears', 'the screen changes', 'a new row is added to the list', 'the process starts on its own', 'the completion screen appears', 'the field is shown with a red frame', 'it can take a little while'],
  problems: ['is not shown', 'cannot be found', 'does not work', 'has expired', 'looks different', 'is out of date'],
  advice: ['start again from the beginning', 'close the screen and try again', 'contact the help desk', 'ask the person in charge', 'restart your PC', 'wait a little and try again'],
  reassure: ['There is nothing to worry about.', 'Take your time and it will be fine.', 'You are nearly there.', 'Write down anything you are not sure about.'],
};

// ---------------------------------------------------------------- prose

/** Two different entries of a list. */
function two(rng, list) {
  const i = rng.index(list);
  const j = (i + rng.int(1, list.length - 1)) % list.length;
  return [list[i], list[j]];
}

function jaSentence(rng) {
  const p = rng.pick;
  switch (rng.int(0, 5)) {
    case 0: return `${p(JA.times)}、${p(JA.subjects)}は${p(JA.objects)}を${p(JA.verbs)}。`;
    case 1: return `${p(JA.places)}で${p(JA.objects)}を${p(JA.plain)}と、${p(JA.results)}。`;
    case 2: return `${p(JA.objects)}が${p(JA.conds)}ときは、${p(JA.advice)}。`;
    case 3: {
      const [a, b] = two(rng, JA.objects);
      return `この画面では、${a}と${b}を${p(JA.plain)}ことができます。`;
    }
    case 4: {
      const b = p(BUTTONS);
      return `「${b[0]}」ボタンを押すと、${p(JA.results)}。`;
    }
    default: return p(JA.reassure);
  }
}

function enSentence(rng) {
  const p = rng.pick;
  switch (rng.int(0, 5)) {
    case 0: return `${p(EN.times)}, ${p(EN.subjects)} ${p(EN.verbs3)} the ${p(EN.objects)}.`;
    case 1: {
      const [a, b] = two(rng, EN.objects);
      return `On the ${p(EN.places)}, you can ${p(EN.verbs)} the ${a} and the ${b}.`;
    }
    case 2: return `If the ${p(EN.objects)} ${p(EN.problems)}, ${p(EN.advice)}.`;
    case 3: return `When you ${p(EN.verbs)} the ${p(EN.objects)}, ${p(EN.results)}.`;
    case 4: {
      const b = p(BUTTONS);
      return `Click 「${b[0]}」 (${b[1]}) and ${p(EN.results)}.`;
    }
    default: return p(EN.reassure);
  }
}

const MIN_CHARS = 400;
const MAX_CHARS = 800;
const chars = (s) => [...s].length;

/** 3–6 paragraphs of prose whose text (without line breaks) is MIN_CHARS..MAX_CHARS characters. */
function prose(rng, lang) {
  const sentence = lang === 'ja' ? jaSentence : enSentence;
  const joiner = lang === 'ja' ? '' : ' ';
  const count = rng.int(3, 6);
  const target = rng.int(MIN_CHARS + 20, MAX_CHARS - 120);
  const paragraphs = [];
  let total = 0;
  for (let i = 0; i < count; i++) {
    const goal = (target * (i + 1)) / count;
    const parts = [];
    do {
      const s = sentence(rng);
      parts.push(s);
      total += chars(s) + (parts.length > 1 ? chars(joiner) : 0);
    } while (total < goal);
    paragraphs.push(parts.join(joiner));
  }
  return paragraphs;
}

// ---------------------------------------------------------------- slides

/** The text with its first letter in upper case (no change for Japanese). */
function upper(s) {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function tomlString(s) {
  return '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';
}

function decimal(rng, lo, hi) {
  // A position with at most one decimal, e.g. 37 or 62.5.
  return String((rng.int(lo * 2, hi * 2) / 2));
}

/** What the ja and en files of slide n share: title, steps, table, code, reference, screen. */
function plan(n, total) {
  const rng = makeRng(1, n);
  const stepCount = rng.int(2, 4);
  const steps = [];
  for (let i = 1; i <= stepCount; i++) {
    steps.push({ kind: rng.int(0, 1), button: rng.index(BUTTONS), object: rng.index(OBJECTS), action: rng.index(ACTIONS) });
  }
  const rows = [];
  for (let i = rng.int(2, 4); i > 0; i--) {
    rows.push({ object: rng.index(OBJECTS), code: `${String.fromCharCode(65 + rng.int(0, 25))}${String(rng.int(0, 9999999)).padStart(7, '0')}`, kind: rng.index(TABLE_KINDS) });
  }
  let ref = rng.int(1, total);
  if (total > 1 && ref === n) ref = ref === total ? 1 : ref + 1;
  const screen = n % 10 === 0
    ? { place: rng.index(PLACES), button: rng.index(BUTTONS), object: rng.index(OBJECTS), callout: rng.int(1, stepCount), x: decimal(rng, 5, 95), y: decimal(rng, 5, 95) }
    : null;
  return {
    object: rng.index(OBJECTS),
    action: rng.index(ACTIONS),
    heading: rng.index(HEADINGS),
    steps,
    rows,
    codeJson: rng.int(0, 1) === 1,
    office: String(rng.int(0, 9999999999)).padStart(10, '0'),
    ref,
    screen,
    split: rng.next(), // where the sub-heading goes among the paragraphs
    link: n % 5 === 3,
  };
}

function slideText(n, lang, pl) {
  const ja = lang === 'ja';
  const L = ja ? 0 : 1;
  const rng = makeRng(2, n, ja ? 1 : 2);
  const title = ja
    ? `${OBJECTS[pl.object][0]}を${ACTIONS[pl.action][0]}`
    : `${ACTIONS[pl.action][1]} ${OBJECTS[pl.object][1]}`;
  const paragraphs = prose(rng, lang);
  const before = Math.max(1, Math.min(paragraphs.length - 1, Math.round(pl.split * paragraphs.length)));

  const out = [];
  out.push('+++', `slide = ${n}`, `title = ${tomlString(title)}`, '+++', '');
  for (const p of paragraphs.slice(0, before)) out.push(p, '');

  out.push(`### ${HEADINGS[pl.heading][L]}`, '');
  pl.steps.forEach((s, i) => {
    const b = BUTTONS[s.button];
    const o = OBJECTS[s.object];
    const a = ACTIONS[s.action];
    let line;
    if (s.kind === 0) line = ja ? `「${b[0]}」をクリックします。` : `Click 「${b[0]}」 (${b[1]}).`;
    else line = ja ? `${o[0]}を${a[0].replace(/する$/, 'します').replace(/探す$/, '探します')}。` : `${a[1]} ${o[1]}.`;
    out.push(`${i + 1}. ${line}`);
  });
  out.push('');

  if (pl.screen) {
    const sc = pl.screen;
    const place = PLACES[sc.place];
    const b = BUTTONS[sc.button];
    const o = OBJECTS[sc.object];
    const alt = ja
      ? `「${place[0]}」の画面。「${o[0]}」の入力欄と「${b[0]}」ボタンがある。`
      : `The 「${place[0]}」 (${place[1]}) screen, with the ${o[1]} field and the 「${b[0]}」 (${b[1]}) button.`;
    out.push('```screen', `image = ${tomlString(IMAGE)}`, `alt = ${tomlString(alt)}`);
    if (ja) out.push(`callouts = [{ n = ${sc.callout}, x = ${sc.x}, y = ${sc.y} }]`);
    out.push('```', '');
  }

  for (const p of paragraphs.slice(before)) out.push(p, '');

  out.push(ja ? '| 項目 | 例 | 入力 |' : '| Item | Example | Input |', '|---|---|---|');
  for (const r of pl.rows) out.push(`| ${upper(OBJECTS[r.object][L])} | ${r.code} | ${TABLE_KINDS[r.kind][L]} |`);
  out.push('');

  if (pl.codeJson) {
    out.push('```json', '{', `  "slide": ${n},`, `  "office": "${pl.office}",`, `  "items": [${pl.rows.map((r) => `"${r.code}"`).join(', ')}],`, `  "lang": "${lang}"`, '}', '```', '');
  } else {
    out.push('```text');
    for (const r of pl.rows) out.push(`${upper(OBJECTS[r.object][L])}: ${r.code}`);
    out.push(ja ? `事業所番号: ${pl.office}` : `Office number: ${pl.office}`, '```', '');
  }

  let last = ja ? `詳しくは [[slide:${pl.ref}]] を見てください。` : `For details, see [[slide:${pl.ref}]].`;
  if (pl.link) last += ja ? `案内は [[link:example]] にもあります。` : ` There is more on [[link:example]].`;
  out.push(last);
  return out.join('\n') + '\n';
}

// ---------------------------------------------------------------- guide.toml

function guideToml(n) {
  const lines = [
    '# A synthetic guide for benchmarks, written by benches/synth.mjs. Do not edit by hand.',
    '',
    'default-language = "ja"',
    'languages = ["ja", "en"]',
    'edition = "2025-12"',
    'app-version = "1.2.0"',
    '',
    '[title]',
    `ja = ${tomlString(`ベンチマーク用 合成ガイド（${n}枚）`)}`,
    `en = ${tomlString(`Synthetic benchmark guide (${n} slides)`)}`,
    '',
    '[edition-label]',
    'ja = "2025年12月版"',
    'en = "December 2025 edition"',
    '',
    '[publisher]',
    'ja = "制作 tebiki ベンチマーク"',
    'en = "Made by the tebiki benchmarks"',
    '',
    '[[chapters]]',
    'slug = "index"',
    'first = 1',
    'ja = "はじめに"',
    'en = "Introduction"',
  ];
  let chapters = 1;
  for (let k = 1, first = 2; first <= n; k++, first += CHAPTER_SIZE) {
    const rng = makeRng(3, k);
    const [a, b] = two(rng, CHAPTER_TOPICS);
    const slug = `ch-${String(k).padStart(3, '0')}`;
    lines.push(
      '',
      '[[chapters]]',
      `slug = "${slug}"`,
      `first = ${first}`,
      `step = ${k}`,
      `ja = ${tomlString(`第${k}章 ${a[0]}と${b[0]}`)}`,
      `en = ${tomlString(`Chapter ${k}: ${a[1]} and ${b[1].toLowerCase()}`)}`,
    );
    chapters++;
  }
  lines.push(
    '',
    '[links.example]',
    'url = "https://example.jp/"',
    'name = "サンプルサイト"',
    'en = "Example site"',
  );
  return { text: lines.join('\n') + '\n', chapters };
}

// ---------------------------------------------------------------- main

function usage(message) {
  process.stderr.write(`${message}\nusage: node benches/synth.mjs OUT_DIR N   (N: number of slides, at least 1)\n`);
  process.exit(2);
}

const [outDir, nArg, ...rest] = process.argv.slice(2);
if (!outDir || !nArg || rest.length) usage('expected two arguments');
if (!/^[1-9][0-9]*$/.test(nArg)) usage(`N must be a positive whole number, not \`${nArg}\``);
const N = Number(nArg);
if (N > 99999) usage('N is at most 99999 (file names have five digits)');

const slidesDir = join(outDir, 'content', 'slides');
const imagesDir = join(outDir, 'images');
mkdirSync(slidesDir, { recursive: true });
mkdirSync(imagesDir, { recursive: true });

// Remove slide files of an earlier, larger run (only files with our own name pattern).
for (const name of readdirSync(slidesDir)) {
  if (SLIDE_FILE.test(name) && Number(name.slice(0, 5)) > N) rmSync(join(slidesDir, name));
}

let files = 0;
let bytes = 0;
function write(path, text) {
  const data = Buffer.from(text, 'utf8');
  writeFileSync(path, data);
  files++;
  bytes += data.length;
}

const guide = guideToml(N);
write(join(outDir, 'content', 'guide.toml'), guide.text);

for (let n = 1; n <= N; n++) {
  const pl = plan(n, N);
  const stem = `${String(n).padStart(5, '0')}-slide`;
  for (const lang of ['ja', 'en']) write(join(slidesDir, `${stem}.${lang}.md`), slideText(n, lang, pl));
}

if (!existsSync(IMAGE_SOURCE)) {
  process.stderr.write(`cannot find ${IMAGE_SOURCE}\n`);
  process.exit(1);
}
const imageOut = join(imagesDir, IMAGE);
copyFileSync(IMAGE_SOURCE, imageOut);
files++;
bytes += statSync(imageOut).size;

console.log(`synth: wrote ${files} files, ${bytes} bytes to ${outDir} (${N} slides × 2 languages, ${guide.chapters} chapters)`);
