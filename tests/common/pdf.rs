//! A PDF read in-process with `lopdf`, so that the structural checks of
//! the tests (catalog, structure tree, outline, links, fonts, page boxes,
//! text) run on every machine; qpdf and poppler stay as validators on top
//! when they are installed.
//!
//! Every accessor panics with a message naming what is missing or
//! malformed: a PDF these helpers cannot read is a failed test.

use lopdf::{Dictionary, Document, Object, ObjectId};
use std::collections::BTreeMap;
use std::path::Path;

pub struct Pdf {
    pub doc: Document,
    pages: Vec<ObjectId>,
}

/// One structure element: its tag as written (`/S`), the tag after the
/// role map, and the attributes the tests look at.
#[derive(Debug, Clone)]
pub struct Elem {
    pub tag: String,
    pub role: String,
    pub lang: Option<String>,
    pub alt: Option<String>,
    pub depth: usize,
    /// Marked-content ids this element holds directly.
    pub mcids: usize,
}

/// An outline entry with the page (0-based) its destination is on.
#[derive(Debug, Clone)]
pub struct Outline {
    pub title: String,
    pub page: usize,
    pub kids: Vec<Outline>,
}

/// Where a link annotation goes.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    Named(String),
    Page(usize),
    Uri(String),
}

/// A font dictionary's facts that pdffonts prints.
#[derive(Debug, Clone)]
pub struct Font {
    pub name: String,
    pub subtype: String,
    pub embedded: bool,
    pub subset: bool,
    pub to_unicode: bool,
}

/// An image drawn on a page.
#[derive(Debug, Clone)]
pub struct Image {
    pub width: i64,
    pub height: i64,
    pub filters: Vec<String>,
}

fn name_of(o: &Object) -> String {
    String::from_utf8_lossy(o.as_name().expect("a name")).into_owned()
}

/// A text string (PDFDocEncoding, UTF-16BE or UTF-8 with its mark).
pub fn text(o: &Object) -> String {
    lopdf::decode_text_string(o).unwrap_or_else(|e| panic!("not a text string: {o:?}: {e}"))
}

impl Pdf {
    pub fn open(path: &Path) -> Pdf {
        let doc = Document::load(path)
            .unwrap_or_else(|e| panic!("lopdf cannot read {}: {e}", path.display()));
        let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
        assert!(!pages.is_empty(), "{} has no pages", path.display());
        Pdf { doc, pages }
    }

    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// Follows a reference (any depth) to the object it names.
    pub fn deref<'a>(&'a self, o: &'a Object) -> &'a Object {
        self.doc
            .dereference(o)
            .unwrap_or_else(|e| panic!("dangling reference {o:?}: {e}"))
            .1
    }

    pub fn dict<'a>(&'a self, o: &'a Object) -> &'a Dictionary {
        self.deref(o)
            .as_dict()
            .unwrap_or_else(|_| panic!("not a dictionary: {o:?}"))
    }

    pub fn get<'a>(&'a self, d: &'a Dictionary, key: &str) -> Option<&'a Object> {
        d.get(key.as_bytes()).ok().map(|o| self.deref(o))
    }

    pub fn catalog(&self) -> &Dictionary {
        self.doc.catalog().expect("the PDF has a catalog")
    }

    /// The document language (`/Lang` of the catalog).
    pub fn lang(&self) -> Option<String> {
        self.get(self.catalog(), "Lang").map(text)
    }

    /// `/MarkInfo << /Marked true >>`: the file says it is tagged.
    pub fn marked(&self) -> bool {
        self.get(self.catalog(), "MarkInfo")
            .and_then(|m| m.as_dict().ok())
            .and_then(|m| m.get(b"Marked").ok()?.as_bool().ok())
            .unwrap_or(false)
    }

    /// The document information dictionary's `key`.
    pub fn info(&self, key: &str) -> Option<String> {
        let info = self.doc.trailer.get(b"Info").ok()?;
        self.get(self.dict(info), key).map(text)
    }

