//! `tebiki serve`: a live preview for editors. It builds the site, writes it to the output folder
//! and serves it on 127.0.0.1; it watches `content/`, `theme/` and `images/`, rebuilds when a file
//! changes, writes only the files that changed, and tells open pages to reload. A failed rebuild
//! keeps the last good site served (and on disk) and shows the problems in the terminal and over
//! the page until the file is fixed.
//!
//! Pages are served from the last good build held in memory, so a request can only ever reach a
//! file of the site: `..`, `%2e%2e` and absolute paths name no file there and get 404, and the one
//! redirect (a folder asked for without its slash) names a path of the site. The reload script
//! (`/__tebiki/live.js`, with its stylesheet) is added to HTML responses only; the files on disk
//! are exactly what `tebiki build` writes, so the folder can be uploaded as it is.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, IsTerminal, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use notify_debouncer_full::notify::{Event, EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache};
use percent_encoding::{AsciiSet, CONTROLS};

use crate::diagnostics::Diagnostics;
use crate::pipeline::Builder;
use crate::{images, output};

/// Where the live-reload endpoints live (never a path of a site: tebiki writes no `__` folders).
const LIVE: &str = "/__tebiki/";
const LIVE_JS: &str = include_str!("serve/live.js");
const LIVE_CSS: &str = include_str!("serve/live.css");
/// How long a waiting page's request is held before it is answered "nothing new" (it asks again).
const POLL_HOLD: Duration = Duration::from_secs(20);
/// Editors save in several steps (write a temporary file, rename it): the file watcher passes each
/// change on this long after it came, with the others of that moment, so that one save makes one
/// rebuild.
const SETTLE: Duration = Duration::from_millis(30);
/// A guide whose whole rebuild takes longer than this gets a preview of the edited pages first
/// (`TEBIKI_PREVIEW_AFTER_MS` sets another time, for tests).
const PREVIEW_AFTER: Duration = Duration::from_millis(250);

fn preview_after() -> Duration {
    std::env::var("TEBIKI_PREVIEW_AFTER_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(PREVIEW_AFTER, Duration::from_millis)
}

pub struct Options {
    pub addr: SocketAddr,
    pub out: PathBuf,
}

/// What is served: the last good site, the pages of a preview over it, and the problems of the
/// last build if it failed.
struct State {
    generation: u64,
    files: Arc<BTreeMap<PathBuf, Vec<u8>>>,
    preview: Arc<BTreeMap<PathBuf, Vec<u8>>>,
    error: Option<String>,
}

type Shared = Arc<(Mutex<State>, Condvar)>;

/// Runs until the process is stopped. `report` turns problems into the terminal's text (with
/// colour when it is a terminal) and the overlay's (plain).
pub fn serve(
    root: &Path,
    options: &Options,
    report: &dyn Fn(&Diagnostics, bool) -> String,
) -> Result<(), String> {
    let out = output::check_out_dir(root, &options.out).map_err(|d| report(&d.into(), color()))?;
    let mut builder = Builder::new(root);
    let (state, mut slow) = first_build(&mut builder, &out, report)?;
    let shared: Shared = Arc::new((Mutex::new(state), Condvar::new()));
    let listener = TcpListener::bind(options.addr)
        .map_err(|e| format!("cannot listen on {}: {e}", options.addr))?;
    let addr = listener.local_addr().unwrap_or(options.addr);
    let (tx, rx) = mpsc::channel();
    let _watcher = watch(root, tx)?;
    println!("serving http://{addr}/ (press Ctrl+C to stop)");
    {
        let shared = shared.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let shared = shared.clone();
                std::thread::spawn(move || connection(stream, &shared));
            }
        });
    }
    loop {
        let saved = next_change(&rx, root)?;
        // A big guide: the pages of the edited slides first, then the whole site.
        if slow {
            preview(&mut builder, &shared, saved);
        }
        let started = Instant::now();
        rebuild(&mut builder, &out, &shared, saved, report);
        slow = started.elapsed() >= preview_after();
    }
}

/// The first build, written to `out`; when it fails, the site already in `out` is served with the
/// problems over it. Also whether the build was slow enough to preview edits first.
fn first_build(
    builder: &mut Builder,
    out: &Path,
    report: &dyn Fn(&Diagnostics, bool) -> String,
) -> Result<(State, bool), String> {
    let started = Instant::now();
    let state = |files, error| State {
        generation: 1,
        files: Arc::new(files),
        preview: Arc::default(),
        error,
    };
    match builder.generate(images::Mode::Build) {
        Ok(site) => {
            output::write_site(out, &site.files).map_err(|d| report(&d.into(), color()))?;
            let took = started.elapsed();
            println!("built {} slides in {:.0} ms", site.slides, took.as_secs_f64() * 1000.0);
            Ok((state(site.files, None), took >= preview_after()))
        }
        Err(problems) => {
            eprintln!("{}", report(&problems, color()));
            eprintln!(
                "the build failed: serving the previous site in {} until the problems are fixed",
                out.display()
            );
            Ok((state(read_site(out), Some(report(&problems, false))), false))
        }
    }
}

