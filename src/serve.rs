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
//!
//! HTTP is hyper's (HTTP/1.1, on a single-threaded tokio runtime of its own thread); the build
//! loop runs on the calling thread. A request naming another host gets 403 (a page of another site
//! whose name is made to resolve to 127.0.0.1, DNS rebinding, must not read the preview). The
//! connections are bounded ([`MAX_CONNECTIONS`], the one quiet longest closed to make room) and
//! timed ([`HEAD_TIMEOUT`], [`WRITE_TIMEOUT`]), so that idle or stuck clients can neither use up
//! the process's file descriptors nor keep a new client waiting.

use std::collections::{BTreeMap, HashMap};
use std::convert::Infallible;
use std::future::Future;
use std::io::IsTerminal;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use http_body_util::Full;
use hyper::body::Bytes;
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, Response, StatusCode, Uri};
use hyper_util::rt::{TokioIo, TokioTimer};
use notify_debouncer_full::notify::{Event, EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache};
use percent_encoding::{AsciiSet, CONTROLS};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::{oneshot, watch};

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
/// The most connections open at once: well below the usual limit of 1,024 open files a process,
/// so that the file watcher and the build always have descriptors left. A browser opens about six
/// per site. When a new connection comes at the limit, the one that has been quiet longest is
/// closed for it (see [`Connections::admit`]).
const MAX_CONNECTIONS: usize = 256;
/// A connection that sends no whole request head for this long is closed: idle between requests
/// (hyper's header timer runs from the end of the last response) or sending its head slowly.
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// A response that the client takes no bytes of for this long closes its connection (a client
/// that stopped reading).
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// The most a request head may take in memory (hyper's default is 400 KB).
const MAX_HEAD: usize = 64 * 1024;
/// Connections the system may hold for the server before it takes them.
const BACKLOG: u32 = 1024;

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

/// The served state, published by the build loop; waiting pages are woken when it changes.
type Shared = watch::Sender<State>;

/// Everything a connection needs: the state, the address listened on (for the Host check), and
/// the clock its activity is counted on.
struct Server {
    shared: Shared,
    addr: SocketAddr,
    epoch: Instant,
}

/// Runs until the process is stopped. `report` turns problems into the terminal's text (with
/// colour when it is a terminal) and the overlay's (plain).
pub fn serve(
    root: &Path,
    options: &Options,
    report: &dyn Fn(&Diagnostics, bool) -> String,
) -> Result<(), String> {
    let out = output::check_out_dir(root, &options.out).map_err(|d| report(&d.into(), color()))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    // The address is taken before anything is built, so that a port in use fails at once and
    // leaves the output folder as it was.
    let listener = listen(options.addr, &runtime)?;
    let addr = listener.local_addr().unwrap_or(options.addr);
    let mut builder = Builder::new(root);
    let (state, mut slow) = first_build(&mut builder, &out, report)?;
    let server = Arc::new(Server { shared: watch::channel(state).0, addr, epoch: Instant::now() });
    let (tx, rx) = mpsc::channel();
    let _watcher = watch(root, tx)?;
    {
        let server = server.clone();
        std::thread::spawn(move || runtime.block_on(accept(listener, server)));
    }
    println!("serving http://{addr}/ (press Ctrl+C to stop)");
    loop {
        let saved = next_change(&rx, root)?;
        // A big guide: the pages of the edited slides first, then the whole site.
        if slow {
            preview(&mut builder, &server.shared, saved);
        }
        let started = Instant::now();
        rebuild(&mut builder, &out, &server.shared, saved, report);
        slow = started.elapsed() >= preview_after();
    }
}