    /// The XMP metadata stream of the catalog, as text.
    pub fn xmp(&self) -> Option<String> {
        let s = self.get(self.catalog(), "Metadata")?.as_stream().ok()?;
        let bytes = s
            .get_plain_content()
            .unwrap_or_else(|e| panic!("the XMP stream does not decode: {e}"));
        Some(String::from_utf8(bytes).expect("XMP is UTF-8"))
    }

    /// The index of a page object.
    pub fn page_index(&self, o: &Object) -> usize {
        let id = o
            .as_reference()
            .unwrap_or_else(|_| panic!("a page reference: {o:?}"));
        self.pages
            .iter()
            .position(|p| *p == id)
            .unwrap_or_else(|| panic!("{id:?} is not a page"))
    }

    pub fn page(&self, i: usize) -> &Dictionary {
        self.doc.get_dictionary(self.pages[i]).expect("page dict")
    }

    /// A page box (`MediaBox`, `TrimBox`, …), inherited from the page tree.
    pub fn page_box(&self, i: usize, key: &str) -> Option<[f32; 4]> {
        let mut d = self.page(i);
        loop {
            if let Some(b) = self.get(d, key) {
                let a = b.as_array().expect("a box is an array");
                let v: Vec<f32> = a
                    .iter()
                    .map(|n| self.deref(n).as_float().expect("a number"))
                    .collect();
                return Some([v[0], v[1], v[2], v[3]]);
            }
            d = self.dict(d.get(b"Parent").ok()?);
        }
    }