type Watching = Debouncer<notify_debouncer_full::notify::RecommendedWatcher, RecommendedCache>;

/// Watches the project's inputs: `content/`, `theme/`, `images/` and the accessibility results.
/// Events reach the build loop in batches, [`SETTLE`] after they came (the debouncer looks every
/// quarter of that); reads of the files (the build's own) are among them, and ignored.
fn watch(root: &Path, tx: mpsc::Sender<DebounceEventResult>) -> Result<Watching, String> {
    let mut watcher = notify_debouncer_full::new_debouncer(SETTLE, None, tx)
        .map_err(|e| format!("cannot watch files: {e}"))?;
    let folders = WATCHED.iter().map(|dir| (root.join(dir), RecursiveMode::Recursive));
    // The results file is replaced whole when written: its folder is watched, for it alone.
    let results = std::iter::once((root.to_path_buf(), RecursiveMode::NonRecursive));
    for (path, mode) in folders.chain(results).filter(|(path, _)| path.is_dir()) {
        watcher.watch(&path, mode).map_err(|e| format!("cannot watch {}: {e}", path.display()))?;
    }
    Ok(watcher)
}

/// The folders of a project whose files make the site.
const WATCHED: [&str; 3] = ["content", "theme", "images"];

/// Waits for a change to an input of the site; returns when it was made (the first of the
/// changes waiting, when several came while the last build ran).
fn next_change(rx: &mpsc::Receiver<DebounceEventResult>, root: &Path) -> Result<Instant, String> {
    let stopped = || "the file watcher stopped".to_string();
    // The time of the first change to an input in a batch of events. A watcher error may hide a
    // change: it counts as one.
    let first = |batch: DebounceEventResult| match batch {
        Ok(events) => events.into_iter().filter(|e| relevant(&e.event, root)).map(|e| e.time).min(),
        Err(_) => Some(Instant::now()),
    };
    loop {
        let mut saved = first(rx.recv().map_err(|_| stopped())?);
        while let Ok(batch) = rx.try_recv() {
            saved = saved.into_iter().chain(first(batch)).min();
        }
        if let Some(saved) = saved {
            return Ok(saved);
        }
    }
}

/// Makes the pages of the slides just edited (with the last good build's assets) and shows them at
/// once: for a guide whose whole rebuild takes longer than [`PREVIEW_AFTER`] (at 10,000 slides a
/// language, 0.2 s instead of 5 s). The whole site follows, and its pages replace these; a failed
/// whole build leaves them served under its problems.
fn preview(builder: &mut Builder, shared: &Shared, saved: Instant) {
    let Some(result) = builder.preview() else { return };
    let (lock, wake) = &**shared;
    let Ok(mut state) = lock.lock() else { return };
    state.generation += 1;
    match result {
        Ok(site) => {
            let pages =
                site.files.keys().filter(|p| p.extension().is_some_and(|e| e == "html")).count();
            state.preview = Arc::new(site.files);
            state.error = None;
            drop(state);
            wake.notify_all();
            let plural = if pages == 1 { "" } else { "s" };
            println!(
                "preview: {pages} page{plural} of the edited slides; reload sent {:.0} ms after the save (the whole site follows)",
                saved.elapsed().as_secs_f64() * 1000.0
            );
        }
        // The whole build that follows reports every problem, here and over the page.
        Err(problems) => {
            state.error = Some(format!(
                "{} problems found (the whole list follows when the rebuild ends)",
                problems.len()
            ));
            drop(state);
            wake.notify_all();
        }
    }
}

