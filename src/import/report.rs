//! What the importer decided, for the editor (text) and for machines (JSON).
//!
//! Every line or element that was dropped, joined or kept with doubt is
//! listed with its line in the input and the reason, so nothing is lost
//! silently.

use serde::Serialize;

/// One line or element of the input and what was done with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// 1-based line in the input (for HTML, the line of the element's start tag).
    pub line: u32,
    /// The text, in full.
    pub text: String,
    /// Why it was dropped or is doubtful, in words.
    pub reason: String,
}

/// A recognised element with its line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    pub line: u32,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoteItem {
    /// The number in the book (by first reference).
    pub number: u32,
    /// Line of the note's text.
    pub line: u32,
    /// Line of the first reference in the text.
    pub referenced_at: u32,
    pub text: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The input file as named on the command line.
    pub input: String,
    /// `text`, `html`, `docx` or `odt`.
    pub format: String,
    /// How the input was laid out: "one paragraph per line", "hard-wrapped
    /// at N characters", or "web page".
    pub layout: String,
    pub title: String,
    pub standfirst: Option<String>,
    pub interviewees: Vec<String>,
    pub interviewer: Option<String>,
    pub date: Option<String>,
    pub language: String,
    /// Whether the language was guessed (not given with `--lang` or by the page).
    pub language_guessed: bool,
    pub questions: Vec<Item>,
    pub answer_paragraphs: usize,
    /// Paragraphs before the first question.
    pub intro_paragraphs: usize,
    pub pull_quotes: Vec<Item>,
    pub endnotes: Vec<NoteItem>,
    pub bio: Option<Item>,
    /// Lines joined to the line before (a sentence broken across two lines).
    pub joined: Vec<Entry>,
    /// Lines and elements left out.
    pub dropped: Vec<Entry>,
    /// Kept, but the importer is not sure of its role: worth a look.
    pub unsure: Vec<Entry>,
    /// Files written (empty with `--dry-run`).
    pub written: Vec<String>,
}

impl Report {
    pub fn drop(&mut self, line: u32, text: impl Into<String>, reason: impl Into<String>) {
        self.dropped.push(Entry {
            line,
            text: text.into(),
            reason: reason.into(),
        });
    }

    pub fn unsure(&mut self, line: u32, text: impl Into<String>, reason: impl Into<String>) {
        self.unsure.push(Entry {
            line,
            text: text.into(),
            reason: reason.into(),
        });
    }

    /// Orders the lists by line, so the report reads like the input.
    pub fn sort(&mut self) {
        for list in [&mut self.dropped, &mut self.unsure, &mut self.joined] {
            list.sort_by_key(|e| e.line);
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".into())
    }

    /// The report for people: a summary, then each list, one line per entry.
    pub fn to_text(&self) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        let kind = match self.format.as_str() {
            "html" => "saved web page",
            "docx" => "Word document",
            "odt" => "OpenDocument text",
            _ => "plain text",
        };
        let _ = writeln!(s, "imported: {} ({kind}, {})", self.input, self.layout);
        let _ = writeln!(s, "title: {}", self.title);
        match &self.standfirst {
            Some(t) => {
                let _ = writeln!(s, "standfirst: {}", short(t, 90));
            }
            None => s.push_str("standfirst: none found\n"),
        }
        if self.interviewees.is_empty() {
            s.push_str("interviewee: not found (add `interviewee:` to the front matter)\n");
        } else {
            let _ = writeln!(s, "interviewee: {}", self.interviewees.join(", "));
        }
        if let Some(i) = &self.interviewer {
            let _ = writeln!(s, "interviewer: {i}");
        }
        if let Some(d) = &self.date {
            let _ = writeln!(s, "date: {d}");
        }
        let _ = writeln!(
            s,
            "language: {}{}",
            self.language,
            if self.language_guessed {
                " (guessed; set it with --lang)"
            } else {
                ""
            }
        );
        let _ = writeln!(s, "questions: {}", self.questions.len());
        for q in &self.questions {
            let _ = writeln!(s, "  line {:>4}  {}", q.line, short(&q.text, 80));
        }
        let _ = writeln!(
            s,
            "answer paragraphs: {}{}",
            self.answer_paragraphs,
            if self.intro_paragraphs > 0 {
                format!(" (and {} before the first question)", self.intro_paragraphs)
            } else {
                String::new()
            }
        );
        let _ = writeln!(s, "pull quotes: {}", self.pull_quotes.len());
        for q in &self.pull_quotes {
            let _ = writeln!(s, "  line {:>4}  {}", q.line, short(&q.text, 80));
        }
        let _ = writeln!(s, "endnotes: {}", self.endnotes.len());
        for n in &self.endnotes {
            let _ = writeln!(
                s,
                "  {:>2}  line {:>4}, referenced at line {}: {}",
                n.number,
                n.line,
                n.referenced_at,
                short(&n.text, 60)
            );
        }
        match &self.bio {
            Some(b) => {
                let _ = writeln!(s, "bio: line {}  {}", b.line, short(&b.text, 80));
            }
            None => s.push_str("bio: none found\n"),
        }
        for (label, list) in [
            ("joined", &self.joined),
            ("dropped", &self.dropped),
            ("unsure (kept; please check)", &self.unsure),
        ] {
            let _ = writeln!(s, "{label}: {}", list.len());
            for e in list {
                let _ = writeln!(
                    s,
                    "  line {:>4}  {}  [{}]",
                    e.line,
                    short(&e.text, 60),
                    e.reason
                );
            }
        }
        if !self.written.is_empty() {
            let _ = writeln!(s, "wrote: {}", self.written.join(", "));
        }
        s
    }
}

/// The first `max` characters of `t` on one line, with an ellipsis if cut.
pub fn short(t: &str, max: usize) -> String {
    let one: String = t.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() <= max {
        return one;
    }
    let mut out: String = one.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}