    /// The structure tree in reading order (pre-order), or `None` without
    /// a `/StructTreeRoot`.
    pub fn structure(&self) -> Option<Vec<Elem>> {
        let root = self.dict(self.catalog().get(b"StructTreeRoot").ok()?);
        let roles: BTreeMap<String, String> = self
            .get(root, "RoleMap")
            .and_then(|m| m.as_dict().ok())
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (String::from_utf8_lossy(k).into_owned(), name_of(v)))
                    .collect()
            })
            .unwrap_or_default();
        let mut out = Vec::new();
        if let Ok(k) = root.get(b"K") {
            self.walk_struct(k, 0, &roles, &mut out);
        }
        Some(out)
    }

    fn walk_struct(
        &self,
        k: &Object,
        depth: usize,
        roles: &BTreeMap<String, String>,
        out: &mut Vec<Elem>,
    ) {
        match self.deref(k) {
            Object::Array(a) => {
                for x in a {
                    self.walk_struct(x, depth, roles, out);
                }
            }
            Object::Dictionary(d) => {
                let Some(s) = self.get(d, "S") else {
                    // A marked-content or object reference.
                    if let Some(last) = out.last_mut()
                        && d.has(b"MCID")
                    {
                        last.mcids += 1;
                    }
                    return;
                };
                let tag = name_of(s);
                let mut role = tag.clone();
                let mut seen = 0;
                while let Some(r) = roles.get(&role) {
                    role = r.clone();
                    seen += 1;
                    assert!(seen < 16, "the role map loops at {tag}");
                }
                let at = out.len();
                out.push(Elem {
                    tag,
                    role,
                    lang: self.get(d, "Lang").map(text),
                    alt: self.get(d, "Alt").map(text),
                    depth,
                    mcids: 0,
                });
                if let Ok(kids) = d.get(b"K") {
                    match self.deref(kids) {
                        Object::Integer(_) => out[at].mcids += 1,
                        Object::Array(a) => {
                            for x in a {
                                if let Object::Integer(_) = x {
                                    out[at].mcids += 1;
                                } else {
                                    self.walk_struct(x, depth + 1, roles, out);
                                }
                            }
                        }
                        other => self.walk_struct(other, depth + 1, roles, out),
                    }
                }
            }
            _ => {}
        }
    }

    /// Named destinations (the catalog's `/Names /Dests` tree and the older
    /// `/Dests` dictionary): name -> page index.
    pub fn named_destinations(&self) -> BTreeMap<String, usize> {
        let mut out = BTreeMap::new();
        if let Some(names) = self.get(self.catalog(), "Names")
            && let Some(tree) = self.get(self.dict(names), "Dests")
        {
            self.walk_name_tree(self.dict(tree), &mut out);
        }
        if let Some(d) = self.get(self.catalog(), "Dests") {
            for (k, v) in self.dict(d).iter() {
                out.insert(String::from_utf8_lossy(k).into_owned(), self.dest_page(v));
            }
        }
        out
    }

    fn walk_name_tree(&self, node: &Dictionary, out: &mut BTreeMap<String, usize>) {
        if let Some(kids) = self.get(node, "Kids") {
            for k in kids.as_array().expect("name tree kids") {
                self.walk_name_tree(self.dict(k), out);
            }
        }
        if let Some(names) = self.get(node, "Names") {
            let a = names.as_array().expect("a name tree's names");
            assert!(a.len() % 2 == 0, "a name tree's names come in pairs");
            for pair in a.chunks(2) {
                out.insert(text(self.deref(&pair[0])), self.dest_page(&pair[1]));
            }
        }
    }

    /// The page of an explicit destination (`[page /XYZ …]` or `<< /D … >>`).
    fn dest_page(&self, d: &Object) -> usize {
        match self.deref(d) {
            Object::Array(a) => self.page_index(&a[0]),
            Object::Dictionary(x) => self.dest_page(x.get(b"D").expect("a destination's /D")),
            other => panic!("not an explicit destination: {other:?}"),
        }
    }

    fn target(&self, d: &Object) -> Target {
        match self.deref(d) {
            s @ Object::String(..) => Target::Named(text(s)),
            Object::Name(n) => Target::Named(String::from_utf8_lossy(n).into_owned()),
            other => Target::Page(self.dest_page(other)),
        }
    }

    /// Where a `/Dest` or a `/A` action of an outline item or link goes.
    fn goes_to(&self, d: &Dictionary) -> Option<Target> {
        if let Ok(dest) = d.get(b"Dest") {
            return Some(self.target(dest));
        }
        let a = self.dict(d.get(b"A").ok()?);
        match self.get(a, "S").map(name_of).as_deref() {
            Some("GoTo") => Some(self.target(a.get(b"D").expect("GoTo has /D"))),
            Some("URI") => Some(Target::Uri(
                String::from_utf8_lossy(self.get(a, "URI")?.as_str().ok()?).into_owned(),
            )),
            _ => None,
        }
    }

    /// The page of a target (named destinations resolved).
    pub fn target_page(&self, t: &Target) -> Option<usize> {
        match t {
            Target::Page(p) => Some(*p),
            Target::Named(n) => self.named_destinations().get(n).copied(),
            Target::Uri(_) => None,
        }
    }

    /// The document outline (bookmarks).
    pub fn outline(&self) -> Vec<Outline> {
        let Some(o) = self.get(self.catalog(), "Outlines") else {
            return Vec::new();
        };
        self.outline_items(self.dict(o))
    }

    fn outline_items(&self, parent: &Dictionary) -> Vec<Outline> {
        let mut out = Vec::new();
        let mut next = parent.get(b"First").ok();
        while let Some(r) = next {
            let d = self.dict(r);
            let t = self
                .goes_to(d)
                .expect("an outline item goes somewhere in the book");
            out.push(Outline {
                title: text(self.get(d, "Title").expect("an outline item has a title")),
                page: self
                    .target_page(&t)
                    .unwrap_or_else(|| panic!("outline target {t:?} is not in the book")),
                kids: self.outline_items(d),
            });
            next = d.get(b"Next").ok();
            assert!(out.len() < 100_000, "the outline loops");
        }
        out
    }

    /// The link annotations of every page: (page index, target).
    pub fn links(&self) -> Vec<(usize, Target)> {
        let mut out = Vec::new();
        for i in 0..self.pages.len() {
            let Some(annots) = self.get(self.page(i), "Annots") else {
                continue;
            };
            for a in annots.as_array().expect("/Annots is an array") {
                let a = self.dict(a);
                if self.get(a, "Subtype").map(name_of).as_deref() == Some("Link") {
                    let t = self.goes_to(a).expect("a link goes somewhere");
                    out.push((i, t));
                }
            }
        }
        out
    }

    /// The page labels (`/PageLabels` number tree): start page -> label dict.
    pub fn page_labels(&self) -> BTreeMap<i64, Dictionary> {
        let mut out = BTreeMap::new();
        let Some(tree) = self.get(self.catalog(), "PageLabels") else {
            return out;
        };
        let nums = self
            .get(self.dict(tree), "Nums")
            .expect("page labels as /Nums")
            .as_array()
            .unwrap();
        for pair in nums.chunks(2) {
            out.insert(pair[0].as_i64().unwrap(), self.dict(&pair[1]).clone());
        }
        out
    }

    /// Every font dictionary of the file (not the CID fonts inside Type0).
    pub fn fonts(&self) -> Vec<Font> {
        let mut out = Vec::new();
        for o in self.doc.objects.values() {
            let Ok(d) = o.as_dict() else { continue };
            if !d.has_type(b"Font") {
                continue;
            }
            let subtype = self.get(d, "Subtype").map(name_of).unwrap_or_default();
            if subtype.starts_with("CIDFontType") {
                continue;
            }
            let name = self.get(d, "BaseFont").map(name_of).unwrap_or_default();
            let descriptor = if subtype == "Type0" {
                let kids = self
                    .get(d, "DescendantFonts")
                    .expect("Type0 has descendants")
                    .as_array()
                    .unwrap();
                self.get(self.dict(&kids[0]), "FontDescriptor")
            } else {
                self.get(d, "FontDescriptor")
            }
            .map(|x| x.as_dict().expect("a font descriptor"));
            let embedded = if subtype == "Type3" {
                d.has(b"CharProcs")
            } else {
                descriptor.is_some_and(|fd| {
                    ["FontFile", "FontFile2", "FontFile3"]
                        .iter()
                        .any(|k| fd.has(k.as_bytes()))
                })
            };
            let subset = name.len() > 7
                && name.as_bytes()[6] == b'+'
                && name[..6].bytes().all(|b| b.is_ascii_uppercase());
            out.push(Font {
                subset,
                to_unicode: d.has(b"ToUnicode"),
                embedded,
                name,
                subtype,
            });
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out
    }

    /// The images a page draws (inside form XObjects too).
    pub fn images(&self, i: usize) -> Vec<Image> {
        let mut out = Vec::new();
        if let Some(r) = self.resources(i) {
            self.images_in(r, &mut out, 0);
        }
        out
    }

    fn images_in(&self, resources: &Dictionary, out: &mut Vec<Image>, depth: usize) {
        assert!(depth < 32, "XObjects nest too deep");
        let Some(xo) = self.get(resources, "XObject") else {
            return;
        };
        for (_, x) in self.dict(xo).iter() {
            let s = self.deref(x).as_stream().expect("an XObject is a stream");
            match self.get(&s.dict, "Subtype").map(name_of).as_deref() {
                Some("Image") => out.push(Image {
                    width: self.get(&s.dict, "Width").unwrap().as_i64().unwrap(),
                    height: self.get(&s.dict, "Height").unwrap().as_i64().unwrap(),
                    filters: s
                        .filters()
                        .unwrap_or_default()
                        .iter()
                        .map(|f| String::from_utf8_lossy(f).into_owned())
                        .collect(),
                }),
                Some("Form") => {
                    if let Some(r) = self.get(&s.dict, "Resources") {
                        self.images_in(r.as_dict().unwrap(), out, depth + 1);
                    }
                }
                _ => {}
            }
        }
    }

    fn resources(&self, i: usize) -> Option<&Dictionary> {
        let mut d = self.page(i);
        loop {
            if let Some(r) = self.get(d, "Resources") {
                return Some(r.as_dict().expect("resources are a dictionary"));
            }
            d = self.dict(d.get(b"Parent").ok()?);
        }
    }

    /// A page's text in content order: each text object (`BT … ET`) a line,
    /// glyphs mapped to characters through the fonts' `/ToUnicode` maps,
    /// form XObjects followed.
    pub fn page_text(&self, i: usize) -> String {
        let content = self
            .doc
            .get_page_content_with_limit(self.pages[i], 64 << 20)
            .unwrap_or_else(|e| panic!("page {i}'s content does not decode: {e}"));
        let mut out = String::new();
        let resources = self.resources(i).cloned().unwrap_or_default();
        self.text_in(&content, &resources, &mut out, 0);
        out
    }

    /// The text of every page, one string per page.
    pub fn pages_text(&self) -> Vec<String> {
        (0..self.pages.len()).map(|i| self.page_text(i)).collect()
    }

    fn text_in(&self, content: &[u8], resources: &Dictionary, out: &mut String, depth: usize) {
        assert!(depth < 32, "XObjects nest too deep");
        let ops = lopdf::content::Content::decode(content)
            .unwrap_or_else(|e| panic!("a content stream does not parse: {e}"));
        let fonts = self.get(resources, "Font").map(|f| self.dict(f));
        let mut font: Option<lopdf::Encoding> = None;
        // Marked content open at this point: whether each replaces its
        // glyphs with an `/ActualText` (a line-end hyphen reads as U+00AD).
        let mut marked: Vec<bool> = Vec::new();
        let show = |enc: &Option<lopdf::Encoding>, s: &Object, out: &mut String, hidden: bool| {
            if hidden {
                return;
            }
            let bytes = s.as_str().expect("a string to show");
            let enc = enc.as_ref().expect("text shown before a font is set");
            enc.write_to_string(bytes, out)
                .unwrap_or_else(|e| panic!("glyphs without a character: {e}"));
        };
        for op in &ops.operations {
            let hidden = marked.iter().any(|m| *m);
            match op.operator.as_str() {
                "BMC" => marked.push(false),
                "BDC" => {
                    let props = match op.operands.get(1) {
                        Some(Object::Name(n)) => self
                            .get(resources, "Properties")
                            .and_then(|p| self.dict(p).get(n).ok())
                            .map(|p| self.dict(p)),
                        Some(o) => o.as_dict().ok(),
                        None => None,
                    };
                    let actual = props.and_then(|p| self.get(p, "ActualText")).map(text);
                    if let Some(t) = &actual
                        && !hidden
                    {
                        out.push_str(t);
                    }
                    marked.push(actual.is_some());
                }
                "EMC" => {
                    marked
                        .pop()
                        .expect("EMC without a BMC or BDC in a content stream");
                }
                "Tf" => {
                    let name = op.operands[0].as_name().expect("Tf names a font");
                    let f = fonts
                        .and_then(|f| f.get(name).ok())
                        .map(|f| self.dict(f))
                        .unwrap_or_else(|| {
                            panic!(
                                "font {} is not in the resources",
                                String::from_utf8_lossy(name)
                            )
                        });
                    font = Some(
                        f.get_font_encoding(&self.doc)
                            .unwrap_or_else(|e| panic!("a font's encoding does not read: {e}")),
                    );
                }
                "Tj" | "'" => show(&font, &op.operands[0], out, hidden),
                "\"" => show(&font, &op.operands[2], out, hidden),
                "TJ" => {
                    for x in op.operands[0].as_array().expect("TJ takes an array") {
                        if let Object::String(..) = x {
                            show(&font, x, out, hidden);
                        }
                    }
                }
                "ET" => out.push('\n'),
                "Do" => {
                    let name = op.operands[0].as_name().unwrap();
                    let Some(xo) = self.get(resources, "XObject") else {
                        continue;
                    };
                    let Ok(x) = self.dict(xo).get(name) else {
                        continue;
                    };
                    let s = self.deref(x).as_stream().unwrap();
                    if self.get(&s.dict, "Subtype").map(name_of).as_deref() == Some("Form") {
                        let inner = self
                            .get(&s.dict, "Resources")
                            .and_then(|r| r.as_dict().ok())
                            .unwrap_or(resources);
                        let bytes = s
                            .get_plain_content()
                            .unwrap_or_else(|e| panic!("a form XObject does not decode: {e}"));
                        self.text_in(&bytes, inner, out, depth + 1);
                    }
                }
                _ => {}
            }
        }
    }

    /// The marked-content sequences of every page: (page index, tag,
    /// properties), e.g. `/Span <</Lang (ar)>>` or `/Artifact <</Type
    /// /Pagination /Subtype /Header>>`.
    pub fn marked_content(&self) -> Vec<(usize, String, Dictionary)> {
        let mut out = Vec::new();
        for i in 0..self.pages.len() {
            let content = self
                .doc
                .get_page_content_with_limit(self.pages[i], 64 << 20)
                .unwrap_or_else(|e| panic!("page {i}'s content does not decode: {e}"));
            let resources = self.resources(i).cloned().unwrap_or_default();
            let ops = lopdf::content::Content::decode(&content)
                .unwrap_or_else(|e| panic!("a content stream does not parse: {e}"));
            for op in &ops.operations {
                let props = match (op.operator.as_str(), op.operands.get(1)) {
                    ("BMC", _) => Dictionary::new(),
                    ("BDC", Some(Object::Name(n))) => self
                        .get(&resources, "Properties")
                        .and_then(|p| self.dict(p).get(n).ok())
                        .map(|p| self.dict(p).clone())
                        .unwrap_or_else(|| panic!("no properties {}", String::from_utf8_lossy(n))),
                    ("BDC", Some(o)) => self.dict(o).clone(),
                    _ => continue,
                };
                out.push((i, name_of(&op.operands[0]), props));
            }
        }
        out
    }

    /// The checks every PDF qalam writes must pass, whatever its content:
    /// a document language, tagged (`/MarkInfo`, a structure tree under a
    /// `Document` element), every font embedded with a `/ToUnicode` map,
    /// every page's text readable, every link and outline entry landing on
    /// a page of the book.
    pub fn assert_sound(&self) {
        assert!(
            self.lang().is_some_and(|l| !l.is_empty()),
            "the catalog has no /Lang"
        );
        assert!(self.marked(), "the catalog has no /MarkInfo /Marked true");
        let s = self.structure().expect("the catalog has a /StructTreeRoot");
        assert_eq!(
            s.first().map(|e| e.role.as_str()),
            Some("Document"),
            "the structure tree starts with a Document element"
        );
        assert!(
            s.iter().map(|e| e.mcids).sum::<usize>() > 0,
            "the structure tree holds no content"
        );
        let fonts = self.fonts();
        assert!(!fonts.is_empty(), "the PDF has no font");
        for f in &fonts {
            assert!(f.embedded, "font {} is not embedded: {f:?}", f.name);
            assert!(
                f.to_unicode || f.subtype == "Type3",
                "font {} has no /ToUnicode map: {f:?}",
                f.name
            );
        }
        for i in 0..self.page_count() {
            self.page_text(i);
        }
        let dests = self.named_destinations();
        for (page, t) in self.links() {
            if let Target::Named(n) = &t {
                assert!(
                    dests.contains_key(n),
                    "a link on page {page} goes to a missing {n}"
                );
            }
        }
        self.outline();
    }

    /// Every name and string in the file (decoded text strings where they
    /// decode), for searching the whole file for what must not be there.
    pub fn all_names_and_strings(&self) -> Vec<String> {
        fn walk(o: &Object, out: &mut Vec<String>) {
            match o {
                Object::Name(n) => out.push(format!("/{}", String::from_utf8_lossy(n))),
                Object::String(..) => out.push(
                    lopdf::decode_text_string(o)
                        .unwrap_or_else(|_| String::from_utf8_lossy(o.as_str().unwrap()).into()),
                ),
                Object::Array(a) => a.iter().for_each(|x| walk(x, out)),
                Object::Dictionary(d) => d.iter().for_each(|(k, v)| {
                    out.push(format!("/{}", String::from_utf8_lossy(k)));
                    walk(v, out);
                }),
                Object::Stream(s) => s.dict.iter().for_each(|(k, v)| {
                    out.push(format!("/{}", String::from_utf8_lossy(k)));
                    walk(v, out);
                }),
                _ => {}
            }
        }
        let mut out = Vec::new();
        for o in self.doc.objects.values() {
            walk(o, &mut out);
        }
        walk(&Object::Dictionary(self.doc.trailer.clone()), &mut out);
        out
    }
}