/// Rebuilds after a change and publishes the result to waiting pages.
fn rebuild(
    builder: &mut Builder,
    out: &Path,
    shared: &Shared,
    saved: Instant,
    report: &dyn Fn(&Diagnostics, bool) -> String,
) {
    let result = builder.generate(images::Mode::Build);
    let (lock, wake) = &**shared;
    match result {
        Ok(site) => {
            let previous = lock.lock().map(|s| s.files.clone()).unwrap_or_default();
            let written = match output::update_site(out, &previous, &site.files) {
                Ok(n) => n,
                Err(d) => {
                    eprintln!("{}", report(&d.into(), color()));
                    return;
                }
            };
            let Ok(mut state) = lock.lock() else { return };
            let was_broken = state.error.take().is_some();
            let was_previewed = !std::mem::take(&mut state.preview).is_empty();
            state.files = Arc::new(site.files);
            if written == 0 && !was_broken && !was_previewed {
                println!("rebuilt: nothing changed");
                return;
            }
            state.generation += 1;
            drop(state);
            wake.notify_all();
            if was_broken {
                println!("fixed: the build works again");
            }
            println!(
                "rebuilt: {written} files changed ({} slides and pages made anew, {} reused); reload sent {:.0} ms after the save",
                builder.memo.made,
                builder.memo.reused,
                saved.elapsed().as_secs_f64() * 1000.0
            );
        }
        Err(problems) => {
            eprintln!("{}", report(&problems, color()));
            eprintln!(
                "the build failed: the previous site stays served until the problems are fixed"
            );
            if let Ok(mut state) = lock.lock() {
                state.generation += 1;
                state.error = Some(report(&problems, false));
            }
            wake.notify_all();
        }
    }
}

/// Whether a watcher event may change the site: not a read, and about a file of the inputs (the
/// project's folder is watched for the accessibility results alone).
fn relevant(event: &Event, root: &Path) -> bool {
    let input = |path: &PathBuf| {
        WATCHED.iter().any(|dir| path.starts_with(root.join(dir)))
            || path.file_name().is_some_and(|n| n == crate::a11y::RESULTS_FILE)
    };
    // An event that names no file (the watcher asks for a rescan) may be about any of them.
    let about_inputs =
        event.need_rescan() || event.paths.is_empty() || event.paths.iter().any(input);
    !matches!(event.kind, EventKind::Access(_)) && about_inputs
}

fn color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// The files of a previous build, to serve while the first build fails.
fn read_site(out: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            Some((e.path().strip_prefix(out).ok()?.to_path_buf(), std::fs::read(e.path()).ok()?))
        })
        .collect()
}

/// One browser connection: HTTP/1.1 requests one after another (kept alive), GET and HEAD only.
fn connection(stream: TcpStream, shared: &Shared) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(120)));
    let _ = stream.set_nodelay(true);
    let Ok(read_half) = stream.try_clone() else { return };
    let mut reader = BufReader::new(read_half);
    let mut writer = stream;
    loop {
        let Some(request_line) = read_line(&mut reader) else { return };
        let mut parts = request_line.split_whitespace();
        let (method, target, version) =
            (parts.next().unwrap_or(""), parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        let mut close = version != "HTTP/1.1";
        let mut body_length = 0u64;
        loop {
            let Some(line) = read_line(&mut reader) else { return };
            if line.is_empty() {
                break;
            }
            let (name, value) = line.split_once(':').unwrap_or((&line, ""));
            match name.trim().to_ascii_lowercase().as_str() {
                "connection" => close |= value.to_ascii_lowercase().contains("close"),
                "content-length" => body_length = value.trim().parse().unwrap_or(0),
                _ => {}
            }
        }
        if body_length > 0
            && std::io::copy(&mut (&mut reader).take(body_length), &mut std::io::sink()).is_err()
        {
            return;
        }
        let reply = match method {
            "GET" | "HEAD" => respond(target, shared),
            _ => Reply::status(405, "only GET and HEAD are served\n"),
        };
        if reply.send(&mut writer, method == "HEAD", close).is_err() || close {
            return;
        }
    }
}

/// A line of the request head without its line end (at most 16 KB; `None` at the end or on error).
fn read_line(reader: &mut impl BufRead) -> Option<String> {
    let mut bytes = Vec::new();
    let n = reader.take(16 * 1024).read_until(b'\n', &mut bytes).ok()?;
    if n == 0 || !bytes.ends_with(b"\n") {
        return None;
    }
    Some(String::from_utf8_lossy(&bytes).trim_end_matches(['\r', '\n']).to_string())
}

struct Reply {
    status: u16,
    content_type: &'static str,
    location: Option<String>,
    body: Vec<u8>,
}

impl Reply {
    fn ok(content_type: &'static str, body: Vec<u8>) -> Reply {
        Reply { status: 200, content_type, location: None, body }
    }

    fn status(status: u16, text: &str) -> Reply {
        Reply {
            status,
            content_type: "text/plain; charset=utf-8",
            location: None,
            body: text.as_bytes().to_vec(),
        }
    }

