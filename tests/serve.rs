//! `qalam serve`: the real binary on a free port with a copy of the sample
//! book. Over plain HTTP: the preview page, a chapter, the event stream
//! after an edit, a broken note's diagnostic and its going, and the
//! requests it must refuse. In headless Chromium (driven by the DevTools
//! protocol): the edit, the diagnostic and the fix seen in the page.

mod common;

use common::devtools::{self, Devtools};

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

/// The hard limit for anything to show; the budget is 1 s, which
/// the tests report rather than assert (the machine may be loaded).
const LIMIT: Duration = Duration::from_secs(10);
const BUDGET: Duration = Duration::from_secs(1);

const QUESTION: &str = "What motivated these moves?";
const EDITED: &str = "What drove these reforms, in the end?";
const SENTENCE: &str = "protected from political interference and instability.";

/// A running `qalam serve`, stopped when dropped.
struct Served {
    child: Child,
    addr: String,
    book: PathBuf,
    _tmp: tempfile::TempDir,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Served {
    fn start() -> Served {
        let tmp = tempfile::tempdir().unwrap();
        let book = common::copy_book("book", tmp.path());
        let mut child = common::qalam()
            .args(["serve", "--port", "0"])
            .arg(&book)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("qalam serve starts");
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|r| r.split('/').next())
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .to_string();
        // The rest of its output is not needed, but must be drained.
        std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
        let served = Served {
            child,
            addr,
            book,
            _tmp: tmp,
        };
        served.wait_status(|s| s["shown"].as_u64() > Some(0), "the first build");
        served
    }

    fn get(&self, path: &str) -> (u16, String) {
        request(&self.addr, "GET", path)
    }

    fn status(&self) -> serde_json::Value {
        serde_json::from_str(&self.get("/_/status").1).unwrap()
    }

    fn wait_status(&self, done: impl Fn(&serde_json::Value) -> bool, what: &str) {
        let t = Instant::now();
        while !done(&self.status()) {
            assert!(
                t.elapsed() < LIMIT * 6,
                "{what} never came: {}",
                self.status()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn chapter(&self) -> PathBuf {
        self.book.join("interview.md")
    }

    /// Replaces `from` with `to` in the chapter file, as an editor's save.
    fn edit(&self, from: &str, to: &str) {
        let text = std::fs::read_to_string(self.chapter()).unwrap();
        assert!(text.contains(from), "{from:?} not in the chapter");
        std::fs::write(self.chapter(), text.replacen(from, to, 1)).unwrap();
    }
}

/// One HTTP/1.0 request (so that the answer is never chunked and ends
/// with the connection): the status code and the body.
fn request(addr: &str, method: &str, path: &str) -> (u16, String) {
    try_request(addr, method, path).unwrap_or_else(|e| panic!("{method} {path}: {e}"))
}

fn try_request(addr: &str, method: &str, path: &str) -> Result<(u16, String), String> {
    let mut s = TcpStream::connect(addr).map_err(|e| e.to_string())?;
    // Longer than the limit for an edit to show: a page's picture takes a
    // while in a debug build on a busy machine.
    s.set_read_timeout(Some(LIMIT * 6))
        .map_err(|e| e.to_string())?;
    write!(s, "{method} {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").map_err(|e| e.to_string())?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).map_err(|e| e.to_string())?;
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let code = raw
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| format!("no status line in {raw:?}"))?;
    let body = raw.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    Ok((code, body.to_string()))
}

/// The event stream's `build` events, as their JSON, from a thread.
fn events(addr: &str) -> Receiver<serde_json::Value> {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(s, "GET /_/events HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(s).lines() {
            let Ok(line) = line else { return };
            if let Some(data) = line.strip_prefix("data: ") {
                let json = serde_json::from_str(data).expect("an event's data is JSON");
                if tx.send(json).is_err() {
                    return;
                }
            }
        }
    });
    rx
}

