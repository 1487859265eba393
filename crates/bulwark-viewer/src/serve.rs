//! The loopback server of `bulwark view` and `bulwark run --live`: the page at `/`, the run
//! directory's own files below it (nothing outside: any `..`, absolute or odd path is 404),
//! and, while a run is live, its events as Server-Sent Events at `/live/events`.
use crate::ViewerError;
use axum::Router;
use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::convert::Infallible;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Messages of a live run, appended by the simulation's thread and read by every client.
#[derive(Clone, Default)]
pub struct LiveFeed {
    inner: Arc<Mutex<LiveState>>,
}

#[derive(Default)]
struct LiveState {
    messages: Vec<String>,
    done: bool,
}

impl LiveFeed {
    /// Appends one message (a JSON text) for the clients.
    pub fn push(&self, json: String) {
        if let Ok(mut s) = self.inner.lock() {
            s.messages.push(json);
        }
    }
    /// Marks the run finished; clients get an `end` event after the last message.
    pub fn finish(&self) {
        if let Ok(mut s) = self.inner.lock() {
            s.done = true;
        }
    }
    /// Number of messages so far.
    pub fn len(&self) -> usize {
        self.inner.lock().map(|s| s.messages.len()).unwrap_or(0)
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Messages from index `from` on, and whether the run has finished.
    fn since(&self, from: usize) -> (Vec<String>, bool) {
        match self.inner.lock() {
            Ok(s) => (s.messages.get(from..).map(<[String]>::to_vec).unwrap_or_default(), s.done),
            Err(_) => (Vec::new(), true),
        }
    }
}

/// The directory a running server serves; [`ServedRoot::set`] moves it (a live run's
/// staging directory becomes the committed run directory when the run ends).
#[derive(Clone, Debug)]
pub struct ServedRoot(Arc<std::sync::RwLock<PathBuf>>);

impl ServedRoot {
    /// Serves `dir` from now on; left unchanged if it cannot be resolved.
    pub fn set(&self, dir: &Path) {
        if let (Ok(dir), Ok(mut root)) = (dir.canonicalize(), self.0.write()) {
            *root = dir;
        }
    }

    fn get(&self) -> PathBuf {
        self.0.read().map(|r| r.clone()).unwrap_or_default()
    }
}

#[derive(Clone)]
struct AppState {
    root: ServedRoot,
    page: Arc<String>,
    live: Option<LiveFeed>,
}

/// A server bound to `127.0.0.1`, not yet answering.
pub struct Server {
    listener: std::net::TcpListener,
    state: AppState,
}

impl Server {
    /// Binds `127.0.0.1:port` (0: any free port) to serve `page` at `/` and the files of `root`.
    pub fn bind(root: &Path, port: u16, page: String, live: Option<LiveFeed>) -> Result<Server, ViewerError> {
        let root = root.canonicalize().map_err(|e| ViewerError::io(root, e))?;
        let listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port))
            .map_err(|e| ViewerError::Server(format!("cannot listen on 127.0.0.1:{port}: {e}")))?;
        listener.set_nonblocking(true).map_err(|e| ViewerError::Server(e.to_string()))?;
        let root = ServedRoot(Arc::new(std::sync::RwLock::new(root)));
        Ok(Server { listener, state: AppState { root, page: Arc::new(page), live } })
    }

    /// A handle on the served directory, to move it while the server runs.
    pub fn root(&self) -> ServedRoot {
        self.state.root.clone()
    }

    /// The address it listens on.
    pub fn local_addr(&self) -> Result<SocketAddr, ViewerError> {
        self.listener.local_addr().map_err(|e| ViewerError::Server(e.to_string()))
    }

    /// Answers requests until the process ends (blocks the calling thread).
    pub fn run(self) -> Result<(), ViewerError> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .build()
            .map_err(|e| ViewerError::Server(e.to_string()))?;
        rt.block_on(async move {
            let listener =
                tokio::net::TcpListener::from_std(self.listener).map_err(|e| ViewerError::Server(e.to_string()))?;
            let app = Router::new()
                .route("/", get(index))
                .route("/replay.html", get(index))
                .route("/live/events", get(live_events))
                .fallback(get(file))
                .with_state(self.state);
            axum::serve(listener, app).await.map_err(|e| ViewerError::Server(e.to_string()))
        })
    }
}

async fn index(axum::extract::State(s): axum::extract::State<AppState>) -> Response {
    let mut r = Response::new(Body::from(s.page.as_str().to_owned()));
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    r
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "not found\n").into_response()
}

/// Decodes `%XX` escapes; `None` for a malformed escape or a non-UTF-8 result.
fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The file under `root` that `uri_path` names, if it is a plain relative path inside it.
pub fn resolve(root: &Path, uri_path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(uri_path)?;
    let rel = decoded.trim_start_matches('/');
    if rel.is_empty() || rel.contains('\\') || rel.contains('\0') {
        return None;
    }
    let rel = Path::new(rel);
    if !rel.components().all(|c| matches!(c, Component::Normal(_))) {
        return None;
    }
    let full = root.join(rel).canonicalize().ok()?;
    (full.starts_with(root) && full.is_file()).then_some(full)
}

fn content_type(p: &Path) -> &'static str {
    match p.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "json" => "application/json",
        "jsonl" => "application/x-ndjson",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        _ => "application/octet-stream",
    }
}

async fn file(axum::extract::State(s): axum::extract::State<AppState>, uri: Uri) -> Response {
    let Some(path) = resolve(&s.root.get(), uri.path()) else { return not_found() };
    match tokio::task::spawn_blocking(move || std::fs::read(&path).map(|b| (b, content_type(&path)))).await {
        Ok(Ok((bytes, ct))) => {
            let mut r = Response::new(Body::from(bytes));
            r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
            r
        }
        _ => not_found(),
    }
}

async fn live_events(axum::extract::State(s): axum::extract::State<AppState>) -> Response {
    let Some(feed) = s.live else { return not_found() };
    // (next message index, finished)
    let stream = futures_util::stream::unfold((feed, 0usize, false), |(feed, next, ended)| async move {
        if ended {
            return None;
        }
        loop {
            let (msgs, done) = feed.since(next);
            if !msgs.is_empty() {
                let n = msgs.len();
                let data = format!("[{}]", msgs.join(","));
                let ev: Result<Event, Infallible> = Ok(Event::default().event("batch").data(data));
                return Some((ev, (feed, next + n, false)));
            }
            if done {
                let ev: Result<Event, Infallible> = Ok(Event::default().event("end").data("{}"));
                return Some((ev, (feed, next, true)));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
    Sse::new(stream).keep_alive(KeepAlive::default()).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_outside_the_folder_resolve_to_nothing() {
        let dir = std::env::temp_dir().join(format!("bulwark-viewer-resolve-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::write(dir.join("sub/a.csv"), "x").unwrap();
        let root = dir.canonicalize().unwrap();
        assert!(resolve(&root, "/sub/a.csv").is_some());
        for bad in [
            "/../a.csv",
            "/sub/../sub/a.csv",
            "/%2e%2e/etc/passwd",
            "/sub/%2E%2E/%2e%2e/x",
            "//etc/passwd",
            "/sub",
            "/",
        ] {
            assert!(resolve(&root, bad).is_none(), "{bad}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
