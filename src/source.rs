//! Reading a source file as text: UTF-8 only (a byte-order mark is dropped, CRLF becomes LF), with
//! an error that says how to fix a file saved in another encoding.

use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;

/// A text file of the project, normalised to UTF-8 with `\n` line breaks.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the project root, for messages.
    pub rel: PathBuf,
    pub text: String,
}

impl SourceFile {
    /// Reads `rel` (relative to `root`).
    pub fn read(root: &Path, rel: &Path) -> Result<SourceFile, Diagnostic> {
        let bytes = std::fs::read(root.join(rel)).map_err(|e| {
            Diagnostic::new(rel, format!("cannot read the file: {e}"))
                .help("check that the file exists and can be read")
        })?;
        Ok(SourceFile { rel: rel.to_path_buf(), text: decode(rel, bytes)? })
    }
}

/// UTF-8 text from `bytes`, without a BOM and with LF line breaks.
pub fn decode(rel: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    match String::from_utf8(bytes) {
        Ok(text) if text.contains('\r') => Ok(text.replace("\r\n", "\n").replace('\r', "\n")),
        Ok(text) => Ok(text),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let line = bytes[..valid].iter().filter(|b| **b == b'\n').count() + 1;
            let guess = guess_encoding(&bytes);
            Err(Diagnostic::new(rel, format!("line {line}: the file is not UTF-8 text (it looks like {guess})"))
                .help("open it in Notepad, choose 名前を付けて保存 (Save as), set 文字コード (Encoding) to UTF-8 and save"))
        }
    }
}

/// A human name for the likely encoding of non-UTF-8 bytes.
fn guess_encoding(bytes: &[u8]) -> &'static str {
    let (mut sjis, mut eucjp) = (0usize, 0usize);
    let mut i = 0;
    while i + 1 < bytes.len() {
        let (a, b) = (bytes[i], bytes[i + 1]);
        if (0x81..=0x9F).contains(&a) || (0xE0..=0xEF).contains(&a) {
            if (0x40..=0xFC).contains(&b) && b != 0x7F {
                sjis += 1;
                i += 2;
                continue;
            }
        } else if (0xA1..=0xFE).contains(&a) && (0xA1..=0xFE).contains(&b) {
            eucjp += 1;
            i += 2;
            continue;
        }
        i += 1;
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        "UTF-16"
    } else if sjis > 0 && sjis >= eucjp {
        "Shift_JIS"
    } else if eucjp > 0 {
        "EUC-JP"
    } else {
        "an unknown encoding"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_bom_and_crlf() {
        let text = decode(Path::new("a.md"), b"\xEF\xBB\xBFa\r\nb\r\n".to_vec()).unwrap();
        assert_eq!(text, "a\nb\n");
    }

    #[test]
    fn names_shift_jis() {
        // "テスト" in Shift_JIS
        let err =
            decode(Path::new("a.md"), b"ok\n\x83\x65\x83\x58\x83\x67\n".to_vec()).unwrap_err();
        assert!(err.message.contains("Shift_JIS"), "{}", err.message);
        assert!(err.message.starts_with("line 2"), "{}", err.message);
        assert!(err.help.unwrap().contains("UTF-8"));
    }
}
