//! `qalam serve`: a live preview of a book in the browser. A builder
//! thread rebuilds the book on every save (through [`crate::build`]) and
//! keeps the last good build in memory; an HTTP server ([`tiny_http`])
//! shows it, the EPUB's own XHTML and CSS beside the PDF, and tells open
//! pages of each rebuild by server-sent events.

mod http;
mod page;
mod pages;
pub mod preview;
mod rebuild;
mod watch;

use preview::Preview;
use serde::Serialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

/// Where to serve which book.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub book_dir: PathBuf,
    pub addr: SocketAddr,
    /// The options every rebuild starts from: the clock, and the text
    /// engine, kept warm from one rebuild to the next.
    pub build: crate::build::BuildOptions,
}

/// Why the server could not start.
#[derive(Debug)]
pub enum ServeError {
    /// The address could not be bound (in use, not this machine's, …).
    Bind(SocketAddr, String),
    /// The book folder could not be watched.
    Watch(PathBuf, notify::Error),
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServeError::Bind(addr, e) => write!(
                f,
                "error: cannot serve on {addr}: {e} (choose another port with --port)"
            ),
            ServeError::Watch(dir, e) => write!(
                f,
                "error: cannot watch {}: {e} (name a book folder, one with book.toml)",
                dir.display()
            ),
        }
    }
}

/// What the preview page is told after each rebuild (as JSON).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Status {
    /// Counts every rebuild, good or not.
    pub generation: u64,
    /// The generation of the build the preview shows (0: none yet).
    pub shown: u64,
    /// Whether the last rebuild succeeded.
    pub ok: bool,
    pub errors: usize,
    pub warnings: usize,
    /// Its errors, warnings and notes as the terminal shows them.
    pub messages: String,
    /// How long it took, reading to preview, in milliseconds.
    pub took_ms: f64,
    /// The files whose change started it, relative to the book folder.
    pub changed: Vec<String>,
    /// The PDF's pages in the build shown: their pictures' sizes and
    /// printed numbers.
    pub pages: Vec<pages::PageInfo>,
}

/// What the builder thread and the request threads share.
struct Shared {
    state: Mutex<State>,
    rebuilt: Condvar,
}

#[derive(Default)]
struct State {
    status: Status,
    preview: Option<Arc<Preview>>,
}

impl Shared {
    fn snapshot(&self) -> (Status, Option<Arc<Preview>>) {
        let s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        (s.status.clone(), s.preview.clone())
    }

    /// Waits until a rebuild after `generation` or `timeout`.
    fn wait_after(&self, generation: u64, timeout: Duration) -> Status {
        let s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let (s, _) = self
            .rebuilt
            .wait_timeout_while(s, timeout, |s| s.status.generation <= generation)
            .unwrap_or_else(|e| e.into_inner());
        s.status.clone()
    }
}

/// A bound server, not yet serving.
pub struct Server {
    http: tiny_http::Server,
    addr: SocketAddr,
    book_dir: PathBuf,
    build: crate::build::BuildOptions,
    shared: Arc<Shared>,
}

impl Server {
    /// Binds the address (port 0 picks a free one).
    pub fn bind(opts: &ServeOptions) -> Result<Server, ServeError> {
        let http = tiny_http::Server::http(opts.addr)
            .map_err(|e| ServeError::Bind(opts.addr, e.to_string()))?;
        let addr = http
            .server_addr()
            .to_ip()
            .ok_or_else(|| ServeError::Bind(opts.addr, "not an IP address".into()))?;
        Ok(Server {
            http,
            addr,
            book_dir: opts.book_dir.clone(),
            build: opts.build.clone(),
            shared: Arc::new(Shared {
                state: Mutex::new(State::default()),
                rebuilt: Condvar::new(),
            }),
        })
    }

