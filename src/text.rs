//! Small text helpers shared by the renderers: HTML escaping and marking the Japanese runs of
//! another language's text with `lang="ja"` (so screen readers and fonts treat 「ログイン」 as
//! Japanese), and what a language tag says about its script.

/// Escapes text for HTML content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Characters that only Japanese text uses: kana, kanji, Japanese punctuation, full-width forms.
pub fn is_japanese(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x303F | 0x3040..=0x30FF | 0x31F0..=0x31FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
}

/// Characters that may sit inside a Japanese run without ending it ("KJから始まる14桁").
fn joins_run(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | ':' | '(' | ')' | '!' | '?')
}

/// Escaped HTML of `text` with each run that `next` finds (its byte range in the text left,
/// never empty) wrapped in `<span lang="ja">`.
fn mark_runs(text: &str, next: impl Fn(&str) -> Option<std::ops::Range<usize>>) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    let mut rest = text;
    while let Some(run) = next(rest).filter(|r| r.end > r.start) {
        out.push_str(&escape_html(&rest[..run.start]));
        out.push_str("<span lang=\"ja\">");
        out.push_str(&escape_html(&rest[run.clone()]));
        out.push_str("</span>");
        rest = &rest[run.end..];
    }
    out.push_str(&escape_html(rest));
    out
}

/// Escaped HTML of `text` with each Japanese run wrapped in `<span lang="ja">`.
pub fn mark_japanese(text: &str) -> String {
    mark_runs(text, |rest| {
        let start = rest.find(is_japanese)?;
        let mut end = start;
        for (i, c) in rest[start..].char_indices() {
            if is_japanese(c) {
                end = start + i + c.len_utf8();
            } else if !joins_run(c) {
                break;
            }
        }
        Some(start..end)
    })
}

/// The language subtag of a BCP 47 tag: `zh` of `zh-Hans`.
pub fn primary_language(tag: &str) -> &str {
    tag.split(['-', '_']).next().unwrap_or(tag)
}

/// Whether a language writes with Chinese characters of its own (Chinese, Cantonese), so a run of
/// them is not Japanese by itself.
fn writes_han(lang: &str) -> bool {
    matches!(primary_language(lang), "zh" | "yue")
}

/// Kana, the long-vowel mark and Japanese-only marks: text in them is Japanese in any language.
fn is_kana(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F | 0x3005)
}

/// Escaped HTML of Chinese text with its Japanese marked: each 「…」 (how the guide quotes the
/// words on a Japanese screen) and each run of kana with the Chinese characters next to it
/// (`新しいパスワード`, `事業所ユーザ`); punctuation, spaces and Latin letters end a run.
fn mark_japanese_in_chinese(text: &str) -> String {
    let is_han = |c: char| {
        is_japanese(c) && !c.is_ascii() && !matches!(c as u32, 0x3000..=0x303F | 0xFF00..=0xFFEF)
    };
    mark_runs(text, |rest| {
        let found = rest.find(|c| c == '「' || is_kana(c))?;
        if rest[found..].starts_with('「') {
            let end = rest[found..].find('」').map_or(rest.len(), |e| found + e + '」'.len_utf8());
            return Some(found..end);
        }
        let start = rest[..found]
            .rfind(|c: char| !is_han(c))
            .map_or(0, |i| i + rest[i..].chars().next().map_or(0, char::len_utf8));
        let end = rest[found..]
            .find(|c: char| !is_han(c) && !is_kana(c))
            .map_or(rest.len(), |e| found + e);
        Some(start..end)
    })
}

/// Whether pages in `lang` mark the Japanese in them (every language but Japanese).
pub fn marks_japanese(lang: &str) -> bool {
    primary_language(lang) != "ja"
}

/// `text` as HTML for a page in `lang`: escaped, with Japanese runs marked on non-Japanese pages
/// (on Chinese ones, those in 「」 and those with kana).
pub fn html_for(text: &str, lang: &str) -> String {
    if !marks_japanese(lang) {
        escape_html(text)
    } else if writes_han(lang) {
        mark_japanese_in_chinese(text)
    } else {
        mark_japanese(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_japanese_runs() {
        assert_eq!(
            mark_japanese("Click 「ログイン」 (Log in) & go"),
            "Click <span lang=\"ja\">「ログイン」</span> (Log in) &amp; go"
        );
        assert_eq!(
            mark_japanese("the KJから始まる14桁 ID"),
            "the KJ<span lang=\"ja\">から始まる14桁</span> ID"
        );
        assert_eq!(mark_japanese("plain"), "plain");
    }

    #[test]
    fn marks_japanese_by_language() {
        assert_eq!(html_for("「ログイン」を", "ja"), "「ログイン」を");
        assert_eq!(
            html_for("Nhấn 「ログイン」 (Đăng nhập)", "vi"),
            "Nhấn <span lang=\"ja\">「ログイン」</span> (Đăng nhập)"
        );
        assert_eq!(
            html_for("点击「事業所番号」后，新密码（新しいパスワード）", "zh-Hans"),
            "点击<span lang=\"ja\">「事業所番号」</span>后，新密码（<span lang=\"ja\">新しいパスワード</span>）"
        );
        assert_eq!(html_for("电子证书 & 密码", "zh-Hans"), "电子证书 &amp; 密码");
        assert!(!marks_japanese("ja-JP"));
    }
}
