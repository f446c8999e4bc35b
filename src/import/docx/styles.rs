//! `word/styles.xml` and `word/numbering.xml`: what a paragraph's style
//! makes it (title, heading, quotation, list), the bold and italic a style
//! gives its runs, the document's language, and whether a list is numbered.

use super::out::Role;
use super::xml::{El, Ns};
use std::collections::HashMap;

/// Run formatting, as far as the importer keeps it; `None` is "inherit".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunProps {
    pub bold: Option<bool>,
    pub italic: Option<bool>,
}

impl RunProps {
    /// `self` over `base`.
    pub fn over(self, base: RunProps) -> RunProps {
        RunProps {
            bold: self.bold.or(base.bold),
            italic: self.italic.or(base.italic),
        }
    }
}

/// A `w:b`-like toggle: on unless `w:val` says off.
pub fn toggle(e: &El) -> bool {
    !matches!(e.attr(Ns::W, "val"), Some("0" | "false" | "off" | "none"))
}

/// The bold and italic of a `w:rPr`.
pub fn run_props(rpr: Option<&El>) -> RunProps {
    let Some(rpr) = rpr else {
        return RunProps::default();
    };
    RunProps {
        bold: rpr.child(Ns::W, "b").map(toggle),
        italic: rpr.child(Ns::W, "i").map(toggle),
    }
}

#[derive(Debug, Clone, Default)]
struct Style {
    name: String,
    based_on: Option<String>,
    outline: Option<u8>,
    run: RunProps,
}

#[derive(Debug, Default)]
pub struct Styles {
    styles: HashMap<String, Style>,
    /// The default paragraph style's id.
    default_para: Option<String>,
    /// The document's language (`w:docDefaults`).
    pub lang: Option<String>,
}

impl Styles {
    pub fn parse(root: Option<&El>) -> Styles {
        let mut out = Styles::default();
        let Some(root) = root else {
            return out;
        };
        out.lang = root
            .child(Ns::W, "docDefaults")
            .and_then(|d| d.find(Ns::W, "lang"))
            .and_then(|l| l.attr(Ns::W, "val"))
            .map(str::to_string);
        for s in root.els().filter(|e| e.is(Ns::W, "style")) {
            let Some(id) = s.attr(Ns::W, "styleId") else {
                continue;
            };
            if s.attr(Ns::W, "type") == Some("paragraph")
                && s.attr(Ns::W, "default")
                    .is_some_and(|d| d == "1" || d == "true")
            {
                out.default_para = Some(id.to_string());
            }
            let val = |name: &str| {
                s.child(Ns::W, name)
                    .and_then(|e| e.attr(Ns::W, "val"))
                    .map(str::to_string)
            };
            let outline = s
                .child(Ns::W, "pPr")
                .and_then(|p| p.child(Ns::W, "outlineLvl"))
                .and_then(|o| o.attr(Ns::W, "val"))
                .and_then(|v| v.parse::<u8>().ok());
            out.styles.insert(
                id.to_string(),
                Style {
                    name: val("name").unwrap_or_else(|| id.to_string()),
                    based_on: val("basedOn"),
                    outline,
                    run: run_props(s.child(Ns::W, "rPr")),
                },
            );
        }
        out
    }

    /// The chain of a style and the styles it is based on (at most 16).
    fn chain(&self, id: Option<&str>) -> Vec<&Style> {
        let mut out = Vec::new();
        let mut id = id.or(self.default_para.as_deref()).map(str::to_string);
        while let Some(i) = id {
            let Some(s) = self.styles.get(&i) else { break };
            out.push(s);
            if out.len() >= 16 {
                break;
            }
            id = s.based_on.clone();
        }
        out
    }

    /// The run formatting a style (paragraph or character) gives.
    pub fn run(&self, id: Option<&str>) -> RunProps {
        if id.is_none() {
            return RunProps::default();
        }
        self.chain(id)
            .iter()
            .fold(RunProps::default(), |acc, s| acc.over(s.run))
    }

    /// What a paragraph of style `id` is, by the style's name (English
    /// names are what Word stores for its built-in styles, whatever the
    /// interface language) or its outline level.
    pub fn role(&self, id: Option<&str>) -> Role {
        for s in self.chain(id) {
            let name = s.name.to_ascii_lowercase().replace(' ', "");
            if let Some(r) = role_of_name(&name) {
                return r;
            }
            if let Some(level) = s.outline.filter(|&l| l < 9) {
                return Role::Heading(level + 1);
            }
        }
        Role::Body
    }
}

/// The role a style's name gives (lowercase, without spaces).
pub fn role_of_name(name: &str) -> Option<Role> {
    Some(match name {
        "title" => Role::Title,
        "caption" | "figure" | "illustration" => Role::Caption,
        "subtitle" => Role::Subtitle,
        "quote" | "intensequote" | "blocktext" | "quotations" | "quotation" => Role::Quote,
        "listbullet" | "listbullet2" | "listbullet3" | "list" => Role::ListItem { ordered: false },
        "listnumber" | "listnumber2" | "listnumber3" => Role::ListItem { ordered: true },
        _ => {
            let level = name.strip_prefix("heading")?.parse::<u8>().ok()?;
            if !(1..=9).contains(&level) {
                return None;
            }
            Role::Heading(level)
        }
    })
}

/// `word/numbering.xml`: which lists are numbered.
#[derive(Debug, Default)]
pub struct Numbering {
    /// (numId, level) → numbered.
    ordered: HashMap<(String, u8), bool>,
}

impl Numbering {
    pub fn parse(root: Option<&El>) -> Numbering {
        let mut out = Numbering::default();
        let Some(root) = root else {
            return out;
        };
        let mut abstracts: HashMap<String, HashMap<u8, bool>> = HashMap::new();
        for a in root.els().filter(|e| e.is(Ns::W, "abstractNum")) {
            let Some(id) = a.attr(Ns::W, "abstractNumId") else {
                continue;
            };
            let levels = a
                .els()
                .filter(|l| l.is(Ns::W, "lvl"))
                .filter_map(|l| {
                    let ilvl = l.attr(Ns::W, "ilvl")?.parse::<u8>().ok()?;
                    let fmt = l
                        .child(Ns::W, "numFmt")
                        .and_then(|f| f.attr(Ns::W, "val"))
                        .unwrap_or("decimal");
                    Some((ilvl, !matches!(fmt, "bullet" | "none")))
                })
                .collect();
            abstracts.insert(id.to_string(), levels);
        }
        for n in root.els().filter(|e| e.is(Ns::W, "num")) {
            let (Some(id), Some(abs)) = (
                n.attr(Ns::W, "numId"),
                n.child(Ns::W, "abstractNumId")
                    .and_then(|a| a.attr(Ns::W, "val")),
            ) else {
                continue;
            };
            if let Some(levels) = abstracts.get(abs) {
                for (&l, &o) in levels {
                    out.ordered.insert((id.to_string(), l), o);
                }
            }
        }
        out
    }

    /// Whether list `num_id` at `level` is numbered (bullets when unknown).
    pub fn is_ordered(&self, num_id: &str, level: u8) -> bool {
        self.ordered
            .get(&(num_id.to_string(), level))
            .copied()
            .unwrap_or(false)
    }
}