    /// The address bound, with the port chosen.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Builds the book, then serves it and rebuilds it on every save until
    /// the process ends. `log` is told of each rebuild (from the builder
    /// thread). Returns at once when the folder cannot be watched; should
    /// the watch end later (the folder removed), the last preview is still
    /// served.
    pub fn run(self, log: impl Fn(&Status) + Send + 'static) -> Result<(), ServeError> {
        let dir = std::fs::canonicalize(&self.book_dir)
            .map_err(|e| ServeError::Watch(self.book_dir.clone(), notify::Error::io(e)))?;
        let watch = watch::BookWatch::new(&dir, dir.join("out"))
            .map_err(|e| ServeError::Watch(self.book_dir.clone(), e))?;
        let shared = Arc::clone(&self.shared);
        // Messages name files as the user named the folder, as `qalam
        // build` does; the watch reports them under the canonical path.
        let book_dir = self.book_dir.clone();
        let mut base = self.build.clone();
        let builder = std::thread::spawn(move || {
            let mut changed: Vec<String> = Vec::new();
            loop {
                let status = publish(&shared, &book_dir, &mut base, changed);
                log(&status);
                match watch.next_save() {
                    Some(paths) => {
                        changed = paths
                            .iter()
                            .map(|p| p.strip_prefix(&dir).unwrap_or(p).display().to_string())
                            .collect()
                    }
                    None => break,
                }
            }
        });
        for request in self.http.incoming_requests() {
            let shared = Arc::clone(&self.shared);
            std::thread::spawn(move || http::answer(request, &shared));
        }
        let _ = builder.join();
        Ok(())
    }
}

/// Rebuilds and puts the result in place for the request threads: a new
/// preview whole or, on failure, the last good one with the messages.
fn publish(
    shared: &Shared,
    dir: &Path,
    base: &mut crate::build::BuildOptions,
    changed: Vec<String>,
) -> Status {
    let rebuilt = rebuild::rebuild(dir, base);
    after(&rebuilt, base);
    let mut s = shared.state.lock().unwrap_or_else(|e| e.into_inner());
    let generation = s.status.generation + 1;
    let ok = rebuilt.preview.is_some();
    if let Some(p) = rebuilt.preview {
        s.preview = Some(Arc::new(p));
    }
    let pages = s
        .preview
        .as_ref()
        .map(|p| p.pages.clone())
        .unwrap_or_default();
    s.status = Status {
        generation,
        shown: if ok { generation } else { s.status.shown },
        ok,
        errors: rebuilt.errors,
        warnings: rebuilt.warnings,
        messages: rebuilt.messages,
        took_ms: rebuilt.took.as_secs_f64() * 1e3,
        changed,
        pages,
    };
    shared.rebuilt.notify_all();
    s.status.clone()
}

/// After a build that panicked, the next starts from a fresh engine: the
/// panic may have left the engine's caches half-updated, and a cache
/// that is wrong makes wrong pages without saying so.
fn after(rebuilt: &rebuild::Rebuilt, base: &mut crate::build::BuildOptions) {
    if rebuilt.panicked {
        base.engine = Arc::new(base.engine.fresh());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::typeset::Engine;

    #[test]
    fn a_build_that_panicked_leaves_its_engine_behind() {
        let mut base = crate::build::BuildOptions {
            engine: Arc::new(Engine::keeping_sets()),
            ..Default::default()
        };
        let first = Arc::clone(&base.engine);
        let mut rebuilt = rebuild::Rebuilt {
            preview: None,
            messages: String::new(),
            errors: 1,
            warnings: 0,
            took: Duration::ZERO,
            panicked: false,
        };
        after(&rebuilt, &mut base);
        assert!(
            Arc::ptr_eq(&first, &base.engine),
            "kept after a build that did not panic"
        );
        rebuilt.panicked = true;
        after(&rebuilt, &mut base);
        assert!(!Arc::ptr_eq(&first, &base.engine));
        assert!(!Arc::ptr_eq(
            first.bundled().book(),
            base.engine.bundled().book()
        ));
        // Still one that keeps sets, as the server asked for.
        assert!(base.engine.set_cache(base.engine.bundled()).is_some());
    }
}
