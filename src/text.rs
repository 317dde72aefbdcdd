//! Small text helpers shared by the renderers: HTML escaping and marking Japanese runs in English
//! text with `lang="ja"` (so screen readers and fonts treat 「ログイン」 as Japanese).

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

/// Escaped HTML of `text` with each Japanese run wrapped in `<span lang="ja">`.
pub fn mark_japanese(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    let mut rest = text;
    while let Some(start) = rest.find(is_japanese) {
        out.push_str(&escape_html(&rest[..start]));
        let run = &rest[start..];
        let mut end = 0;
        for (i, c) in run.char_indices() {
            if is_japanese(c) {
                end = i + c.len_utf8();
            } else if !joins_run(c) {
                break;
            }
        }
        out.push_str("<span lang=\"ja\">");
        out.push_str(&escape_html(&run[..end]));
        out.push_str("</span>");
        rest = &run[end..];
    }
    out.push_str(&escape_html(rest));
    out
}

/// `text` as HTML for a page in `lang`: escaped, with Japanese runs marked on non-Japanese pages.
pub fn html_for(text: &str, lang: &str) -> String {
    if lang == "ja" { escape_html(text) } else { mark_japanese(text) }
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
}