    fn send(&self, out: &mut impl Write, head_only: bool, close: bool) -> std::io::Result<()> {
        let reason = match self.status {
            200 => "OK",
            204 => "No Content",
            301 => "Moved Permanently",
            404 => "Not Found",
            _ => "Method Not Allowed",
        };
        let mut head = format!(
            "HTTP/1.1 {} {reason}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: {}\r\n",
            self.status,
            self.content_type,
            self.body.len(),
            if close { "close" } else { "keep-alive" }
        );
        if let Some(location) = &self.location {
            head.push_str(&format!("Location: {location}\r\n"));
        }
        head.push_str("\r\n");
        out.write_all(head.as_bytes())?;
        if !head_only {
            out.write_all(&self.body)?;
        }
        out.flush()
    }
}

fn respond(target: &str, shared: &Shared) -> Reply {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    if let Some(live) = path.strip_prefix(LIVE) {
        return live_response(live, query, shared);
    }
    match site_path(path) {
        Some(rel) => file_response(&rel, path, shared),
        None => not_found(),
    }
}

/// The site file a request path names, or `None` for anything that is not a plain path inside the
/// site: `..` or `.` segments (also when percent-encoded), backslashes, NUL, invalid UTF-8.
pub fn site_path(path: &str) -> Option<PathBuf> {
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8().ok()?;
    let rest = decoded.strip_prefix('/')?;
    let mut rel = PathBuf::new();
    for segment in rest.split('/') {
        match segment {
            "" => continue,
            "." | ".." => return None,
            s if s.contains(['\\', '\0', ':']) => return None,
            s => rel.push(s),
        }
    }
    if decoded.ends_with('/') || rel.as_os_str().is_empty() {
        rel.push("index.html");
    }
    Some(rel)
}

/// What may stand unencoded in a segment of a path sent back in `Location`.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'\\')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// Where a folder of the site asked for without its slash is sent: its path from the site's root,
/// made from the site's own file name (never from the request, whose `//host/…` or `/\host` a
/// browser would read as another site), so it always starts with a single `/` and a name.
fn folder_location(folder: &Path) -> String {
    let mut location = String::new();
    for segment in folder.iter() {
        location.push('/');
        location.extend(percent_encoding::utf8_percent_encode(&segment.to_string_lossy(), SEGMENT));
    }
    location.push('/');
    location
}

fn file_response(rel: &Path, request_path: &str, shared: &Shared) -> Reply {
    let (files, preview, generation) = match shared.0.lock() {
        Ok(state) => (state.files.clone(), state.preview.clone(), state.generation),
        Err(_) => return not_found(),
    };
    if let Some(bytes) = preview.get(rel).or_else(|| files.get(rel)) {
        let kind = content_type(rel);
        let body = if kind.starts_with("text/html") {
            with_live_script(bytes, generation)
        } else {
            bytes.clone()
        };
        return Reply::ok(kind, body);
    }
    // Browsers ask for an icon the site may not have: say "nothing" rather than "not found".
    if rel == Path::new("favicon.ico") {
        return Reply::status(204, "");
    }
    // A folder asked for without its slash: send the browser to it, so relative links work.
    if files.contains_key(&rel.join("index.html")) && !request_path.ends_with('/') {
        return Reply { location: Some(folder_location(rel)), ..Reply::status(301, "") };
    }
    // A page that does not exist yet (say the very first build failed): a small page that shows
    // the build's problems and reloads when they are fixed.
    if rel.extension().is_some_and(|e| e == "html") {
        let page = format!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'none'\"><title>404 – tebiki serve</title></head><body><h1>404: {} is not in the site</h1></body></html>",
            crate::text::escape_html(&rel.display().to_string())
        );
        return Reply {
            status: 404,
            ..Reply::ok("text/html; charset=utf-8", with_live_script(page.as_bytes(), generation))
        };
    }
    not_found()
}

/// An HTML page with the reload script and its stylesheet added, and the page's policy allowing
/// the script to ask this server for news. Pages whose policy names its scripts by hash (the
/// one-file edition) are left as they are.
fn with_live_script(bytes: &[u8], generation: u64) -> Vec<u8> {
    let Ok(html) = std::str::from_utf8(bytes) else { return bytes.to_vec() };
    if !html.contains("script-src 'self'") {
        return bytes.to_vec();
    }
    let tags = format!(
        "<link rel=\"stylesheet\" href=\"{LIVE}live.css\"><script src=\"{LIVE}live.js?v={generation}\" defer></script>"
    );
    let html = html.replacen("connect-src 'none'", "connect-src 'self'", 1);
    match html.find("</head>") {
        Some(at) => format!("{}{tags}{}", &html[..at], &html[at..]).into_bytes(),
        None => html.into_bytes(),
    }
}

