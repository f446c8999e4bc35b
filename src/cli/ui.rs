//! What the command line prints: diagnostics and lines, at the verbosity
//! asked for, or kept for a batch build to show later.

use qalam::diag::{Diagnostics, SourceMap};

/// How chatty to be.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

/// See [`Ui::diagnostics`].
pub const MAX_SHOWN_PER_CODE: usize = 20;

pub struct Ui {
    pub verbosity: Verbosity,
    color: bool,
    /// Set for one book of a batch build: output is kept here, to be shown
    /// after the batch, instead of being interleaved with other books'.
    log: Option<std::sync::Mutex<String>>,
    /// Of `log`, what went to stderr: the book's messages, for reports.
    err_log: Option<std::sync::Mutex<String>>,
}

impl Ui {
    /// A Ui that prints (stdout, stderr), in colour when `color`.
    pub fn new(verbosity: Verbosity, color: bool) -> Self {
        Ui {
            verbosity,
            color,
            log: None,
            err_log: None,
        }
    }

    /// A Ui that keeps its output (uncoloured) for [`Ui::take_log`].
    pub fn captured(verbosity: Verbosity) -> Self {
        Ui {
            verbosity,
            color: false,
            log: Some(Default::default()),
            err_log: Some(Default::default()),
        }
    }

    /// The messages (errors, warnings) kept so far by a [`Ui::captured`].
    pub fn take_errors(&self) -> String {
        self.err_log
            .as_ref()
            .and_then(|l| l.lock().ok().map(|mut l| std::mem::take(&mut *l)))
            .unwrap_or_default()
    }

    /// The output kept so far by a [`Ui::captured`].
    pub fn take_log(&self) -> String {
        self.log
            .as_ref()
            .and_then(|l| l.lock().ok().map(|mut l| std::mem::take(&mut *l)))
            .unwrap_or_default()
    }

    /// Prints diagnostics (warnings unless quiet) to stderr.
    ///
    /// Of each kind (code), the first [`MAX_SHOWN_PER_CODE`] are shown and
    /// the rest counted (all with `--verbose`): a broken file can give
    /// thousands of the same message, which helps nobody.
    pub fn diagnostics(&self, diags: &Diagnostics, sources: &SourceMap) {
        let mut shown: Vec<(&str, usize)> = Vec::new();
        for d in diags {
            if self.verbosity == Verbosity::Quiet && !d.is_error() {
                continue;
            }
            let n = match shown.iter_mut().find(|(c, _)| *c == d.code) {
                Some((_, n)) => {
                    *n += 1;
                    *n
                }
                None => {
                    shown.push((d.code, 1));
                    1
                }
            };
            if n <= MAX_SHOWN_PER_CODE || self.verbosity == Verbosity::Verbose {
                self.err(&d.render(sources, self.color && self.log.is_none()));
            }
        }
        if self.verbosity != Verbosity::Verbose {
            for (code, n) in shown {
                if n > MAX_SHOWN_PER_CODE {
                    self.err(&format!(
                        "… and {} more [{code}] not shown (--verbose shows them all)\n",
                        n - MAX_SHOWN_PER_CODE
                    ));
                }
            }
        }
    }

    /// A line for stderr (errors and warnings of the command itself, shown
    /// even with --quiet), or for the log of a captured Ui.
    pub fn err_line(&self, line: impl AsRef<str>) {
        self.err(&format!("{}\n", line.as_ref()));
    }

    /// Text for stderr, or for the log of a captured Ui.
    fn err(&self, text: &str) {
        match &self.log {
            Some(log) => {
                for log in [Some(log), self.err_log.as_ref()].into_iter().flatten() {
                    if let Ok(mut log) = log.lock() {
                        log.push_str(text);
                    }
                }
            }
            None => eprint!("{text}"),
        }
    }

    fn line(&self, line: &str) {
        match &self.log {
            Some(log) => {
                if let Ok(mut log) = log.lock() {
                    log.push_str(line);
                    log.push('\n');
                }
            }
            None => println!("{line}"),
        }
    }

    /// A line of normal output (suppressed by --quiet).
    pub fn info(&self, line: impl AsRef<str>) {
        if self.verbosity >= Verbosity::Normal {
            self.line(line.as_ref());
        }
    }

    pub fn detail(&self, line: impl AsRef<str>) {
        if self.verbosity >= Verbosity::Verbose {
            self.line(line.as_ref());
        }
    }
}
