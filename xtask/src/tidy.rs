//! Tidy checks, run by `cargo test`: the architecture invariants of ARCHITECTURE.md, enforced.

use std::path::{Path, PathBuf};

use crate::project_root;

/// The `[dependencies]` names of a crate manifest (dev-dependencies excluded).
fn dependencies(manifest: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(manifest)
        .unwrap_or_else(|err| panic!("{}: {err}", manifest.display()));
    let mut in_deps = false;
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_deps = line == "[dependencies]";
            continue;
        }
        if in_deps && let Some((name, _)) = line.split_once(['=', '.']) {
            let name = name.trim();
            if !name.is_empty() && !name.starts_with('#') {
                out.push(name.to_owned());
            }
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|err| panic!("{}: {err}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn model_is_a_clean_dependency() {
    let deps = dependencies(&project_root().join("crates/model/Cargo.toml"));
    assert_eq!(
        deps,
        ["chrono", "serde"],
        "newswire-model depends on serde and chrono only"
    );
    let mut files = Vec::new();
    rust_files(&project_root().join("crates/model/src"), &mut files);
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for banned in [
            "std::fs",
            "std::net",
            "tokio",
            "reqwest",
            "rusqlite",
            "quick_xml",
            "Utc::now",
        ] {
            assert!(
                !text.contains(banned),
                "{} uses {banned}: the model crate does no I/O",
                file.display()
            );
        }
    }
}

#[test]
fn dependencies_point_down() {
    for (krate, allowed) in [
        ("ingest", &["newswire-model"][..]),
        ("normalize", &["newswire-model"][..]),
        ("store", &["newswire-model"][..]),
        ("testserver", &[][..]),
    ] {
        let deps = dependencies(&project_root().join("crates").join(krate).join("Cargo.toml"));
        for dep in deps.iter().filter(|d| d.starts_with("newswire-")) {
            assert!(
                allowed.contains(&dep.as_str()),
                "newswire-{krate} must not depend on {dep}"
            );
        }
    }
    let normalize = dependencies(&project_root().join("crates/normalize/Cargo.toml"));
    for io in ["reqwest", "tokio", "rusqlite", "quick-xml", "scraper"] {
        assert!(
            !normalize.iter().any(|d| d == io),
            "newswire-normalize is pure: no {io}"
        );
    }
    let xtask = dependencies(&project_root().join("xtask/Cargo.toml"));
    for dep in xtask.iter().filter(|d| d.starts_with("newswire-")) {
        assert!(
            ["newswire-pipeline", "newswire-model"].contains(&dep.as_str()),
            "xtask stays thin: {dep}"
        );
    }
}

#[test]
fn every_module_has_a_doc_line() {
    let mut files = Vec::new();
    rust_files(&project_root().join("crates"), &mut files);
    rust_files(&project_root().join("xtask/src"), &mut files);
    let missing: Vec<String> = files
        .iter()
        .filter(|file| !file.components().any(|c| c.as_os_str() == "benches"))
        .filter(|file| {
            let text = std::fs::read_to_string(file).unwrap();
            !text.trim_start().starts_with("//!")
        })
        .map(|file| {
            file.strip_prefix(project_root())
                .unwrap_or(file)
                .display()
                .to_string()
        })
        .collect();
    assert!(
        missing.is_empty(),
        "modules without a `//!` doc line: {missing:#?}"
    );
}
