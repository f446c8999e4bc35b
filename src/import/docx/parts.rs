//! The package's bookkeeping parts: relationships (which part or address
//! an `r:id` names) and the core properties (title, creator, date).

use super::xml::{El, Ns};
use std::collections::HashMap;

#[derive(Debug, Clone)]
pub struct Rel {
    /// The relationship's type, its last path segment (`image`, `hyperlink`).
    pub kind: String,
    pub target: String,
    pub external: bool,
}

/// A part's relationships by id.
#[derive(Debug, Default)]
pub struct Rels {
    pub by_id: HashMap<String, Rel>,
    /// In the order written, for the report.
    pub order: Vec<String>,
}

impl Rels {
    /// The relationships in the order written (deterministic, unlike the
    /// map's).
    pub fn in_order(&self) -> impl Iterator<Item = (&str, &Rel)> {
        self.order
            .iter()
            .filter_map(|id| self.by_id.get(id).map(|r| (id.as_str(), r)))
    }

    /// The first internal part of relationship type `kind`.
    pub fn part(&self, kind: &str) -> Option<String> {
        self.in_order()
            .find(|(_, r)| r.kind == kind && !r.external)
            .map(|(_, r)| r.target.clone())
    }

    /// Parses a `.rels` part; `dir` is the folder of the part it belongs
    /// to (`word`), against which internal targets resolve.
    pub fn parse(root: Option<&El>, dir: &str) -> Rels {
        let mut out = Rels::default();
        let Some(root) = root else {
            return out;
        };
        for r in root.els().filter(|e| e.name == "Relationship") {
            let (Some(id), Some(target)) = (r.attr(Ns::None, "Id"), r.attr(Ns::None, "Target"))
            else {
                continue;
            };
            let external = r.attr(Ns::None, "TargetMode") == Some("External");
            let kind = r
                .attr(Ns::None, "Type")
                .and_then(|t| t.rsplit('/').next())
                .unwrap_or("")
                .to_string();
            let target = if external {
                target.to_string()
            } else {
                resolve(dir, target)
            };
            out.order.push(id.to_string());
            out.by_id.insert(
                id.to_string(),
                Rel {
                    kind,
                    target,
                    external,
                },
            );
        }
        out
    }
}

/// A relative part name against the folder `dir`, `..` and `.` resolved;
/// an absolute one (`/word/media/x.png`) from the package root.
pub fn resolve(dir: &str, target: &str) -> String {
    let mut parts: Vec<&str> = if target.starts_with('/') {
        Vec::new()
    } else {
        dir.split('/').filter(|s| !s.is_empty()).collect()
    };
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// The core properties a book's metadata can use.
#[derive(Debug, Default, Clone)]
pub struct Core {
    pub title: Option<String>,
    pub creator: Option<String>,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    pub language: Option<String>,
}

/// The first `YYYY-MM-DD` of a W3CDTF date.
pub fn day(s: &str) -> Option<String> {
    let d = s.trim().get(..10)?;
    let ok = d.len() == 10
        && d.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    ok.then(|| d.to_string())
}

impl Core {
    /// `docProps/core.xml`, or an OpenDocument `meta.xml`'s `office:meta`.
    pub fn parse(root: Option<&El>) -> Core {
        let Some(root) = root else {
            return Core::default();
        };
        let text = |ns: Ns, name: &str| {
            root.find(ns, name)
                .map(|e| crate::import::textutil::clean(&e.text()))
                .filter(|t| !t.is_empty())
        };
        Core {
            title: text(Ns::Dc, "title"),
            creator: text(Ns::Dc, "creator").or_else(|| text(Ns::Meta, "initial-creator")),
            date: text(Ns::DcTerms, "created")
                .or_else(|| text(Ns::Meta, "creation-date"))
                .or_else(|| text(Ns::Dc, "date"))
                .and_then(|d| day(&d)),
            language: text(Ns::Dc, "language"),
        }
    }
}
