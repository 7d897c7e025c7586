//! Feed conformance: every case under `fixtures/feeds/` parsed and checked against its `.expect` file.
//!
//! A case is a feed document `fixtures/feeds/<category>/<name>.<ext>` with assertions beside it in
//! `<name>.<ext>.expect`, one per line:
//!
//! ```text
//! # what the case checks, and the spec section it comes from
//! kind = "rss"
//! entries.# = 2
//! entries[0].title ~ "Caf\u00e9"
//! warnings.# >= 1
//! ```
//!
//! A path is field names, `[n]` indexes and `.#` (the length of an array, or of a string in characters),
//! evaluated on the parsed `Feed` serialized to JSON. Operators: `=` (JSON equality), `~` / `!~` (the string contains / does not contain the given
//! string), `>=` / `<=` (numbers). The right side is a JSON literal. A case that must be rejected has the single
//! assertion `error ~ "<fragment>"`. If the first comment line says `content-type: <value>`, that is passed to
//! the parser as the HTTP `Content-Type`.
//!
//! Every case is parsed with the base URL `https://fixtures.example/feeds/<category>/<file name>`.
//! Failing cases must be listed in `fixtures/feeds/KNOWN_FAILURES` (`<relative path> <reason>` per line), and a
//! listed case that passes fails the test too, so the list only ever shrinks.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

/// Where the corpus lives.
const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/feeds");

/// The corpus must not quietly shrink below this.
const MIN_CASES: usize = 400;

/// A case that takes longer than this (in a debug build) is a failure: liberal parsing is linear.
const CASE_TIMEOUT: Duration = Duration::from_secs(10);

/// The comparison an assertion makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Eq,
    Contains,
    NotContains,
    AtLeast,
    AtMost,
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Op::Eq => "=",
            Op::Contains => "~",
            Op::NotContains => "!~",
            Op::AtLeast => ">=",
            Op::AtMost => "<=",
        })
    }
}

/// One step of an assertion path.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Step {
    Field(String),
    Index(usize),
    Len,
}

/// One line of an `.expect` file.
#[derive(Clone, Debug)]
struct Assertion {
    line: usize,
    text: String,
    path: Vec<Step>,
    op: Op,
    expected: Value,
}

/// A case: its document, its assertions and its optional `Content-Type`.
#[derive(Debug)]
struct Case {
    /// Path relative to the corpus root, with `/` separators (`rss2/item-title.xml`).
    rel: String,
    category: String,
    document: PathBuf,
    content_type: Option<String>,
    assertions: Vec<Assertion>,
}

/// Why an assertion (or a whole case) failed.
#[derive(Debug)]
struct Failure {
    line: usize,
    message: String,
}

/// Parses an assertion path such as `entries[0].authors.#`.
fn parse_path(raw: &str) -> Result<Vec<Step>, String> {
    let mut steps = Vec::new();
    for (part_idx, part) in raw.split('.').enumerate() {
        if part == "#" {
            steps.push(Step::Len);
            continue;
        }
        let (name, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if name.is_empty() && part_idx == 0 {
            return Err(format!("path {raw:?} starts without a field name"));
        }
        if !name.is_empty() {
            if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(format!("bad field name {name:?} in path {raw:?}"));
            }
            steps.push(Step::Field(name.to_string()));
        }
        while !rest.is_empty() {
            let close = rest
                .find(']')
                .ok_or_else(|| format!("unclosed [ in path {raw:?}"))?;
            let idx = rest[1..close]
                .parse::<usize>()
                .map_err(|_| format!("bad index {:?} in path {raw:?}", &rest[1..close]))?;
            steps.push(Step::Index(idx));
            rest = &rest[close + 1..];
            if !rest.is_empty() && !rest.starts_with('[') {
                return Err(format!("unexpected {rest:?} in path {raw:?}"));
            }
        }
    }
    Ok(steps)
}

