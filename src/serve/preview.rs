//! One good build, held in memory: the EPUB's files by their names in the
//! archive, its reading order, and the PDF. The server answers only from
//! here, so nothing on disk (the book folder, links in it, the build's
//! scratch folder) can be reached through a request.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

/// A built book as the preview shows it.
#[derive(Debug, Default)]
pub struct Preview {
    /// The EPUB's files by their path inside the archive.
    pub epub: BTreeMap<String, Vec<u8>>,
    /// The spine's documents (archive paths), in reading order.
    pub spine: Vec<String>,
    /// The screen PDF.
    pub pdf: Vec<u8>,
    /// Its pages: their pictures' sizes and printed numbers.
    pub pages: Vec<super::pages::PageInfo>,
}

impl Preview {
    /// Reads the EPUB and the PDF a build wrote.
    pub fn read(epub: &Path, pdf: &Path) -> Result<Preview, String> {
        let epub_bytes =
            std::fs::read(epub).map_err(|e| format!("cannot read {}: {e}", epub.display()))?;
        let pdf = std::fs::read(pdf).map_err(|e| format!("cannot read {}: {e}", pdf.display()))?;
        let files = unzip(&epub_bytes).map_err(|e| format!("cannot open the EPUB: {e}"))?;
        let spine = spine(&files).unwrap_or_default();
        Ok(Preview {
            epub: files,
            spine,
            pages: super::pages::pages(&pdf),
            pdf,
        })
    }
}

fn unzip(bytes: &[u8]) -> Result<BTreeMap<String, Vec<u8>>, zip::result::ZipError> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))?;
    let mut files = BTreeMap::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i)?;
        if entry.is_dir() {
            continue;
        }
        let mut data = Vec::with_capacity(entry.size() as usize);
        entry.read_to_end(&mut data)?;
        files.insert(entry.name()?.into_owned(), data);
    }
    Ok(files)
}

/// The reading order: container.xml names the package document, whose
/// spine lists manifest ids, whose hrefs are relative to the package.
fn spine(files: &BTreeMap<String, Vec<u8>>) -> Option<Vec<String>> {
    let container = files.get("META-INF/container.xml")?;
    let opf_path = attributes(container, "rootfile")
        .into_iter()
        .find_map(|a| a.get("full-path").cloned())?;
    let opf = files.get(&opf_path)?;
    let base = match opf_path.rfind('/') {
        Some(i) => &opf_path[..=i],
        None => "",
    };
    let manifest: BTreeMap<String, String> = attributes(opf, "item")
        .into_iter()
        .filter_map(|a| Some((a.get("id")?.clone(), a.get("href")?.clone())))
        .collect();
    Some(
        attributes(opf, "itemref")
            .into_iter()
            .filter_map(|a| manifest.get(a.get("idref")?))
            .map(|href| format!("{base}{href}"))
            .collect(),
    )
}

/// The attributes of every element named `name` (local name) in `xml`.
fn attributes(xml: &[u8], name: &str) -> Vec<BTreeMap<String, String>> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut found = Vec::new();
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == name => {
                found.push(
                    e.attributes()
                        .flatten()
                        .filter_map(|a| {
                            let key = a.key.local_name().as_ref().to_string();
                            let value = a
                                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .ok()?
                                .into_owned();
                            Some((key, value))
                        })
                        .collect(),
                );
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    found
}

/// The media type a preview file is served with.
pub fn media_type(path: &str) -> &'static str {
    let ext = path.rsplit('.').next().unwrap_or("");
    match ext {
        "xhtml" => "application/xhtml+xml; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "opf" | "ncx" | "xml" => "application/xml; charset=utf-8",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        _ => "application/octet-stream",
    }
}
