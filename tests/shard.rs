//! `build --all --shard K/N` and `--report json` (issue 24): the shards of a
//! catalogue together build every book exactly once, and their reports
//! together list them all.

mod common;

#[path = "../benches/corpus/mod.rs"]
mod corpus;

use common::{qalam, stderr, stdout};
use std::collections::BTreeMap;

#[test]
fn four_shards_build_every_book_once() {
    let tmp = tempfile::tempdir().unwrap();
    let cat = corpus::write_catalogue(&tmp.path().join("cat"), 7);
    // Books of different sizes, so that balancing has something to do.
    std::fs::write(cat.join("book-0005/notes.txt"), vec![b'x'; 400_000]).unwrap();
    let out = tmp.path().join("out");
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for k in 1..=4 {
        let report = tmp.path().join(format!("shard-{k}.jsonl"));
        let o = qalam()
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .args(["build", "--all"])
            .arg(&cat)
            .arg("-o")
            .arg(&out)
            .args(["--shard", &format!("{k}/4"), "--report"])
            .arg(format!("json={}", report.display()))
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(
            stdout(&o).contains(&format!("shard {k}/4")),
            "{}",
            stdout(&o)
        );
        let lines = std::fs::read_to_string(&report).unwrap();
        assert!(!lines.is_empty(), "shard {k} of 7 books over 4 has books");
        for line in lines.lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            assert_eq!(v["status"], "built", "{line}");
            assert_eq!(v["digest"].as_str().map(str::len), Some(40), "{line}");
            let outputs = v["outputs"].as_array().unwrap();
            assert_eq!(outputs.len(), 2, "{line}");
            for f in outputs {
                assert!(
                    std::path::Path::new(f.as_str().unwrap()).is_file(),
                    "{line}"
                );
            }
            *seen
                .entry(v["path"].as_str().unwrap().to_string())
                .or_default() += 1;
        }
    }
    let all: Vec<String> = (1..=7).map(|n| format!("book-{n:04}")).collect();
    assert_eq!(seen.keys().cloned().collect::<Vec<_>>(), all);
    assert!(seen.values().all(|&n| n == 1), "{seen:?}");

    // The same shards again, reported on stdout: all up to date, same books.
    let mut again = Vec::new();
    for k in 1..=4 {
        let o = qalam()
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .args(["build", "--all"])
            .arg(&cat)
            .arg("-o")
            .arg(&out)
            .args(["--shard", &format!("{k}/4"), "--report", "json"])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        for line in stdout(&o).lines() {
            let v: serde_json::Value =
                serde_json::from_str(line).expect("stdout holds only JSON lines");
            assert_eq!(v["status"], "up-to-date", "{line}");
            again.push(v["path"].as_str().unwrap().to_string());
        }
    }
    again.sort();
    assert_eq!(again, all);
}

#[test]
fn a_failed_book_is_reported_with_its_messages() {
    let tmp = tempfile::tempdir().unwrap();
    let cat = corpus::write_catalogue(&tmp.path().join("cat"), 1);
    let bad = cat.join("broken");
    std::fs::create_dir_all(&bad).unwrap();
    std::fs::write(bad.join("book.toml"), "[book]\ntitle = \"Broken\"\n").unwrap();
    let o = qalam()
        .args(["build", "--all"])
        .arg(&cat)
        .args(["--report", "json"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1]["path"], "broken");
    assert_eq!(lines[1]["status"], "failed");
    assert!(lines[1]["digest"].is_null());
    let diags = lines[1]["diagnostics"].as_array().unwrap();
    assert!(
        diags.iter().any(|d| d.as_str().unwrap().contains("error")),
        "{diags:?}"
    );
}

#[test]
fn bad_shards_are_usage_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let cat = corpus::write_catalogue(&tmp.path().join("cat"), 1);
    for bad in ["0/4", "5/4", "1/0", "two/4", "3", "1/-2"] {
        let o = qalam()
            .args(["build", "--all"])
            .arg(&cat)
            .args(["--shard", bad])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{bad}: {}", stderr(&o));
        assert!(stderr(&o).contains("K/N"), "{bad}: {}", stderr(&o));
    }
    // A shard or a report is about a catalogue.
    for args in [["--shard", "1/2"], ["--report", "json"]] {
        let o = qalam().arg("build").arg(&cat).args(args).output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    }
    let o = qalam()
        .args(["build", "--all"])
        .arg(&cat)
        .args(["--report", "xml"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}