/// Parses one assertion line: `<path> <op> <json literal>`.
fn parse_assertion(line: usize, text: &str) -> Result<Assertion, String> {
    let (path_raw, rest) = text
        .split_once(char::is_whitespace)
        .ok_or_else(|| format!("line {line}: expected `<path> <op> <value>`"))?;
    let rest = rest.trim_start();
    let (op, value_raw) = [
        ("!~", Op::NotContains),
        (">=", Op::AtLeast),
        ("<=", Op::AtMost),
        ("=", Op::Eq),
        ("~", Op::Contains),
    ]
    .iter()
    .find_map(|(token, op)| rest.strip_prefix(token).map(|v| (*op, v.trim())))
    .ok_or_else(|| format!("line {line}: expected an operator after {path_raw:?}"))?;
    let expected: Value = serde_json::from_str(value_raw)
        .map_err(|e| format!("line {line}: right side {value_raw:?} is not JSON: {e}"))?;
    if matches!(op, Op::Contains | Op::NotContains) && !expected.is_string() {
        return Err(format!("line {line}: `{op}` needs a JSON string"));
    }
    if matches!(op, Op::AtLeast | Op::AtMost) && !expected.is_number() {
        return Err(format!("line {line}: `{op}` needs a JSON number"));
    }
    Ok(Assertion {
        line,
        text: text.to_string(),
        path: parse_path(path_raw).map_err(|e| format!("line {line}: {e}"))?,
        op,
        expected,
    })
}

/// Reads an `.expect` file into assertions plus the optional `content-type:` of its first comment line.
fn parse_expect(source: &str) -> Result<(Option<String>, Vec<Assertion>), String> {
    let mut content_type = None;
    let mut seen_comment = false;
    let mut assertions = Vec::new();
    for (line_idx, raw) in source.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        if let Some(comment) = line.strip_prefix('#') {
            if !seen_comment {
                seen_comment = true;
                if let Some(i) = comment.find("content-type:") {
                    content_type = Some(comment[i + "content-type:".len()..].trim().to_string());
                }
            }
            continue;
        }
        assertions.push(parse_assertion(line_idx + 1, line)?);
    }
    if assertions.is_empty() {
        return Err("no assertions".to_string());
    }
    let is_error = |a: &Assertion| a.path == [Step::Field("error".to_string())];
    if assertions.iter().any(is_error) && assertions.len() != 1 {
        return Err("an `error` case has exactly one assertion".to_string());
    }
    Ok((content_type, assertions))
}

/// Collects every case under the corpus root, sorted by path.
fn collect_cases(root: &Path) -> Result<Vec<Case>, String> {
    let mut cases = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let entries =
            std::fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let Some(doc_name) = path
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_suffix(".expect"))
            else {
                continue;
            };
            let document = path.with_file_name(doc_name);
            let rel = document
                .strip_prefix(root)
                .map_err(|e| e.to_string())?
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            let category = rel.split('/').next().unwrap_or_default().to_string();
            let source = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let (content_type, assertions) =
                parse_expect(&source).map_err(|e| format!("{rel}.expect: {e}"))?;
            cases.push(Case {
                rel,
                category,
                document,
                content_type,
                assertions,
            });
        }
    }
    cases.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(cases)
}

/// Follows a path into a JSON value; `None` when a step finds nothing.
fn lookup<'v>(value: &'v Value, path: &[Step]) -> Option<std::borrow::Cow<'v, Value>> {
    let mut current = value;
    for (step_idx, step) in path.iter().enumerate() {
        current = match step {
            Step::Field(name) => current.get(name)?,
            Step::Index(i) => current.get(*i)?,
            Step::Len => {
                let len = match current {
                    Value::Array(items) => items.len(),
                    Value::Object(fields) => fields.len(),
                    Value::String(s) => s.chars().count(),
                    _ => return None,
                };
                if step_idx + 1 != path.len() {
                    return None;
                }
                return Some(std::borrow::Cow::Owned(Value::from(len)));
            }
        };
    }
    Some(std::borrow::Cow::Borrowed(current))
}

/// Shortens a value for a report line.
fn show(value: Option<&Value>) -> String {
    let Some(value) = value else {
        return "<missing>".to_string();
    };
    let mut text = value.to_string();
    if text.chars().count() > 160 {
        text = text.chars().take(160).collect::<String>() + "…";
    }
    text
}

