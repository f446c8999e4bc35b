//! Headless Chromium driven over the DevTools protocol (a WebSocket,
//! `tungstenite`): start it on a page, evaluate JavaScript there, wait for
//! a condition, take a screenshot. Shared by the tests of `qalam serve`
//! and of the EPUB in a reading engine.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// How long Chromium may take to start and open its DevTools port.
const START: Duration = Duration::from_secs(30);

/// Debian's chromium, or one on the `PATH`.
pub fn chromium() -> Option<PathBuf> {
    let fixed = Path::new("/usr/bin/chromium");
    if fixed.is_file() {
        return Some(fixed.to_path_buf());
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join("chromium"))
            .find(|p| p.is_file())
    })
}

/// A headless Chromium with a profile of its own, stopped when dropped.
pub struct Browser {
    child: Child,
    profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Chromium's list of targets. Its DevTools server answers HTTP/1.1 only
/// and keeps the connection open, so the body is read to its length.
fn devtools_list(addr: &str) -> std::io::Result<String> {
    let mut s = BufReader::new(TcpStream::connect(addr)?);
    s.get_mut().set_read_timeout(Some(START))?;
    write!(
        s.get_mut(),
        "GET /json/list HTTP/1.1\r\nHost: {addr}\r\n\r\n"
    )?;
    let mut length = 0;
    loop {
        let mut line = String::new();
        if s.read_line(&mut line)? == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; length];
    s.read_exact(&mut body)?;
    Ok(String::from_utf8_lossy(&body).into_owned())
}

/// Starts Chromium (`exe`) on `url` in a window of `width` x `height`
/// pixels and connects to that page.
pub fn open(exe: &Path, url: &str, (width, height): (u32, u32)) -> (Browser, Devtools) {
    let profile = tempfile::tempdir().unwrap();
    let child = std::process::Command::new(exe)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
            "--remote-debugging-port=0",
        ])
        .arg(format!("--window-size={width},{height}"))
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(url)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    let browser = Browser { child, profile };
    // With port 0 Chromium writes the port it chose here.
    let port_file = browser.profile.path().join("DevToolsActivePort");
    let t = Instant::now();
    let port = loop {
        if let Some(p) = std::fs::read_to_string(&port_file)
            .ok()
            .and_then(|s| s.lines().next().and_then(|l| l.trim().parse::<u16>().ok()))
        {
            break p;
        }
        assert!(t.elapsed() < START, "Chromium opened no DevTools port");
        std::thread::sleep(Duration::from_millis(50));
    };
    let devtools = format!("127.0.0.1:{port}");
    let ws = loop {
        let list = devtools_list(&devtools).unwrap_or_default();
        let targets: serde_json::Value = serde_json::from_str(&list).unwrap_or_default();
        let page = targets.as_array().and_then(|a| {
            a.iter().find(|t| {
                t["type"] == "page" && t["url"].as_str().is_some_and(|u| u.starts_with(url))
            })
        });
        if let Some(ws) = page.and_then(|p| p["webSocketDebuggerUrl"].as_str()) {
            break ws.to_string();
        }
        assert!(t.elapsed() < START, "no page target in {list}");
        std::thread::sleep(Duration::from_millis(50));
    };
    let (socket, _) = tungstenite::connect(ws.as_str()).expect("DevTools WebSocket");
    let devtools = Devtools {
        socket,
        next_id: 0,
        limit: Duration::from_secs(10),
    };
    (browser, devtools)
}

/// Chromium's DevTools protocol over its WebSocket.
pub struct Devtools {
    socket: tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<TcpStream>>,
    next_id: u64,
    /// How long [`Devtools::until`] waits before it fails.
    pub limit: Duration,
}

impl Devtools {
    /// The value of `expression` in the page.
    pub fn eval(&mut self, expression: &str) -> serde_json::Value {
        let params = serde_json::json!({"expression": expression, "returnByValue": true});
        self.call("Runtime.evaluate", params)["result"]["value"].clone()
    }

    /// The value `expression`'s promise resolves to; a rejection or an
    /// exception fails the test with its message.
    pub fn eval_async(&mut self, expression: &str) -> serde_json::Value {
        let params = serde_json::json!({
            "expression": expression, "returnByValue": true, "awaitPromise": true,
        });
        let r = self.call("Runtime.evaluate", params);
        assert!(
            r["exceptionDetails"].is_null(),
            "{expression}: {}",
            r["exceptionDetails"]
        );
        r["result"]["value"].clone()
    }

    /// One command and its result.
    pub fn call(&mut self, method: &str, params: serde_json::Value) -> serde_json::Value {
        self.next_id += 1;
        let id = self.next_id;
        let call = serde_json::json!({"id": id, "method": method, "params": params});
        self.socket
            .send(tungstenite::Message::text(call.to_string()))
            .unwrap();
        loop {
            let msg = self.socket.read().expect("a DevTools message");
            let Ok(text) = msg.to_text() else { continue };
            let v: serde_json::Value = serde_json::from_str(text).unwrap();
            if v["id"].as_u64() == Some(id) {
                assert!(v["error"].is_null(), "{method}: {}", v["error"]);
                return v["result"].clone();
            }
        }
    }

    /// Evaluates `expression` until it is true; how long that took.
    pub fn until(&mut self, expression: &str, what: &str) -> Duration {
        let t = Instant::now();
        while self.eval(expression) != serde_json::Value::Bool(true) {
            assert!(
                t.elapsed() < self.limit,
                "{what}: not seen within {:?}",
                self.limit
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        t.elapsed()
    }

    /// A PNG of the page as shown.
    pub fn screenshot(&mut self) -> Vec<u8> {
        let shot = self.call(
            "Page.captureScreenshot",
            serde_json::json!({"format": "png"}),
        );
        let png = data_encoding::BASE64
            .decode(shot["data"].as_str().unwrap_or_default().as_bytes())
            .expect("a base64 screenshot");
        assert!(png.starts_with(b"\x89PNG"), "not a PNG");
        png
    }
}
