use super::Ui;
use qalam::diag::{Diagnostic, SourceMap};
use qalam::source::quote::{toml_value, yaml_value};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Folder to create (must not exist, or be empty)
    pub dir: PathBuf,
    /// The book's title (default: from the folder name)
    #[arg(long)]
    pub title: Option<String>,
    /// The book's language, a BCP 47 tag such as en, ru or kk
    #[arg(long, default_value = "en")]
    pub lang: String,
}

pub fn run(args: Args, ui: &Ui) -> ExitCode {
    let dir = &args.dir;
    if dir.exists()
        && std::fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        let d = Diagnostic::error(
            "dir-not-empty",
            format!("{} already exists and is not empty", dir.display()),
        )
        .in_file(dir)
        .help("choose a new folder name; qalam new never overwrites files");
        ui.diagnostics(&d.into(), &SourceMap::new());
        return super::input_error();
    }
    if qalam::model::Lang::parse(&args.lang).is_none() {
        let d = Diagnostic::error(
            "bad-language",
            format!("`{}` is not a language tag", args.lang),
        )
        .help("use e.g. --lang en, ru or kk");
        ui.diagnostics(&d.into(), &SourceMap::new());
        return ExitCode::from(2);
    }
    let title = args.title.clone().unwrap_or_else(|| title_from_dir(dir));
    let result = write_project(dir, &title, &args.lang);
    match result {
        Ok(()) => {
            ui.info(format!(
                "created {}: book.toml, interview.md, images/",
                dir.display()
            ));
            ui.info(format!(
                "next: edit {}/interview.md, then run `qalam check {}`",
                dir.display(),
                dir.display()
            ));
            ExitCode::SUCCESS
        }
        Err(e) => {
            let d = Diagnostic::error(
                "cannot-create",
                format!("cannot create {}: {e}", dir.display()),
            )
            .in_file(dir)
            .help("check that the folder above it exists and can be written to");
            ui.diagnostics(&d.into(), &SourceMap::new());
            super::input_error()
        }
    }
}

fn title_from_dir(dir: &Path) -> String {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "Untitled".into());
    let words: Vec<String> = name
        .split(['-', '_', ' '])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect(),
                None => String::new(),
            }
        })
        .collect();
    if words.is_empty() {
        "Untitled".into()
    } else {
        words.join(" ")
    }
}

fn write_project(dir: &Path, title: &str, lang: &str) -> std::io::Result<()> {
    std::fs::create_dir_all(dir.join("images"))?;
    let book_toml = format!(
        r#"# The book: metadata, chapter order and output settings.
# Every key but `title` is optional; see the README for all of them.

[book]
title = {title}
# subtitle = "Conversations on …"
authors = ["Your Name"]
language = {lang}
# publisher = "…"
# date = "2025-01-31"
# rights = "© 2025 …"
# cover = "../covers/my-cover.jpg"   # without one, a typographic cover is made
chapters = ["interview.md"]

[pdf]
trim = "6in x 9in"
font-size = "10.5pt"

[epub]
toc-depth = 2   # list the questions in the table of contents
"#,
        title = toml_value(title),
        lang = toml_value(lang),
    );
    let chapter = format!(
        r#"---
title: {title}
standfirst: >
  One or two sentences that tell the reader who is speaking and why it matters.
interviewee: Interviewee Name
interviewer: Your Name
bio: |
  Interviewee Name is … (a short paragraph about the person interviewed).
---

## Your first question goes here, as a level-two heading?

The answer follows as ordinary paragraphs. Notes are written like this.[^source]

A second paragraph of the answer. A sentence worth repeating in large type
can be quoted below: qalam sees that it repeats the text and sets it as a pull
quote.

> A sentence worth repeating in large type can be quoted below.

## The next question?

Another answer.

[^source]: Where the fact comes from, e.g. <https://example.org/report>.
"#,
        title = yaml_value(title)
    );
    write_new(&dir.join("book.toml"), &book_toml)?;
    write_new(&dir.join("interview.md"), &chapter)?;
    Ok(())
}

fn write_new(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    f.write_all(text.as_bytes())
}