/// Listens on `addr` (on the runtime, which serves it later on its own thread).
fn listen(addr: SocketAddr, runtime: &tokio::runtime::Runtime) -> Result<TcpListener, String> {
    let _runtime = runtime.enter();
    let socket = if addr.is_ipv4() { TcpSocket::new_v4() } else { TcpSocket::new_v6() };
    let listener = socket.and_then(|socket| {
        // As std does on Unix: a port whose last connections are still closing can be taken again
        // at once (a port another program listens on still cannot). Elsewhere it would let two
        // servers share a port.
        if cfg!(unix) {
            socket.set_reuseaddr(true)?;
        }
        socket.bind(addr)?;
        socket.listen(BACKLOG)
    });
    listener.map_err(|e| match e.kind() {
        std::io::ErrorKind::AddrInUse => format!(
            "cannot listen on {addr}: another program (perhaps another tebiki serve) is using port {}; pass --port with another number, or --port 0 for any free port",
            addr.port()
        ),
        _ => format!("cannot listen on {addr}: {e}"),
    })
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
            warn(&site, report);
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
    match result {
        Ok(site) => {
            let pages =
                site.files.keys().filter(|p| p.extension().is_some_and(|e| e == "html")).count();
            shared.send_modify(|state| {
                state.generation += 1;
                state.preview = Arc::new(site.files);
                state.error = None;
            });
            let plural = if pages == 1 { "" } else { "s" };
            println!(
                "preview: {pages} page{plural} of the edited slides; reload sent {:.0} ms after the save (the whole site follows)",
                saved.elapsed().as_secs_f64() * 1000.0
            );
        }
        // The whole build that follows reports every problem, here and over the page.
        Err(problems) => shared.send_modify(|state| {
            state.generation += 1;
            state.error = Some(format!(
                "{} problems found (the whole list follows when the rebuild ends)",
                problems.len()
            ));
        }),
    }
}