/// Checks one assertion against the parsed feed.
fn check(feed: &Value, assertion: &Assertion) -> Result<(), String> {
    let actual = lookup(feed, &assertion.path);
    let actual_ref = actual.as_deref();
    let ok = match assertion.op {
        // The model leaves optional fields out when they are empty, so `= null` also holds for a field missing
        // from an object that is there (not for a missing item or a missing parent).
        Op::Eq => match (actual_ref, assertion.path.split_last()) {
            (Some(actual), _) => actual == &assertion.expected,
            (None, Some((Step::Field(_), parent))) => {
                assertion.expected.is_null()
                    && matches!(lookup(feed, parent).as_deref(), Some(Value::Object(_)))
            }
            (None, _) => false,
        },
        Op::Contains | Op::NotContains => {
            let needle = assertion.expected.as_str().unwrap_or_default();
            match actual_ref {
                Some(Value::String(s)) => s.contains(needle) == (assertion.op == Op::Contains),
                // A missing or null value contains nothing.
                None | Some(Value::Null) => assertion.op == Op::NotContains,
                Some(_) => false,
            }
        }
        Op::AtLeast | Op::AtMost => {
            let expected = assertion.expected.as_f64().unwrap_or(f64::NAN);
            match actual_ref.and_then(Value::as_f64) {
                Some(n) if assertion.op == Op::AtLeast => n >= expected,
                Some(n) => n <= expected,
                None => false,
            }
        }
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{}  (expected {} {}, actual {})",
            assertion.text,
            assertion.op,
            show(Some(&assertion.expected)),
            show(actual_ref)
        ))
    }
}

/// What parsing one document produced, or why it produced nothing.
enum Outcome {
    Parsed(Value),
    Rejected(String),
    Crashed(String),
}

/// Parses a document on its own thread, so a panic or a runaway parse fails only its case.
fn parse_case(case: &Case) -> Outcome {
    let bytes = match std::fs::read(&case.document) {
        Ok(bytes) => bytes,
        Err(e) => return Outcome::Crashed(format!("cannot read document: {e}")),
    };
    let file_name = case.rel.rsplit('/').next().unwrap_or_default();
    let base = format!(
        "https://fixtures.example/feeds/{}/{file_name}",
        case.category
    );
    let base = url::Url::parse(&base).expect("base URLs of fixture cases parse");
    let content_type = case.content_type.clone();
    let (tx, rx) = mpsc::channel();
    let started = Instant::now();
    let spawned = thread::Builder::new()
        .name(case.rel.clone())
        .spawn(move || {
            let outcome =
                match newswire_ingest::feed::parse_feed(&bytes, &base, content_type.as_deref()) {
                    Ok(feed) => match serde_json::to_value(&feed) {
                        Ok(value) => Outcome::Parsed(value),
                        Err(e) => Outcome::Crashed(format!("feed does not serialize: {e}")),
                    },
                    Err(e) => Outcome::Rejected(e.to_string()),
                };
            // The receiver may have given up on a slow case.
            let _ = tx.send(outcome);
        });
    if let Err(e) = spawned {
        return Outcome::Crashed(format!("cannot spawn parser thread: {e}"));
    }
    match rx.recv_timeout(CASE_TIMEOUT) {
        Ok(outcome) => outcome,
        Err(mpsc::RecvTimeoutError::Timeout) => Outcome::Crashed(format!(
            "parse took more than {}s",
            started.elapsed().as_secs()
        )),
        Err(mpsc::RecvTimeoutError::Disconnected) => Outcome::Crashed("parser panicked".into()),
    }
}

/// Runs one case; an empty list means it passed.
fn run_case(case: &Case) -> Vec<Failure> {
    let wants_error = case.assertions[0].path == [Step::Field("error".to_string())];
    match parse_case(case) {
        Outcome::Crashed(message) => vec![Failure { line: 0, message }],
        Outcome::Rejected(message) if wants_error => {
            let mut errors = serde_json::Map::new();
            errors.insert("error".to_string(), Value::String(message));
            let value = Value::Object(errors);
            case.assertions
                .iter()
                .filter_map(|a| {
                    check(&value, a).err().map(|message| Failure {
                        line: a.line,
                        message,
                    })
                })
                .collect()
        }
        Outcome::Rejected(message) => vec![Failure {
            line: 0,
            message: format!("expected a feed, parse_feed failed: {message}"),
        }],
        Outcome::Parsed(value) if wants_error => vec![Failure {
            line: case.assertions[0].line,
            message: format!(
                "expected an error, parse_feed returned a feed with {} entries",
                lookup(&value, &[Step::Field("entries".into()), Step::Len])
                    .map_or_else(|| "?".to_string(), |n| n.to_string())
            ),
        }],
        Outcome::Parsed(value) => case
            .assertions
            .iter()
            .filter_map(|a| {
                check(&value, a).err().map(|message| Failure {
                    line: a.line,
                    message,
                })
            })
            .collect(),
    }
}

