//! `qalam serve`: a live preview of the book in the browser, through the
//! library's [`qalam::serve::Server`]; this file parses the arguments and
//! prints what the server says.

use super::Ui;
use qalam::serve::{ServeOptions, Server, Status};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The book folder (with book.toml)
    #[arg(default_value = ".")]
    pub book_dir: PathBuf,
    /// The port to serve on (0 picks a free one)
    #[arg(short, long, default_value_t = 3000)]
    pub port: u16,
    /// The address to serve on; anything but a loopback address lets other
    /// machines read the book
    #[arg(long, value_name = "ADDR", default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    pub bind: IpAddr,
    /// Open the preview in the default browser
    #[arg(long)]
    pub open: bool,
}

pub fn run(args: Args, ui: &Ui) -> ExitCode {
    if !args.book_dir.join("book.toml").is_file() {
        ui.err_line(format!(
            "error: {} has no book.toml; name a book folder (`qalam new` makes one)",
            args.book_dir.display()
        ));
        return ExitCode::from(2);
    }
    if !args.bind.is_loopback() {
        ui.err_line(format!(
            "warning: serving on {}: anyone who can reach this machine can read the book (the default, 127.0.0.1, serves only this machine)",
            args.bind
        ));
    }
    let opts = ServeOptions {
        book_dir: args.book_dir.clone(),
        addr: SocketAddr::new(args.bind, args.port),
        // Kept from one rebuild to the next: the paragraphs an edit did
        // not touch are not set again.
        build: qalam::build::BuildOptions {
            engine: std::sync::Arc::new(qalam::Engine::keeping_sets()),
            ..super::options::base_options().opts
        },
    };
    let server = match Server::bind(&opts) {
        Ok(s) => s,
        Err(e) => {
            ui.err_line(e.to_string());
            return ExitCode::from(2);
        }
    };
    let url = format!("http://{}/", server.addr());
    // Asked for, so shown even with --quiet: the one thing to know.
    println!(
        "serving {} at {url} (Ctrl-C stops)",
        args.book_dir.display()
    );
    if args.open {
        open_browser(&url, ui);
    }
    let verbosity = ui.verbosity;
    let quiet = verbosity == super::Verbosity::Quiet;
    let result = server.run(move |s: &Status| {
        // The same text the page shows, without colour.
        if !quiet || !s.ok {
            eprint!("{}", s.messages);
        }
        if !quiet {
            let changed = if s.changed.is_empty() {
                String::new()
            } else {
                format!(" after a change to {}", s.changed.join(", "))
            };
            println!(
                "{} in {:.1} ms{changed}: {} error(s), {} warning(s)",
                if s.ok { "rebuilt" } else { "not rebuilt" },
                s.took_ms,
                s.errors,
                s.warnings
            );
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            ui.err_line(e.to_string());
            ExitCode::from(2)
        }
    }
}

/// Hands the URL to the system's opener; a failure only costs a warning.
fn open_browser(url: &str, ui: &Ui) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let spawned = if cfg!(windows) {
        std::process::Command::new("cmd")
            .args(["/C", "start", "", url])
            .spawn()
    } else {
        std::process::Command::new(opener).arg(url).spawn()
    };
    if let Err(e) = spawned {
        ui.err_line(format!(
            "warning: could not open a browser ({e}); open {url} by hand"
        ));
    }
}