/// A build's warnings, in the terminal (a page is not covered for them: the build succeeded).
fn warn(site: &crate::Site, report: &dyn Fn(&Diagnostics, bool) -> String) {
    if site.warnings.warning_count() > 0 {
        eprintln!("{}", report(&site.warnings, color()));
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
    match builder.generate(images::Mode::Build) {
        Ok(site) => {
            warn(&site, report);
            let previous = shared.borrow().files.clone();
            let written = match output::update_site(out, &previous, &site.files) {
                Ok(n) => n,
                Err(d) => {
                    eprintln!("{}", report(&d.into(), color()));
                    return;
                }
            };
            let mut was_broken = false;
            let published = shared.send_if_modified(|state| {
                was_broken = state.error.take().is_some();
                let was_previewed = !std::mem::take(&mut state.preview).is_empty();
                state.files = Arc::new(site.files);
                let news = written > 0 || was_broken || was_previewed;
                state.generation += u64::from(news);
                news
            });
            if !published {
                println!("rebuilt: nothing changed");
                return;
            }
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
            shared.send_modify(|state| {
                state.generation += 1;
                state.error = Some(report(&problems, false));
            });
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

/// Milliseconds since `epoch`: when a connection last moved bytes.
fn millis(epoch: Instant) -> u64 {
    u64::try_from(epoch.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// The open connections, each with when it last moved bytes ([`millis`]) and the sender whose
/// drop closes it.
#[derive(Default)]
struct Connections {
    next: u64,
    open: HashMap<u64, Open>,
}

struct Open {
    active: Arc<AtomicU64>,
    _close: oneshot::Sender<()>,
}

impl Connections {
    /// Closes the connection that has been quiet longest (no byte read or written): an idle
    /// keep-alive connection, a client that is slow to send or stopped reading, or a page's held
    /// poll (its script asks again a second later).
    fn close_quietest(&mut self) {
        let quietest = self.open.iter().min_by_key(|(_, open)| open.active.load(Ordering::Relaxed));
        if let Some(id) = quietest.map(|(id, _)| *id) {
            self.open.remove(&id);
        }
    }
}

/// A connection's place in [`Connections`], given up when the connection ends.
struct Admitted {
    id: u64,
    active: Arc<AtomicU64>,
    connections: Arc<Mutex<Connections>>,
}

impl Drop for Admitted {
    fn drop(&mut self) {
        lock(&self.connections).open.remove(&self.id);
    }
}

fn lock(connections: &Mutex<Connections>) -> std::sync::MutexGuard<'_, Connections> {
    connections.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Registers a new connection; the receiver is woken when it is to be closed. At the limit, the
/// quietest connection is closed to make room: a new client is answered at once, whatever is
/// open. Refusing it instead, or leaving it waiting until a timeout frees a place, would let
/// anyone who opens enough connections lock every browser out; the quietest connection is the
/// one least likely to be missed, and a browser opens another when it needs one.
fn admit(connections: &Arc<Mutex<Connections>>, now: u64) -> (Admitted, oneshot::Receiver<()>) {
    let mut all = lock(connections);
    if all.open.len() >= MAX_CONNECTIONS {
        all.close_quietest();
    }
    let id = all.next;
    all.next += 1;
    let active = Arc::new(AtomicU64::new(now));
    let (close, closed) = oneshot::channel();
    all.open.insert(id, Open { active: active.clone(), _close: close });
    (Admitted { id, active, connections: connections.clone() }, closed)
}

/// Takes connections for as long as the process runs. An error (no file descriptor left, a
/// connection reset before it was taken) closes the quietest connection and waits a moment: it
/// never stops the server.
async fn accept(listener: TcpListener, server: Arc<Server>) {
    let connections = Arc::new(Mutex::new(Connections::default()));
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                let (admitted, closed) = admit(&connections, millis(server.epoch));
                tokio::spawn(connection(stream, admitted, closed, server.clone()));
            }
            Err(_) => {
                lock(&connections).close_quietest();
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
    }
}

/// One client connection: HTTP/1.1 requests one after another (kept alive), until the client
/// closes it, a timeout, or it is closed to make room for another.
async fn connection(
    stream: TcpStream,
    admitted: Admitted,
    mut closed: oneshot::Receiver<()>,
    server: Arc<Server>,
) {
    let _ = stream.set_nodelay(true);
    let io = Timed { stream, active: admitted.active.clone(), epoch: server.epoch, stalled: None };
    let service = hyper::service::service_fn(move |request| {
        let server = server.clone();
        async move { Ok::<_, Infallible>(handle(request, &server).await) }
    });
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(HEAD_TIMEOUT).max_buf_size(MAX_HEAD);
    let mut served = std::pin::pin!(http.serve_connection(TokioIo::new(io), service));
    std::future::poll_fn(|cx| {
        if Pin::new(&mut closed).poll(cx).is_ready() {
            return Poll::Ready(());
        }
        served.as_mut().poll(cx).map(|_| ())
    })
    .await;
    drop(admitted);
}

/// A connection's socket, noting when it last moved bytes. A write that moves none for
/// [`WRITE_TIMEOUT`] fails (the client stopped reading), and hyper closes the connection.
struct Timed {
    stream: TcpStream,
    active: Arc<AtomicU64>,
    epoch: Instant,
    stalled: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl Timed {
    fn moved(&self) {
        self.active.store(millis(self.epoch), Ordering::Relaxed);
    }
}

impl AsyncRead for Timed {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let read = Pin::new(&mut this.stream).poll_read(cx, buf);
        if buf.filled().len() > before {
            this.moved();
        }
        read
    }
}

impl AsyncWrite for Timed {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bytes: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        let Poll::Ready(written) = Pin::new(&mut this.stream).poll_write(cx, bytes) else {
            let stalled =
                this.stalled.get_or_insert_with(|| Box::pin(tokio::time::sleep(WRITE_TIMEOUT)));
            return match stalled.as_mut().poll(cx) {
                Poll::Ready(()) => Poll::Ready(Err(std::io::ErrorKind::TimedOut.into())),
                Poll::Pending => Poll::Pending,
            };
        };
        this.stalled = None;
        if written.as_ref().is_ok_and(|n| *n > 0) {
            this.moved();
        }
        Poll::Ready(written)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}

/// The answer to one request: 403 for a request naming another host, 405 for a method other than
/// GET or HEAD (hyper leaves out the body of a HEAD answer), else what [`respond`] finds.
async fn handle<B>(request: Request<B>, server: &Server) -> Response<Full<Bytes>> {
    let reply = if !names_this_server(&request, server.addr) {
        Reply::status(StatusCode::FORBIDDEN, &forbidden(server.addr))
    } else if request.method() != Method::GET && request.method() != Method::HEAD {
        Reply::status(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD are served\n")
    } else {
        respond(&request.uri().clone(), &server.shared).await
    };
    reply.into_response()
}

fn forbidden(addr: SocketAddr) -> String {
    if addr.ip().is_unspecified() {
        return "403: this preview answers to an IP address or localhost, not to a name\n".into();
    }
    format!(
        "403: this preview answers at http://{addr}/ or http://localhost:{}/ only\n",
        addr.port()
    )
}

/// Whether a request names this server, listening on `addr`, as its host: every Host header,
/// and the host of a request line in absolute form (`GET http://host/ HTTP/1.1`). A request that
/// names no host is refused too (browsers always send one).
fn names_this_server<B>(request: &Request<B>, addr: SocketAddr) -> bool {
    let headers = request.headers().get_all(header::HOST).iter();
    let named = headers.map(|value| value.to_str().unwrap_or(""));
    let mut hosts = named.chain(request.uri().authority().map(|a| a.as_str())).peekable();
    hosts.peek().is_some() && hosts.all(|host| host_allowed(host, addr))
}

/// Whether a Host value names this server, listening on `addr`: the address itself, `localhost`,
/// `127.0.0.1` or `[::1]`, with the port (without one for port 80, as browsers send it). Any
/// other name gets 403, so that a page of another site, whose name its owner makes resolve to
/// 127.0.0.1 (DNS rebinding), cannot read the preview: the browser sends that name.
fn host_allowed(host: &str, addr: SocketAddr) -> bool {
    let Some((name, port)) = split_host(host) else { return false };
    let ip = name.parse::<IpAddr>().ok();
    let localhost = name.eq_ignore_ascii_case("localhost");
    if addr.ip().is_unspecified() {
        // `--bind 0.0.0.0`: other computers are meant to see the preview, at an address of this
        // computer that the server cannot list (it may have several, and a router may forward
        // another port to it), so any IP address, and `localhost`, is answered at any port. This
        // still keeps rebinding out: its page is reached by a name (the attacker's), and a Host
        // that is an IP address is the very address the browser opened, which is then the
        // page's origin, so no page of another site can read the answer.
        return ip.is_some() || localhost;
    }
    let loopback = |ip: IpAddr| ip == Ipv4Addr::LOCALHOST || ip == Ipv6Addr::LOCALHOST;
    let name_ok = localhost || ip.is_some_and(|ip| ip == addr.ip() || loopback(ip));
    name_ok && port.map_or(addr.port() == 80, |port| port == addr.port())
}

/// A Host value's name and port: `localhost:3000`, `127.0.0.1`, `[::1]:3000` (without the
/// brackets); `None` when it is not of that form.
fn split_host(host: &str) -> Option<(&str, Option<u16>)> {
    let (name, rest) = match host.strip_prefix('[') {
        Some(bracketed) => {
            let (name, rest) = bracketed.split_once(']')?;
            name.parse::<Ipv6Addr>().ok()?;
            (name, rest)
        }
        None => host.split_at(host.find(':').unwrap_or(host.len())),
    };
    let port = match rest.strip_prefix(':') {
        None if rest.is_empty() => None,
        Some(port) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => {
            Some(port.parse().ok()?)
        }
        _ => return None,
    };
    Some((name, port))
}

struct Reply {
    status: StatusCode,
    content_type: &'static str,
    location: Option<String>,
    body: Vec<u8>,
}

impl Reply {
    fn ok(content_type: &'static str, body: Vec<u8>) -> Reply {
        Reply { status: StatusCode::OK, content_type, location: None, body }
    }

    fn status(status: StatusCode, text: &str) -> Reply {
        Reply {
            status,
            content_type: "text/plain; charset=utf-8",
            location: None,
            body: text.as_bytes().to_vec(),
        }
    }

    /// The response, with the headers every answer carries (hyper adds its length).
    fn into_response(self) -> Response<Full<Bytes>> {
        let mut response = Response::new(Full::new(Bytes::from(self.body)));
        *response.status_mut() = self.status;
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(self.content_type));
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
        if let Some(location) = self.location.and_then(|l| HeaderValue::from_str(&l).ok()) {
            headers.insert(header::LOCATION, location);
        }
        response
    }
}

async fn respond(uri: &Uri, shared: &Shared) -> Reply {
    let path = uri.path();
    if let Some(live) = path.strip_prefix(LIVE) {
        return live_response(live, uri.query().unwrap_or(""), shared).await;
    }
    match site_path(path) {
        Some(rel) => file_response(&rel, path, &shared.borrow()),
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

/// What is percent-encoded in a segment of a path sent back in `Location`.
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

fn file_response(rel: &Path, request_path: &str, state: &State) -> Reply {
    if let Some(bytes) = state.preview.get(rel).or_else(|| state.files.get(rel)) {
        let kind = content_type(rel);
        let body = if kind.starts_with("text/html") {
            with_live_script(bytes, state.generation)
        } else {
            bytes.clone()
        };
        return Reply::ok(kind, body);
    }
    // Browsers ask for an icon the site may not have: say "nothing" rather than "not found".
    if rel == Path::new("favicon.ico") {
        return Reply::status(StatusCode::NO_CONTENT, "");
    }
    // A folder asked for without its slash: send the browser to it, so relative links work.
    if state.files.contains_key(&rel.join("index.html")) && !request_path.ends_with('/') {
        let location = Some(folder_location(rel));
        return Reply { location, ..Reply::status(StatusCode::MOVED_PERMANENTLY, "") };
    }
    // A page that does not exist yet (say the very first build failed): a small page that shows
    // the build's problems and reloads when they are fixed.
    if rel.extension().is_some_and(|e| e == "html") {
        let page = format!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'none'\"><title>404 – tebiki serve</title></head><body><h1>404: {} is not in the site</h1></body></html>",
            crate::text::escape_html(&rel.display().to_string())
        );
        let body = with_live_script(page.as_bytes(), state.generation);
        return Reply {
            status: StatusCode::NOT_FOUND,
            ..Reply::ok("text/html; charset=utf-8", body)
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

async fn live_response(name: &str, query: &str, shared: &Shared) -> Reply {
    match name {
        "live.js" => Reply::ok("text/javascript; charset=utf-8", LIVE_JS.as_bytes().to_vec()),
        "live.css" => Reply::ok("text/css; charset=utf-8", LIVE_CSS.as_bytes().to_vec()),
        "poll" => {
            let seen: u64 = query
                .split('&')
                .find_map(|kv| kv.strip_prefix("v="))
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            // Held until the site's generation differs from the page's, or for a while.
            let mut news = shared.subscribe();
            let changed = news.wait_for(|state| state.generation != seen);
            let _ = tokio::time::timeout(POLL_HOLD, changed).await;
            let state = shared.borrow();
            let body = serde_json::json!({ "v": state.generation, "error": state.error });
            Reply::ok("application/json", body.to_string().into_bytes())
        }
        _ => not_found(),
    }
}

fn not_found() -> Reply {
    Reply::status(StatusCode::NOT_FOUND, "404 not found\n")
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
    fn only_hosts_that_name_this_server() {
        let local: SocketAddr = "127.0.0.1:3000".parse().unwrap();
        for host in ["127.0.0.1:3000", "localhost:3000", "LocalHost:3000", "[::1]:3000"] {
            assert!(host_allowed(host, local), "{host}");
        }
        for host in [
            "evil.example",
            "evil.example:3000",
            "127.0.0.1.evil.example:3000",
            "localhost.evil.example:3000",
            "localhost.:3000",
            "127.0.0.1",
            "localhost",
            "127.0.0.1:3001",
            "127.0.0.1:03000x",
            "127.0.0.2:3000",
            "10.0.0.5:3000",
            "[::1]",
            "::1:3000",
            "[evil.example]:3000",
            "[::ffff:127.0.0.1]:3000",
            "127.0.0.1:3000@evil.example",
            "user@127.0.0.1:3000",
            "localhost:+3000",
            "localhost:",
            "",
        ] {
            assert!(!host_allowed(host, local), "{host}");
        }
        // Port 80 is left out by browsers.
        let eighty: SocketAddr = "127.0.0.1:80".parse().unwrap();
        assert!(host_allowed("localhost", eighty) && host_allowed("127.0.0.1:80", eighty));
        // An address of this computer given with --bind: that address too.
        let lan: SocketAddr = "192.168.1.5:3000".parse().unwrap();
        assert!(host_allowed("192.168.1.5:3000", lan) && host_allowed("localhost:3000", lan));
        assert!(!host_allowed("192.168.1.6:3000", lan) && !host_allowed("mybox.lan:3000", lan));
        // Every address (`--bind 0.0.0.0` or `::`): any IP address or localhost, never a name.
        for all in ["0.0.0.0:3000", "[::]:3000"] {
            let all: SocketAddr = all.parse().unwrap();
            for host in ["192.168.1.5:3000", "10.0.0.1", "[fe80::1]:8080", "localhost:3000"] {
                assert!(host_allowed(host, all), "{host}");
            }
            for host in ["evil.example:3000", "192.168.1.5.nip.io:3000", "mybox.lan:3000", ""] {
                assert!(!host_allowed(host, all), "{host}");
            }
        }
    }

    #[test]
    fn every_host_a_request_names_is_checked() {
        let local: SocketAddr = "127.0.0.1:3000".parse().unwrap();
        let request = |uri: &str, hosts: &[&str]| {
            let with_hosts =
                hosts.iter().fold(Request::builder().uri(uri), |r, h| r.header("host", *h));
            with_hosts.body(()).unwrap()
        };
        assert!(names_this_server(&request("/ja/", &["127.0.0.1:3000"]), local));
        assert!(names_this_server(&request("http://localhost:3000/", &["127.0.0.1:3000"]), local));
        assert!(names_this_server(&request("http://localhost:3000/", &[]), local));
        assert!(!names_this_server(&request("/ja/", &[]), local), "no Host at all");
        assert!(!names_this_server(&request("/", &["127.0.0.1:3000", "evil.example"]), local));
        assert!(!names_this_server(&request("http://evil.example/", &["127.0.0.1:3000"]), local));
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
        let location =
            |path: &str| site_path(path).and_then(|rel| file_response(&rel, path, &state).location);
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