/// The next event after `t` that `done` accepts, and how long after `t`.
fn next_event(
    rx: &Receiver<serde_json::Value>,
    t: Instant,
    done: impl Fn(&serde_json::Value) -> bool,
    what: &str,
) -> (serde_json::Value, Duration) {
    loop {
        let left = LIMIT.saturating_sub(t.elapsed());
        let e = rx
            .recv_timeout(left)
            .unwrap_or_else(|_| panic!("no event for {what} within {LIMIT:?}"));
        if done(&e) {
            return (e, t.elapsed());
        }
    }
}

#[test]
fn edits_show_and_diagnostics_come_and_go_over_http() {
    let s = Served::start();
    let (code, page) = s.get("/");
    assert_eq!(code, 200);
    assert!(page.contains("data-view=\"phone\"") && page.contains("/book.pdf"));
    let chapter_url = page
        .split("id=\"chapter\"")
        .nth(1)
        .and_then(|r| r.split("src=\"").nth(1))
        .and_then(|r| r.split('"').next())
        .expect("the page names its chapter")
        .to_string();
    let (code, chapter) = s.get(&chapter_url);
    assert_eq!(code, 200);
    assert!(
        chapter.contains(QUESTION),
        "{chapter_url} lacks the question"
    );
    assert!(chapter.contains("doc-pagebreak"), "no print page markers");
    let (code, pdf) = s.get("/book.pdf");
    assert_eq!(code, 200);
    assert!(pdf.starts_with("%PDF-"));
    let pages = s.status()["pages"].as_array().unwrap().len();
    assert!(pages > 5, "{pages} PDF pages");
    assert_eq!(page.matches("<img src=\"/pdf/").count(), pages);
    // A text page (the cover's picture is slow to draw in a debug build).
    let (code, png) = s.get("/pdf/6.png");
    assert_eq!(code, 200);
    assert!(png.starts_with("\u{FFFD}PNG"), "page 6 is not a PNG");
    assert_eq!(s.get(&format!("/pdf/{pages}.png")).0, 200);
    assert_eq!(s.get(&format!("/pdf/{}.png", pages + 1)).0, 404);

    let rx = events(&s.addr);
    let (first, _) = next_event(&rx, Instant::now(), |_| true, "the current state");
    let generation = first["generation"].as_u64().unwrap();

    let t = Instant::now();
    s.edit(QUESTION, EDITED);
    let (e, took) = next_event(
        &rx,
        t,
        |e| e["generation"].as_u64() > Some(generation) && e["ok"] == true,
        "the edit",
    );
    assert_eq!(e["shown"], e["generation"]);
    let (_, chapter) = s.get(&chapter_url);
    let seen = t.elapsed();
    assert!(chapter.contains(EDITED) && !chapter.contains(QUESTION));
    let (_, new_pdf) = s.get("/book.pdf");
    assert!(
        new_pdf.starts_with("%PDF-") && new_pdf != pdf,
        "the PDF was not rebuilt"
    );
    eprintln!(
        "edit to event {} ms, to the new text served {} ms (budget {} ms: {}); rebuild {:.1} ms",
        took.as_millis(),
        seen.as_millis(),
        BUDGET.as_millis(),
        if seen <= BUDGET { "within" } else { "over" },
        e["took_ms"].as_f64().unwrap()
    );

    // A broken note reference: the diagnostic as the terminal shows it,
    // over the last good preview.
    let t = Instant::now();
    s.edit(SENTENCE, &format!("{SENTENCE}[^nowhere]"));
    let (e, _) = next_event(&rx, t, |e| e["ok"] == false, "the broken note");
    let messages = e["messages"].as_str().unwrap();
    for part in [
        "error[note-undefined]",
        "interview.md:24:55",
        "instability.[^nowhere]",
        "help: add a definition",
    ] {
        assert!(messages.contains(part), "{part:?} not in {messages}");
    }
    let (_, page) = s.get("/");
    assert!(page.contains("error[note-undefined]"), "not on the page");
    assert!(!page.contains("id=\"messages\" class=\"failed\" aria-live=\"polite\" hidden"));
    let (code, chapter) = s.get(&chapter_url);
    assert_eq!(code, 200, "the last good preview is still served");
    assert!(chapter.contains(EDITED));

    let t = Instant::now();
    s.edit(&format!("{SENTENCE}[^nowhere]"), SENTENCE);
    let (e, _) = next_event(&rx, t, |e| e["ok"] == true, "the fix");
    assert_eq!(e["messages"], "");
    let (_, page) = s.get("/");
    assert!(!page.contains("note-undefined"));
}