/// Reads `KNOWN_FAILURES`: relative case path, then a reason, per line.
fn read_known_failures(root: &Path) -> Result<BTreeMap<String, String>, String> {
    let path = root.join("KNOWN_FAILURES");
    let source = match std::fs::read_to_string(&path) {
        Ok(source) => source,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let mut known = BTreeMap::new();
    for (line_idx, raw) in source.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (rel, reason) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        if reason.trim().is_empty() {
            return Err(format!(
                "KNOWN_FAILURES line {}: {rel} has no reason",
                line_idx + 1
            ));
        }
        if known
            .insert(rel.to_string(), reason.trim().to_string())
            .is_some()
        {
            return Err(format!(
                "KNOWN_FAILURES line {}: {rel} is listed twice",
                line_idx + 1
            ));
        }
    }
    Ok(known)
}

#[test]
fn feed_conformance_corpus() {
    let root = Path::new(CORPUS);
    let cases = collect_cases(root).unwrap_or_else(|e| panic!("corpus is malformed: {e}"));
    let known = read_known_failures(root).unwrap_or_else(|e| panic!("{e}"));

    // category -> (passed, failed)
    let mut table: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut report = String::new();
    let mut unexpected = Vec::new();
    let mut fixed = Vec::new();
    let mut failing = BTreeSet::new();
    for case in &cases {
        let failures = run_case(case);
        let counts = table.entry(case.category.as_str()).or_default();
        if failures.is_empty() {
            counts.0 += 1;
            if known.contains_key(&case.rel) {
                fixed.push(case.rel.clone());
            }
            continue;
        }
        counts.1 += 1;
        failing.insert(case.rel.clone());
        let listed = known.contains_key(&case.rel);
        if !listed {
            unexpected.push(case.rel.clone());
        }
        let marker = if listed { "known" } else { "NEW" };
        for failure in failures {
            report.push_str(&format!(
                "  [{marker}] {}.expect:{}: {}\n",
                case.rel, failure.line, failure.message
            ));
        }
    }
    let all: BTreeSet<&str> = cases.iter().map(|c| c.rel.as_str()).collect();
    let stale: Vec<&String> = known
        .keys()
        .filter(|rel| !all.contains(rel.as_str()))
        .collect();

    let mut summary = format!(
        "{:<14} {:>6} {:>6} {:>6}\n",
        "category", "cases", "pass", "fail"
    );
    let (mut total_pass, mut total_fail) = (0, 0);
    for (category, (pass, fail)) in &table {
        summary.push_str(&format!(
            "{category:<14} {:>6} {pass:>6} {fail:>6}\n",
            pass + fail
        ));
        total_pass += pass;
        total_fail += fail;
    }
    summary.push_str(&format!(
        "{:<14} {:>6} {total_pass:>6} {total_fail:>6}\n",
        "total",
        cases.len()
    ));
    println!("feed conformance\n{summary}");
    if !report.is_empty() {
        println!("failing assertions:\n{report}");
    }

    let mut problems = Vec::new();
    if cases.len() < MIN_CASES {
        problems.push(format!(
            "the corpus has {} cases, fewer than {MIN_CASES}",
            cases.len()
        ));
    }
    if !unexpected.is_empty() {
        problems.push(format!(
            "{} failing cases are not in KNOWN_FAILURES:\n    {}",
            unexpected.len(),
            unexpected.join("\n    ")
        ));
    }
    if !fixed.is_empty() {
        problems.push(format!(
            "{} cases in KNOWN_FAILURES now pass; remove them from the list:\n    {}",
            fixed.len(),
            fixed.join("\n    ")
        ));
    }
    if !stale.is_empty() {
        problems.push(format!(
            "KNOWN_FAILURES lists cases that do not exist:\n    {}",
            stale
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join("\n    ")
        ));
    }
    assert!(
        problems.is_empty(),
        "feed conformance failed\n{summary}\n{}\n\nfailing assertions:\n{report}",
        problems.join("\n")
    );
}

