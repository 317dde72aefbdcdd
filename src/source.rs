//! Reading the project's files: only ordinary files (a link is followed only to a file inside the
//! project; a named pipe, a device or a socket is refused, never opened), of a bounded size; text
//! as UTF-8 only (a byte-order mark is dropped, CRLF becomes LF), with an error that says how to
//! fix a file saved in another encoding or holding control characters.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;

/// The largest text file read (a slide is a few kilobytes; a file this big is a mistake).
pub const MAX_TEXT_BYTES: u64 = 4 * 1024 * 1024;

/// The path to read for the project file `rel`: the file itself, or the file a link inside the
/// project leads to. Anything else (a folder, a named pipe, a device, a socket, a link leading out
/// of the project or nowhere) is refused with what to do instead.
pub fn regular_file(root: &Path, rel: &Path) -> Result<PathBuf, Diagnostic> {
    let path = root.join(rel);
    let meta = fs::symlink_metadata(&path).map_err(|e| {
        Diagnostic::new(rel, format!("cannot read the file: {e}"))
            .help("check that the file exists and can be read")
    })?;
    if meta.is_file() {
        return Ok(path);
    }
    if !meta.file_type().is_symlink() {
        return Err(Diagnostic::new(rel, format!("this is {}, not a file", kind(&meta)))
            .help("tebiki reads only ordinary files: put the file itself here"));
    }
    let target = fs::canonicalize(&path).ok();
    let inside =
        fs::canonicalize(root).ok().zip(target.as_ref()).is_some_and(|(r, t)| t.starts_with(r));
    match target {
        Some(target) if inside && target.is_file() => Ok(target),
        Some(target) if inside => {
            Err(Diagnostic::new(rel, "this link leads to something that is not a file")
                .help(format!("it leads to {}: put the file itself here", target.display())))
        }
        Some(target) => Err(Diagnostic::new(rel, "this link leads out of the project").help(
            format!("it leads to {}: copy the file itself into the project", target.display()),
        )),
        None => Err(Diagnostic::new(rel, "this link leads nowhere")
            .help("remove the link, or put the file itself here")),
    }
}

/// What a file system entry that is not an ordinary file is, in words.
fn kind(meta: &fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a named pipe";
        } else if t.is_socket() {
            return "a socket";
        } else if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    if meta.is_dir() { "a folder" } else { "not an ordinary file" }
}

/// The bytes of the project file `rel` (see [`regular_file`]), at most `limit` of them.
pub fn read_bytes(root: &Path, rel: &Path, limit: u64) -> Result<Vec<u8>, Diagnostic> {
    let path = regular_file(root, rel)?;
    let fail = |e: std::io::Error| {
        Diagnostic::new(rel, format!("cannot read the file: {e}"))
            .help("check that the file exists and can be read")
    };
    let file = fs::File::open(&path).map_err(fail)?;
    let size = file.metadata().map_err(fail)?.len();
    if size > limit {
        return Err(Diagnostic::new(
            rel,
            format!("the file is {} MB, larger than tebiki reads ({} MB)", size >> 20, limit >> 20),
        )
        .help("check that this is the right file; a slide or setting is a few kilobytes"));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(limit).read_to_end(&mut bytes).map_err(fail)?;
    Ok(bytes)
}

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
        let bytes = read_bytes(root, rel, MAX_TEXT_BYTES)?;
        Ok(SourceFile { rel: rel.to_path_buf(), text: decode(rel, bytes)? })
    }
}

/// UTF-8 text from `bytes`, without a BOM and with LF line breaks, and with no control character
/// but the tab (a NUL or an escape would reach the pages and the terminal).
pub fn decode(rel: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    let text = decode_utf8(rel, bytes)?;
    let control = text.char_indices().find(|(_, c)| c.is_control() && !matches!(c, '\t' | '\n'));
    match control {
        None => Ok(text),
        Some((at, c)) => {
            let line = text[..at].matches('\n').count() + 1;
            Err(Diagnostic::new(
                rel,
                format!("line {line}: the file holds an invisible control character (U+{:04X})", c as u32),
            )
            .help("it was probably pasted from another program: retype that line (or delete the character) and save the file as UTF-8"))
        }
    }
}

fn decode_utf8(rel: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
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
