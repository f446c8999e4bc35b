//! `qalam check --print`: the printer's preflight of the built print PDF
//! (read back by the library's [`qalam::preflight`]), as a table or JSON.

use super::Ui;
use qalam::model::PdfSettings;
use qalam::preflight::Status;
use std::path::Path;

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Report {
    Table,
    Json,
}

/// Reads the built print PDF back and shows the preflight; false when a
/// printer would refuse it (or it cannot be read).
pub fn show(pdf: &Path, settings: &PdfSettings, report: Report, ui: &Ui) -> bool {
    let found = std::fs::read(pdf)
        .map_err(|e| qalam::diag::io_reason(&e))
        .and_then(|bytes| qalam::preflight::inspect(&bytes));
    let found = match found {
        Ok(f) => f,
        Err(e) => {
            ui.err_line(format!(
                "error: cannot read the print PDF back for the preflight: {e}"
            ));
            return false;
        }
    };
    let rows = found.rows(settings.warn_ppi, settings.min_ppi);
    match report {
        // Asked for, so printed even with --quiet.
        Report::Json => println!("{}", serde_json::json!({ "rows": rows, "figures": found })),
        Report::Table => {
            ui.info(format!(
                "preflight of {}:",
                pdf.file_name().unwrap_or_default().to_string_lossy()
            ));
            ui.info(qalam::preflight::render(&rows).trim_end());
            let count = |s: Status| rows.iter().filter(|r| r.status == s).count();
            ui.info(format!(
                "preflight: {} error(s), {} warning(s)",
                count(Status::Error),
                count(Status::Warning)
            ));
        }
    }
    !rows.iter().any(|r| r.status == Status::Error)
}