#[test]
fn only_the_preview_is_served() {
    let s = Served::start();
    let secret = s.book.parent().unwrap().join("secret.txt");
    std::fs::write(&secret, "SECRET-OUTSIDE").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&secret, s.book.join("leak.txt")).unwrap();
    for path in [
        "/../book.toml",
        "/%2e%2e/book.toml",
        "/%2E%2E/%2e%2e/secret.txt",
        "/epub/../book.toml",
        "/epub/%2e%2e/%2e%2e/book.toml",
        "/epub/EPUB/../../book.toml",
        "/epub/EPUB/text/%2e%2e/%2e%2e/%2e%2e/book.toml",
        "/book.toml",
        "/interview.md",
        "/leak.txt",
        "/epub/leak.txt",
        "/epub/../leak.txt",
        "/epub/",
        "/epub/EPUB/",
        "/pdf/",
        "/pdf/0.png",
        "/pdf/-1.png",
        "/pdf/+1.png",
        "/pdf/1.png/",
        "/pdf/../book.toml",
        "/pdf/%2e%2e/book.toml",
        "/epub/EPUB",
        "//etc/passwd",
    ] {
        let (code, body) = s.get(path);
        assert_eq!(code, 404, "{path} was served: {body}");
        assert!(!body.contains("SECRET") && !body.contains("[book]"));
    }
    for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"] {
        let (code, _) = request(&s.addr, method, "/");
        assert_eq!(code, 405, "{method} /");
    }
    let (code, body) = request(&s.addr, "HEAD", "/");
    assert_eq!((code, body.as_str()), (200, ""), "HEAD / has no body");
}

/// The first element with an id at or below the top of the chapter's
/// view, and its distance from the top.
fn place(dt: &mut Devtools) -> (String, f64) {
    let v = dt.eval(
        "(() => { for (const el of document.getElementById('chapter').contentDocument.querySelectorAll('body [id]')) { const top = el.getBoundingClientRect().top; if (top >= 0) return [el.id, top]; } return ['', 0]; })()",
    );
    (
        v[0].as_str().unwrap_or_default().to_string(),
        v[1].as_f64().unwrap_or_default(),
    )
}

/// A picture of the preview (for the README): to `QALAM_SCREENSHOT` when
/// set, else into Cargo's scratch folder for tests.
fn screenshot(dt: &mut Devtools) {
    let png = dt.screenshot();
    let path = std::env::var_os("QALAM_SCREENSHOT")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_TARGET_TMPDIR")).join("serve-preview.png"));
    std::fs::write(&path, png).unwrap();
    eprintln!("chromium: screenshot in {}", path.display());
}

