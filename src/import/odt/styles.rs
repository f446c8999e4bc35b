//! OpenDocument styles (named ones in `styles.xml`, automatic ones in
//! `content.xml`): the role of a paragraph style, the bold, italic,
//! position and language a style gives text, and which lists are numbered.

use crate::import::docx::out::Role;
use crate::import::docx::styles::role_of_name;
use crate::import::docx::xml::{El, Ns};
use std::collections::HashMap;

#[derive(Debug, Clone, Default)]
struct Style {
    display: String,
    parent: Option<String>,
    bold: Option<bool>,
    italic: Option<bool>,
    /// +1 superscript, -1 subscript.
    position: Option<i8>,
    lang: Option<String>,
}

/// Text formatting a style resolves to.
pub type TextProps = crate::import::docx::out::Marks;

#[derive(Debug, Default)]
pub struct Styles {
    /// (family, name) → style.
    styles: HashMap<(String, String), Style>,
    /// List style name → numbered at its first level.
    lists: HashMap<String, bool>,
    /// The default paragraph style's language.
    pub lang: Option<String>,
}

impl Styles {
    /// Adds the styles under `root` (a `styles.xml` or `content.xml`).
    pub fn add(&mut self, root: &El) {
        for holder in root.els().filter(|e| {
            e.is(Ns::Office, "styles")
                || e.is(Ns::Office, "automatic-styles")
                || e.is(Ns::Office, "master-styles")
        }) {
            for s in holder.els() {
                if s.is(Ns::Style, "default-style")
                    && s.attr(Ns::Style, "family") == Some("paragraph")
                    && let Some(l) = lang_of(s)
                {
                    self.lang = Some(l);
                }
                if s.is(Ns::Text, "list-style") {
                    if let Some(name) = s.attr(Ns::Style, "name") {
                        let ordered = s
                            .els()
                            .next()
                            .is_some_and(|l| l.is(Ns::Text, "list-level-style-number"));
                        self.lists.insert(name.to_string(), ordered);
                    }
                    continue;
                }
                if !s.is(Ns::Style, "style") {
                    continue;
                }
                let (Some(name), Some(family)) =
                    (s.attr(Ns::Style, "name"), s.attr(Ns::Style, "family"))
                else {
                    continue;
                };
                let tp = s.child(Ns::Style, "text-properties");
                let bold = tp
                    .and_then(|t| t.attr(Ns::Fo, "font-weight"))
                    .map(|w| w == "bold" || w.parse::<u32>().is_ok_and(|n| n >= 600));
                let italic = tp
                    .and_then(|t| t.attr(Ns::Fo, "font-style"))
                    .map(|w| w == "italic" || w == "oblique");
                let position = tp
                    .and_then(|t| t.attr(Ns::Style, "text-position"))
                    .map(|p| {
                        let first = p.split_whitespace().next().unwrap_or("0");
                        if first == "super"
                            || first
                                .trim_end_matches('%')
                                .parse::<f32>()
                                .is_ok_and(|v| v > 0.0)
                        {
                            1
                        } else if first == "sub"
                            || first
                                .trim_end_matches('%')
                                .parse::<f32>()
                                .is_ok_and(|v| v < 0.0)
                        {
                            -1
                        } else {
                            0
                        }
                    });
                self.styles.insert(
                    (family.to_string(), name.to_string()),
                    Style {
                        display: s
                            .attr(Ns::Style, "display-name")
                            .unwrap_or(name)
                            .to_string(),
                        parent: s.attr(Ns::Style, "parent-style-name").map(str::to_string),
                        bold,
                        italic,
                        position,
                        lang: tp.and_then(|_| lang_of(s)),
                    },
                );
            }
        }
    }

    fn chain(&self, family: &str, name: Option<&str>) -> Vec<&Style> {
        let mut out = Vec::new();
        let mut name = name.map(str::to_string);
        while let Some(n) = name {
            let Some(s) = self.styles.get(&(family.to_string(), n)) else {
                break;
            };
            out.push(s);
            if out.len() >= 16 {
                break;
            }
            name = s.parent.clone();
        }
        out
    }

    /// A paragraph style's role.
    pub fn role(&self, name: Option<&str>) -> Role {
        for s in self.chain("paragraph", name) {
            let n = s.display.to_ascii_lowercase().replace([' ', '_'], "");
            let n = n.replace("20", "");
            if let Some(r) = role_of_name(&n) {
                return r;
            }
        }
        Role::Body
    }

    /// The formatting of text in a style of `family`, over `base`.
    pub fn text(&self, family: &str, name: Option<&str>, base: TextProps) -> TextProps {
        let chain = self.chain(family, name);
        let bold = chain.iter().find_map(|s| s.bold).unwrap_or(base.bold);
        let italic = chain.iter().find_map(|s| s.italic).unwrap_or(base.italic);
        let pos = chain.iter().find_map(|s| s.position);
        TextProps {
            bold,
            italic,
            sup: pos.map_or(base.sup, |p| p > 0),
            sub: pos.map_or(base.sub, |p| p < 0),
        }
    }

    /// The language a text style sets, if any.
    pub fn lang(&self, family: &str, name: Option<&str>) -> Option<String> {
        self.chain(family, name).iter().find_map(|s| s.lang.clone())
    }

    /// Whether a list style numbers its items.
    pub fn list_ordered(&self, name: Option<&str>) -> bool {
        name.and_then(|n| self.lists.get(n))
            .copied()
            .unwrap_or(false)
    }
}

/// `fo:language`-`fo:country` of a style's text properties.
fn lang_of(s: &El) -> Option<String> {
    let tp = s.child(Ns::Style, "text-properties")?;
    let lang = tp
        .attr(Ns::Fo, "language")
        .filter(|l| *l != "zxx" && *l != "none")?;
    Some(match tp.attr(Ns::Fo, "country").filter(|c| *c != "none") {
        Some(c) => format!("{lang}-{c}"),
        None => lang.to_string(),
    })
}
