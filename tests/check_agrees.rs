//! `qalam check` says what `qalam build` would: books it passes build, and
//! books `build` refuses for their text are refused by `check` first, with
//! the same message at the same place (issue 25).

mod common;

use common::{assert_epubcheck_clean, qalam, stderr};
use std::path::Path;

/// A one-chapter book in `dir` whose chapter body is `body`.
fn book(dir: &Path, body: &str) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(
        dir.join("book.toml"),
        "[book]\ntitle = \"Checked\"\nauthors = [\"A. Author\"]\nlanguage = \"en\"\nchapters = [\"c.md\"]\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("c.md"),
        format!("---\ntitle: A chapter\ninterviewee: B. Person\n---\n\n{body}\n"),
    )
    .unwrap();
}

fn check_and_build(dir: &Path) -> (std::process::Output, std::process::Output) {
    let check = qalam().arg("check").arg(dir).output().unwrap();
    let build = qalam()
        .args(["-q", "build"])
        .arg(dir)
        .arg("-o")
        .arg(dir.join("out"))
        .output()
        .unwrap();
    (check, build)
}

/// Headings with no words (only a note reference) were passed by `check`
/// and refused by the PDF writer's PDF/UA validation as "a bug in qalam".
#[test]
fn headings_of_only_a_note_reference_are_refused_by_check() {
    let tmp = tempfile::tempdir().unwrap();
    let cases = [
        (
            "question",
            "## [^1]\n\nAnswer.\n\n[^1]: A note.",
            "c.md:6:1",
        ),
        (
            "heading",
            "## Why?\n\nAnswer.\n\n### [^1]\n\nMore.\n\n[^1]: A note.",
            "c.md:10:1",
        ),
    ];
    for (what, body, at) in cases {
        let dir = tmp.path().join(what);
        book(&dir, body);
        let (check, build) = check_and_build(&dir);
        for (cmd, out) in [("check", &check), ("build", &build)] {
            let err = stderr(out);
            assert_eq!(out.status.code(), Some(1), "{what}: {cmd}: {err}");
            assert!(
                err.contains("error[heading-no-text]")
                    && err.contains(&format!("{what} has no text, only a note reference"))
                    && err.contains(at),
                "{what}: {cmd}: {err}"
            );
            assert!(!err.contains("bug in qalam"), "{what}: {cmd}: {err}");
        }
        assert!(!dir.join("out").join("checked.epub").exists());
    }
}

/// A noncharacter (U+FFFE) was passed by `check` and refused by `build` for
/// want of a glyph; now both read it as a space, with the same warning, and
/// the book builds.
#[test]
fn noncharacters_are_read_as_spaces_by_check_and_build() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("fffe");
    book(&dir, "## Why?\n\nText with \u{fffe} and \u{fdd0} in it.");
    let (check, build) = check_and_build(&dir);
    for (cmd, out) in [("check", &check), ("build", &build)] {
        let err = stderr(out);
        assert_eq!(out.status.code(), Some(0), "{cmd}: {err}");
    }
    let err = stderr(&check);
    assert!(
        err.contains("warning[control-char]")
            && err.contains("noncharacter U+FFFE is not text")
            && err.contains("and 1 more in this file")
            && err.contains("c.md:8:11"),
        "{err}"
    );
    let epub = dir.join("out").join("checked.epub");
    assert!(epub.exists() && dir.join("out").join("checked.pdf").exists());
    assert_epubcheck_clean(&epub);
}

/// What only the layout finds (a character no font draws) was passed by
/// `check`, which read the book without laying it out; `check` now tries
/// the whole build in a scratch folder, and fails as `build` does.
#[test]
fn check_fails_where_the_pdf_would() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("glyph");
    // U+0378 is unassigned: no font has a glyph for it.
    book(&dir, "## Why?\n\nA letter \u{378} nobody draws.");
    let alone = qalam().arg("check").arg(&dir).output().unwrap();
    assert_eq!(alone.status.code(), Some(1), "{}", stderr(&alone));
    // check tries the build elsewhere: nothing appears in the book.
    assert!(!dir.join("out").exists());
    let (check, build) = check_and_build(&dir);
    for (cmd, out) in [("check", &check), ("build", &build)] {
        let err = stderr(out);
        assert_eq!(out.status.code(), Some(1), "{cmd}: {err}");
        assert!(
            err.contains("error[no-glyph]") && err.contains("U+0378"),
            "{cmd}: {err}"
        );
    }
    assert!(stderr(&check).contains("would not build (1 error(s) in the PDF)"));
}

/// A PNG whose colour profile unpacks to 64 MB (from 64 KB) was inflated
/// whole by the decoders while reading its header (566 MB of memory for a
/// 2 GB profile); the profile is now unpacked with a cap first, and the
/// picture refused with a reason, by check and build alike.
#[test]
fn a_colour_profile_bomb_is_refused_before_decoding() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("icc");
    std::fs::create_dir_all(dir.join("images")).unwrap();
    let chunk = |kind: &[u8], data: &[u8]| {
        let mut c = (data.len() as u32).to_be_bytes().to_vec();
        c.extend_from_slice(kind);
        c.extend_from_slice(data);
        let mut crc_in = kind.to_vec();
        crc_in.extend_from_slice(data);
        c.extend_from_slice(&crc32(&crc_in).to_be_bytes());
        c
    };
    let profile = miniz_oxide::deflate::compress_to_vec_zlib(&vec![0u8; 64 << 20], 9);
    let mut iccp = b"icc\0\0".to_vec();
    iccp.extend_from_slice(&profile);
    let raw: Vec<u8> = (0..8).flat_map(|_| [0u8; 1 + 8 * 3]).collect();
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(chunk(b"IHDR", &[0, 0, 0, 8, 0, 0, 0, 8, 8, 2, 0, 0, 0]));
    png.extend(chunk(b"iCCP", &iccp));
    png.extend(chunk(
        b"IDAT",
        &miniz_oxide::deflate::compress_to_vec_zlib(&raw, 6),
    ));
    png.extend(chunk(b"IEND", &[]));
    std::fs::write(dir.join("images/p.png"), &png).unwrap();
    book(&dir, "## Why?\n\nText.\n\n![A picture](images/p.png)");
    let (check, build) = check_and_build(&dir);
    for (cmd, out) in [("check", &check), ("build", &build)] {
        let err = stderr(out);
        assert_eq!(out.status.code(), Some(1), "{cmd}: {err}");
        assert!(
            err.contains("colour profile (ICC) unpacks to more than 8 MB")
                && err.contains("c.md:10:1"),
            "{cmd}: {err}"
        );
    }
}

/// CRC-32 of PNG chunks (the standard polynomial), for the test's file.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}
