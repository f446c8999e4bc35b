//! One book of `qalam build`: skipped when up to date, otherwise built
//! through the library, with what the build says printed.

use super::Ui;
use super::options::{Args, Base};
use qalam::build::Project;
use qalam::catalogue::Status;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// What building one book came to.
pub struct Outcome {
    pub code: ExitCode,
    pub status: Status,
    pub outputs: Vec<PathBuf>,
    pub digest: Option<String>,
}

/// Builds the one book in `args.book_dir`, unless it is up to date.
pub fn build_book(args: &Args, ui: &Ui, base: &Base) -> Outcome {
    let started = Instant::now();
    let opts = args.options(&base.opts);
    if !args.force
        && let Some(fresh) = qalam::incremental::up_to_date(&args.book_dir, &opts, &base.toolchain)
    {
        ui.info(format!("{} is up to date", args.book_dir.display()));
        return Outcome {
            code: ExitCode::SUCCESS,
            status: Status::UpToDate,
            outputs: fresh.outputs,
            digest: Some(fresh.digest),
        };
    }
    build_project(args, ui, base, &Project::load(&args.book_dir), started)
}

/// Builds `project` as `args` say and prints what the build says;
/// `started` is when the reading began.
pub fn build_project(
    args: &Args,
    ui: &Ui,
    base: &Base,
    project: &Project,
    started: Instant,
) -> Outcome {
    let failed = |code| Outcome {
        code,
        status: Status::Failed,
        outputs: Vec::new(),
        digest: None,
    };
    ui.diagnostics(project.diagnostics(), project.sources());
    let Some(book) = project.book() else {
        let d = project.diagnostics();
        ui.err_line(format!(
            "{} error(s), {} warning(s): {} was not built (earlier outputs are left as they were)",
            d.error_count(),
            d.warning_count(),
            args.book_dir.display()
        ));
        return failed(super::input_error());
    };
    ui.detail(format!(
        "read {} ({} chapters) in {} ms",
        args.book_dir.display(),
        book.chapters.len(),
        started.elapsed().as_millis()
    ));
    let opts = args.options(&base.opts);
    match project.build(&opts) {
        Ok(report) => {
            ui.diagnostics(&report.diagnostics, project.sources());
            if let Some((pages, took)) = report.laid_out {
                ui.detail(format!("laid out {pages} pages in {} ms", took.as_millis()));
            }
            for note in &report.notes {
                ui.err_line(note);
            }
            for w in &report.written {
                ui.info(format!(
                    "wrote {} ({}) in {} ms",
                    w.path.display(),
                    human_size(w.size),
                    w.took.as_millis()
                ));
            }
            // The outputs are in place; without a record the next build
            // only builds again.
            let digest =
                qalam::incremental::record(project, &opts, &base.toolchain, &report.written)
                    .map_err(|e| ui.err_line(format!("warning: no build record kept: {e}")))
                    .ok();
            ui.detail(format!("done in {} ms", started.elapsed().as_millis()));
            Outcome {
                code: ExitCode::SUCCESS,
                status: Status::Built,
                outputs: report.written.into_iter().map(|w| w.path).collect(),
                digest,
            }
        }
        Err(failure) => {
            ui.diagnostics(&failure.diagnostics, project.sources());
            for note in &failure.notes {
                ui.err_line(note);
            }
            // A format that succeeded is kept when another failed.
            for w in &failure.written {
                ui.info(format!(
                    "wrote {} ({})",
                    w.path.display(),
                    human_size(w.size)
                ));
            }
            ui.err_line(failure.reason.to_string());
            failed(if failure.reason.is_usage() {
                ExitCode::from(2)
            } else {
                super::input_error()
            })
        }
    }
}

fn human_size(n: usize) -> String {
    if n >= 1_000_000 {
        format!("{:.1} MB", n as f64 / 1e6)
    } else {
        format!("{} KB", n.div_ceil(1000))
    }
}
