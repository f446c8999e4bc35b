use super::Ui;
use qalam::diag::{Diagnostic, SourceMap};
use qalam::import::{toml_value, yaml_value};
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
    // The templates hold `{title}` and `{lang}`, replaced by quoted values.
    // `{lang}` first: the language is a checked tag, the title is anything
    // (it may itself contain "{lang}").
    let book_toml = include_str!("templates/book.toml")
        .replace("{lang}", &toml_value(lang))
        .replace("{title}", &toml_value(title));
    let chapter = include_str!("templates/interview.md").replace("{title}", &yaml_value(title));
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
