//! Word's footnotes and endnotes (`word/footnotes.xml`,
//! `word/endnotes.xml`) → the chapter's endnotes, numbered together in the
//! order the text refers to them; and the comments (`word/comments.xml`),
//! which are left out and listed in the report.

use super::body::Extras;
use super::xml::{El, Ns};
use super::{Doc, read_part};
use crate::diag::Diagnostic;
use crate::import::textutil::clean;
use std::collections::HashMap;

impl Doc<'_, '_> {
    /// Appends every note referred to, in order of first reference.
    pub(super) fn notes(&mut self) -> Result<(), Box<Diagnostic>> {
        if self.note_keys.is_empty() {
            return Ok(());
        }
        let mut parts: HashMap<bool, HashMap<String, El>> = HashMap::new();
        for (endnote, kind, el) in [
            (false, "footnotes", "footnote"),
            (true, "endnotes", "endnote"),
        ] {
            let target = self.rels.part(kind);
            let mut by_id = HashMap::new();
            if let Some(t) = target
                && let Some(root) = read_part(&mut self.pkg, &t, self.name)?
            {
                for n in root.els().filter(|e| e.is(Ns::W, el)) {
                    if let Some(id) = n.attr(Ns::W, "id")
                        && !matches!(
                            n.attr(Ns::W, "type"),
                            Some("separator" | "continuationSeparator" | "continuationNotice")
                        )
                    {
                        by_id.insert(id.to_string(), n.clone());
                    }
                }
            }
            parts.insert(endnote, by_id);
        }
        // A note may refer to another: keys are added while reading.
        let mut k = 0;
        while k < self.note_keys.len() {
            let (endnote, id) = self.note_keys[k].clone();
            let Some(note) = parts.get(&endnote).and_then(|m| m.get(&id)) else {
                let line = self.out.line();
                self.out.report.unsure(
                    line,
                    format!("{} {id}", if endnote { "endnote" } else { "footnote" }),
                    "the text refers to a note the document does not have",
                );
                k += 1;
                continue;
            };
            let mut paras = Vec::new();
            for p in note.find_all(Ns::W, "p") {
                let mut v = Vec::new();
                let mut extras = Extras::default();
                let line = self.out.line();
                self.note_inlines(p, line, &mut v, &mut extras);
                super::merge(&mut v);
                paras.push(v);
            }
            self.out.note(k as u32, paras);
            k += 1;
        }
        Ok(())
    }

    /// Lists the comments as dropped, at the paragraph each is anchored in.
    pub(super) fn comments(&mut self) -> Result<(), Box<Diagnostic>> {
        let target = self.rels.part("comments");
        let Some(t) = target else {
            return Ok(());
        };
        let Some(root) = read_part(&mut self.pkg, &t, self.name)? else {
            return Ok(());
        };
        for c in root.els().filter(|e| e.is(Ns::W, "comment")) {
            let id = c.attr(Ns::W, "id").unwrap_or("");
            let author = c.attr(Ns::W, "author").map(clean).unwrap_or_default();
            let text = c
                .find_all(Ns::W, "p")
                .iter()
                .map(|p| {
                    clean(
                        &p.find_all(Ns::W, "t")
                            .iter()
                            .map(|t| t.text())
                            .collect::<String>(),
                    )
                })
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            let line = self.comment_lines.get(id).copied().unwrap_or(1);
            let who = if author.is_empty() {
                String::new()
            } else {
                format!(" by {author}")
            };
            self.out.report.drop(
                line,
                text,
                format!("comment{who} (comments are not part of the text)"),
            );
        }
        Ok(())
    }
}