fn live_response(name: &str, query: &str, shared: &Shared) -> Reply {
    match name {
        "live.js" => Reply::ok("text/javascript; charset=utf-8", LIVE_JS.as_bytes().to_vec()),
        "live.css" => Reply::ok("text/css; charset=utf-8", LIVE_CSS.as_bytes().to_vec()),
        "poll" => {
            // Held until the site's generation differs from the page's, or for a while.
            let seen: u64 = query
                .split('&')
                .find_map(|kv| kv.strip_prefix("v="))
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            let (lock, wake) = &**shared;
            let Ok(state) = lock.lock() else { return not_found() };
            let Ok((state, _)) =
                wake.wait_timeout_while(state, POLL_HOLD, |s| s.generation == seen)
            else {
                return not_found();
            };
            let body = serde_json::json!({ "v": state.generation, "error": state.error });
            Reply::ok("application/json", body.to_string().into_bytes())
        }
        _ => not_found(),
    }
}

fn not_found() -> Reply {
    Reply::status(404, "404 not found\n")
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_paths_inside_the_site() {
        assert_eq!(site_path("/"), Some(PathBuf::from("index.html")));
        assert_eq!(site_path("/ja/"), Some(PathBuf::from("ja/index.html")));
        assert_eq!(site_path("/ja/print.html"), Some(PathBuf::from("ja/print.html")));
        assert_eq!(site_path("/assets/%E3%81%82.css"), Some(PathBuf::from("assets/あ.css")));
        for bad in [
            "/../Cargo.toml",
            "/%2e%2e/Cargo.toml",
            "/%2E%2E/x",
            "/ja/../../etc/passwd",
            "/..%2fetc",
            "/a%5c..%5cb",
            "/%00",
            "/%ff",
            "http://x/etc/passwd",
            "/c:/x",
        ] {
            assert_eq!(site_path(bad), None, "{bad}");
        }
        // `//etc/passwd` is a path inside the site (it names no file there).
        assert_eq!(site_path("//etc/passwd"), Some(PathBuf::from("etc/passwd")));
    }

    #[test]
    fn live_script_only_where_the_policy_allows_it() {
        let page = b"<html><head><meta http-equiv=\"Content-Security-Policy\" content=\"script-src 'self'; connect-src 'none'\"></head><body></body></html>";
        let html = String::from_utf8(with_live_script(page, 7)).unwrap();
        assert!(
            html.contains("connect-src 'self'")
                && html.contains("live.js?v=7\" defer></script></head>"),
            "{html}"
        );
        let hashed = b"<html><head><meta http-equiv=\"Content-Security-Policy\" content=\"script-src 'sha256-x'\"></head></html>";
        assert_eq!(with_live_script(hashed, 7), hashed.to_vec());
    }

    #[test]
    fn redirects_stay_on_the_site() {
        let folders = ["ja", "evil.example", "a b", "あ"];
        let files = folders.iter().map(|f| (Path::new(f).join("index.html"), b"x".to_vec()));
        let state = State {
            generation: 1,
            files: Arc::new(files.collect()),
            preview: Arc::default(),
            error: None,
        };
        let shared: Shared = Arc::new((Mutex::new(state), Condvar::new()));
        let location = |path: &str| {
            site_path(path).and_then(|rel| file_response(&rel, path, &shared).location)
        };
        assert_eq!(location("/ja").as_deref(), Some("/ja/"));
        assert_eq!(location("/ja/"), None, "the folder itself is served");
        assert_eq!(location("/a%20b").as_deref(), Some("/a%20b/"));
        assert_eq!(location("/%E3%81%82").as_deref(), Some("/%E3%81%82/"));
        for path in [
            "//ja",
            "///ja",
            "/%2F%2Fja",
            "/%2f/ja",
            "//evil.example",
            "/%2F%2Fevil.example",
            "/%2F%2F%2Fevil.example",
            "//%2Fevil.example",
            "/\\evil.example",
            "/\\\\evil.example",
            "/%5C%5Cevil.example",
            "/%5c/ja",
            "/./ja",
            "/ja/..//ja",
        ] {
            let found = location(path);
            let on_site =
                |l: &str| l.starts_with('/') && !l.starts_with("//") && !l.starts_with("/\\");
            assert!(found.as_deref().is_none_or(on_site), "{path} → {found:?}");
        }
        assert_eq!(location("//ja").as_deref(), Some("/ja/"));
        assert_eq!(location("/%2F%2Fevil.example").as_deref(), Some("/evil.example/"));
        assert_eq!(folder_location(Path::new("a?b#c/d")), "/a%3Fb%23c/d/");
    }
}