#[test]
fn the_page_in_chromium_follows_edits() {
    let Some(exe) = devtools::chromium() else {
        common::missing("chromium");
        return;
    };
    let s = Served::start();
    let url = format!("http://{}/", s.addr);
    let (_browser, mut dt) = devtools::open(&exe, &url, (1400, 900));
    let chapter_text =
        "(document.getElementById('chapter').contentDocument?.body?.innerText ?? '')";
    dt.until(
        &format!("{chapter_text}.includes({QUESTION:?})"),
        "the chapter in the page",
    );
    dt.until(
        "!!document.getElementById('chapter').contentDocument.querySelector('link[href=\"/_/pages.css\"]')",
        "the page numbers' style sheet",
    );
    // The print page numbers of the page list are drawn in the chapter.
    dt.until(
        "getComputedStyle(document.getElementById('chapter').contentDocument.querySelector('[role=doc-pagebreak]'), '::after').content.includes('p. ')",
        "the print page numbers",
    );
    // The view switch sets the chapter's width.
    let width = "document.getElementById('chapter').clientWidth";
    dt.eval("document.querySelector('button[data-view=tablet]').click()");
    dt.until(&format!("{width} === 820"), "the tablet view");
    dt.eval("document.querySelector('button[data-view=print]').click()");
    dt.until(&format!("{width} === 0"), "the print view (the PDF alone)");
    dt.eval("document.querySelector('button[data-view=phone]').click()");
    dt.until(&format!("{width} === 390"), "the phone view");
    // The PDF's first page drawn beside the chapter.
    dt.until(
        "(() => { const img = document.querySelector('#pdf img'); return !!img && img.complete && img.naturalWidth > 0; })()",
        "the PDF's first page",
    );

    // Scrolled into the chapter, as an editor reading along would be.
    // Print page 6 at the top of the chapter's view…
    let y = dt.eval(
        "(() => { const d = document.getElementById('chapter').contentDocument; d.getElementById('page_6').scrollIntoView(); return d.defaultView.scrollY; })()",
    );
    assert!(y.as_f64().is_some_and(|y| y > 0.0), "cannot scroll: {y}");
    // …brings the PDF's page numbered 6 (the seventh: the cover has no
    // number) to the top of the PDF pane.
    dt.until(
        "(() => { const pane = document.getElementById('pdf'); const img = pane.querySelectorAll('img')[6]; return img.dataset.number === '6' && Math.abs(pane.scrollTop - img.offsetTop) <= 1; })()",
        "the PDF following the chapter",
    );
    let (id, top) = place(&mut dt);

    let t = Instant::now();
    s.edit(QUESTION, EDITED);
    dt.until(
        &format!("{chapter_text}.includes({EDITED:?})"),
        "the edited question",
    );
    let seen = t.elapsed();
    eprintln!(
        "chromium: the edited question in the page after {} ms (budget {} ms: {})",
        seen.as_millis(),
        BUDGET.as_millis(),
        if seen <= BUDGET { "within" } else { "over" }
    );
    // The element read before the edit is back where it was in the view.
    dt.until(
        &format!(
            "Math.abs(document.getElementById('chapter').contentDocument.getElementById({id:?}).getBoundingClientRect().top - {top}) <= 2"
        ),
        "the place kept",
    );

    s.edit(SENTENCE, &format!("{SENTENCE}[^nowhere]"));
    let messages = "document.getElementById('messages')";
    dt.until(
        &format!("!{messages}.hidden && {messages}.innerText.includes('error[note-undefined]') && {messages}.innerText.includes('interview.md:24:55')"),
        "the diagnostic",
    );
    // For the picture: the PDF's page beside the chapter drawn.
    dt.until(
        "(() => { const img = document.querySelectorAll('#pdf img')[6]; return img.complete && img.naturalWidth > 0; })()",
        "the PDF's page numbered 6",
    );
    screenshot(&mut dt);
    assert_eq!(
        dt.eval(&format!("{chapter_text}.includes({EDITED:?})")),
        true,
        "the last good preview stays under the diagnostic"
    );
    s.edit(&format!("{SENTENCE}[^nowhere]"), SENTENCE);
    dt.until(&format!("{messages}.hidden"), "the diagnostic going");

    // Reading another document (the title page), a save of the chapter's
    // file brings the chapter up.
    let frame_url = "document.getElementById('chapter').contentDocument.URL";
    dt.eval(
        "(() => { const s = document.getElementById('chapter-select'); s.value = 'EPUB/titlepage.xhtml'; s.dispatchEvent(new Event('change')); })()",
    );
    dt.until(
        &format!("{frame_url}.endsWith('/titlepage.xhtml')"),
        "the title page",
    );
    s.edit(EDITED, QUESTION);
    dt.until(
        &format!(
            "{frame_url}.endsWith('/text/interview.xhtml') && {chapter_text}.includes({QUESTION:?})"
        ),
        "the edited chapter brought up",
    );
}
