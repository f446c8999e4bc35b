//! Answering one request. Only GET and HEAD, only the preview's own pages
//! and the files of the last good build, looked up by their exact names in
//! memory: a path with `..`, `%2e%2e` or anything else that is not one of
//! those names is simply not found, and nothing is read from disk.

use super::{Shared, page, preview};
use std::io::Write;
use std::time::Duration;
use tiny_http::{Header, Method, Request, Response, StatusCode};

/// How often an idle event stream sends a comment, which is also how a
/// closed page is noticed and its thread ended.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

pub fn answer(request: Request, shared: &Shared) {
    if !matches!(request.method(), Method::Get | Method::Head) {
        let r =
            text(405, "only GET and HEAD are served\n").with_header(header("Allow", "GET, HEAD"));
        let _ = request.respond(r);
        return;
    }
    let path = request
        .url()
        .split(['?', '#'])
        .next()
        .unwrap_or("")
        .to_string();
    if path == "/_/events" {
        events(request, shared);
        return;
    }
    let (status, preview) = shared.snapshot();
    let found: Option<(&str, Vec<u8>)> = match path.as_str() {
        "/" => Some((
            "text/html; charset=utf-8",
            page::index(&status, preview.as_deref()).into_bytes(),
        )),
        "/_/status" => Some((
            "application/json",
            serde_json::to_vec(&status).unwrap_or_default(),
        )),
        "/_/preview.js" => Some((
            "text/javascript; charset=utf-8",
            include_bytes!("assets/preview.js").to_vec(),
        )),
        "/_/preview.css" => Some((
            "text/css; charset=utf-8",
            include_bytes!("assets/preview.css").to_vec(),
        )),
        "/_/pages.css" => Some((
            "text/css; charset=utf-8",
            include_bytes!("assets/pages.css").to_vec(),
        )),
        "/book.pdf" => preview.as_ref().map(|p| ("application/pdf", p.pdf.clone())),
        _ if path.starts_with("/pdf/") => page_number(&path).and_then(|n| {
            let png = super::pages::png(&preview.as_ref()?.pdf, n)?;
            Some(("image/png", png))
        }),
        _ => path.strip_prefix("/epub/").and_then(|name| {
            let p = preview.as_ref()?;
            let bytes = p.epub.get(name)?;
            Some((preview::media_type(name), bytes.clone()))
        }),
    };
    let response = match found {
        Some((media_type, bytes)) => Response::from_data(bytes)
            .with_header(header("Content-Type", media_type))
            .with_header(header("Cache-Control", "no-store"))
            .with_header(header("X-Content-Type-Options", "nosniff")),
        None => text(404, "not found\n"),
    };
    let _ = request.respond(response);
}

/// `N` of `/pdf/N.png`, digits only.
fn page_number(path: &str) -> Option<usize> {
    let n = path.strip_prefix("/pdf/")?.strip_suffix(".png")?;
    if n.is_empty() || n.len() > 6 || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    n.parse().ok()
}

fn text(code: u16, body: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    Response::from_string(body)
        .with_status_code(StatusCode(code))
        .with_header(header("Content-Type", "text/plain; charset=utf-8"))
}

fn header(name: &str, value: &str) -> Header {
    // Both are this file's constants, always valid ASCII.
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("a valid header")
}

/// The stream of rebuilds: the current status at once, then one event per
/// rebuild. tiny_http's responses are buffered whole or in chunks, so the
/// stream writes its own head on the raw connection and flushes each event.
fn events(request: Request, shared: &Shared) {
    let head_only = *request.method() == Method::Head;
    let mut w = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
    if w.write_all(head.as_bytes()).is_err() || w.flush().is_err() || head_only {
        return;
    }
    let (mut status, _) = shared.snapshot();
    loop {
        let event = format!(
            "retry: 500\nevent: build\ndata: {}\n\n",
            serde_json::to_string(&status).unwrap_or_default()
        );
        if w.write_all(event.as_bytes()).is_err() || w.flush().is_err() {
            return;
        }
        loop {
            let next = shared.wait_after(status.generation, KEEP_ALIVE);
            if next.generation > status.generation {
                status = next;
                break;
            }
            if w.write_all(b": waiting\n\n").is_err() || w.flush().is_err() {
                return;
            }
        }
    }
}