#[test]
fn assertion_lines_parse() {
    let a = parse_assertion(1, r#"entries[0].authors[1].name = "Jane""#).unwrap();
    assert_eq!(
        a.path,
        [
            Step::Field("entries".into()),
            Step::Index(0),
            Step::Field("authors".into()),
            Step::Index(1),
            Step::Field("name".into()),
        ]
    );
    assert_eq!(a.op, Op::Eq);
    assert_eq!(a.expected, Value::from("Jane"));

    let a = parse_assertion(2, "entries.# >= 2").unwrap();
    assert_eq!(a.path, [Step::Field("entries".into()), Step::Len]);
    assert_eq!(a.op, Op::AtLeast);

    let a = parse_assertion(3, r#"title !~ "lol""#).unwrap();
    assert_eq!(a.op, Op::NotContains);

    assert!(parse_assertion(4, "title ~ 3").is_err());
    assert!(parse_assertion(5, "title = not-json").is_err());
    assert!(parse_assertion(6, "entries[x].title = null").is_err());
}

#[test]
fn assertions_evaluate_against_json() {
    let feed = serde_json::json!({
        "title": "Caf\u{e9} & bar",
        "entries": [{"title": "One", "categories": ["a", "b"]}],
        "ttl_minutes": null,
    });
    let pass = |line: &str| check(&feed, &parse_assertion(1, line).unwrap()).is_ok();
    assert!(pass(r#"title = "Caf\u00e9 & bar""#));
    assert!(pass(r#"title ~ "& bar""#));
    assert!(pass(r#"title !~ "&amp;""#));
    assert!(pass("entries.# = 1"));
    assert!(pass(r#"entries[0].categories = ["a", "b"]"#));
    assert!(pass("entries[0].categories.# <= 2"));
    assert!(pass("ttl_minutes = null"));
    assert!(pass(r#"ttl_minutes !~ "x""#));
    assert!(!pass("entries.# = 2"));
    assert!(!pass(r#"entries[1].title = "Two""#));
    assert!(!pass("entries[1].title = null"));
    // A field left out of an object that is there is null; one under a missing parent is not.
    assert!(pass("entries[0].rights = null"));
    assert!(!pass(r#"entries[0].rights = "x""#));
    assert!(!pass("entries[0].source.title = null"));
    assert!(!pass(r#"ttl_minutes ~ "x""#));
}

#[test]
fn known_failures_need_reasons() {
    let dir = std::env::temp_dir().join(format!("newswire-conformance-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("KNOWN_FAILURES"),
        "# comment\nrss2/a.xml  needs x\n\nrss2/b.xml\n",
    )
    .unwrap();
    let err = read_known_failures(&dir).unwrap_err();
    assert!(err.contains("rss2/b.xml has no reason"), "{err}");
    std::fs::write(dir.join("KNOWN_FAILURES"), "rss2/a.xml  needs x\n").unwrap();
    let known = read_known_failures(&dir).unwrap();
    assert_eq!(known["rss2/a.xml"], "needs x");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Streaming (`FeedParser::parse_each`) hands over the same entries as collecting (`parse_feed`), and the same
/// feed, on every document of the corpus. The one documented difference, what a feed states after its first
/// entry, is not inherited by the entries streamed before it; the cases listed here are exactly those.
#[test]
fn streaming_hands_over_what_collecting_returns() {
    // Documents that state feed-level language or Atom authors after their first entry.
    const LATE_FEED_DEFAULTS: &[&str] = &["atom10/feed-author-after-entries.xml"];
    let root = Path::new(CORPUS);
    let cases = collect_cases(root).unwrap_or_else(|e| panic!("corpus is malformed: {e}"));
    let parser = newswire_ingest::feed::FeedParser::new();
    let mut differing = Vec::new();
    for case in &cases {
        let bytes = std::fs::read(&case.document).expect("fixture documents are readable");
        let base = url::Url::parse("https://fixtures.example/feeds/doc.xml").expect("base parses");
        let ct = case.content_type.as_deref();
        let collected = parser.parse(&bytes, &base, ct);
        let mut streamed = Vec::new();
        let head = parser.parse_each(&bytes, &base, ct, |entry| streamed.push(entry));
        match (collected, head) {
            (Ok(collected), Ok(mut head)) => {
                assert!(head.entries.is_empty(), "{}: entries returned", case.rel);
                head.entries = streamed;
                if head != collected {
                    differing.push(case.rel.clone());
                }
            }
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{}", case.rel),
            (a, b) => panic!(
                "{}: collecting gave {:?}, streaming {:?}",
                case.rel,
                a.map(|f| f.entries.len()),
                b.map(|f| f.entries.len())
            ),
        }
    }
    assert_eq!(differing, LATE_FEED_DEFAULTS);
}
