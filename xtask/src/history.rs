//! `cargo xtask history`: every stored revision of a dispatch, and a word-level diff between two of them.

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::Context;
use newswire_pipeline::find_dispatch;
use newswire_pipeline::model::Dispatch;
use newswire_pipeline::normalize::diff::{self, Change, Summary, WordDiff};
use newswire_pipeline::store::{Revision, Store};
use serde_json::{Value, json};

use crate::flags::History;

/// Lines of context kept around each changed line of the body diff.
const CONTEXT_LINES: usize = 2;

impl History {
    pub fn run(self, db: &str) -> anyhow::Result<ExitCode> {
        let shown_db = newswire_pipeline::store::redacted(db);
        let store = crate::open_store(db)?;
        let Some(dispatch) = find_dispatch(&store, &self.key)? else {
            anyhow::bail!("no dispatch with id or URL {:?} in {shown_db}", self.key);
        };
        let revisions = store.revisions(&dispatch.id)?;
        let Some(last) = revisions.last() else {
            anyhow::bail!("dispatch {} has no stored revisions", dispatch.id);
        };
        let pair = match &self.diff {
            Some(spec) => Some(pick(&revisions, &dispatch.id, spec)?),
            None if revisions.len() >= 2 => Some((&revisions[revisions.len() - 2], last)),
            None => None,
        };
        let compared = pair.map(|(from, to)| Compared::new(from, to));

        let steps: Vec<Step> = revisions
            .iter()
            .enumerate()
            .map(|(idx, revision)| Step::new(idx.checked_sub(1).map(|p| &revisions[p]), revision))
            .collect();
        let out = if self.json {
            let mut text = serde_json::to_string_pretty(&json!({
                "id": dispatch.id,
                "url": dispatch.url,
                "revisions": steps.iter().map(Step::to_json).collect::<Vec<_>>(),
                "diff": compared.as_ref().map(Compared::to_json),
            }))?;
            text.push('\n');
            text
        } else {
            render(&dispatch, &steps, compared.as_ref())
        };
        print!("{out}");
        Ok(ExitCode::SUCCESS)
    }
}

/// The two revisions named by `A..B`.
fn pick<'r>(
    revisions: &'r [Revision],
    id: &str,
    spec: &str,
) -> anyhow::Result<(&'r Revision, &'r Revision)> {
    let numbers = spec
        .split_once("..")
        .and_then(|(a, b)| Some((a.trim().parse::<u32>().ok()?, b.trim().parse::<u32>().ok()?)));
    let Some((a, b)) = numbers else {
        anyhow::bail!(
            "invalid --diff {spec:?}: expected two revision numbers as A..B, such as 1..3"
        );
    };
    let find = |number: u32| {
        revisions
            .iter()
            .find(|r| r.revision == number)
            .with_context(|| {
                let (first, last) = (
                    revisions[0].revision,
                    revisions[revisions.len() - 1].revision,
                );
                format!(
                    "revision {number} is out of range: dispatch {id} has revisions {first}..{last}"
                )
            })
    };
    Ok((find(a)?, find(b)?))
}

/// One revision in the list, with what changed since the one before.
struct Step<'r> {
    revision: &'r Revision,
    words: usize,
    /// `None` for the first revision.
    since_previous: Option<Delta>,
}

struct Delta {
    title_changed: bool,
    text: Summary,
    text_replaced_entirely: bool,
    other_fields: Vec<&'static str>,
}

impl<'r> Step<'r> {
    fn new(previous: Option<&Revision>, revision: &'r Revision) -> Step<'r> {
        let text = revision.dispatch.text();
        let since_previous = previous.map(|previous| {
            let old = &previous.dispatch;
            let new = &revision.dispatch;
            let text_diff = diff::word_diff_with_budget(&old.text(), &text, diff::DEFAULT_BUDGET);
            Delta {
                title_changed: old.title != new.title,
                text: text_diff.summary(),
                text_replaced_entirely: text_diff.replaced_entirely,
                other_fields: other_fields(old, new),
            }
        });
        Step {
            revision,
            words: diff::count_words(&text),
            since_previous,
        }
    }

    fn describe(&self) -> String {
        let Some(delta) = &self.since_previous else {
            return "first revision".to_owned();
        };
        let mut parts = Vec::new();
        if delta.title_changed {
            parts.push("title changed".to_owned());
        }
        if delta.text.changed {
            let rewritten = if delta.text_replaced_entirely {
                " (rewritten)"
            } else {
                ""
            };
            parts.push(format!("{}{rewritten}", delta.text));
        }
        if !delta.other_fields.is_empty() {
            parts.push(format!("{} changed", delta.other_fields.join(", ")));
        }
        if parts.is_empty() {
            "no visible change".to_owned()
        } else {
            parts.join("; ")
        }
    }

    fn to_json(&self) -> Value {
        json!({
            "revision": self.revision.revision,
            "recorded_at": self.revision.recorded_at.to_rfc3339(),
            "title": self.revision.dispatch.title,
            "words": self.words,
            "changes": self.since_previous.as_ref().map(|delta| json!({
                "title_changed": delta.title_changed,
                "text_changed": delta.text.changed,
                "words_added": delta.text.words_added,
                "words_removed": delta.text.words_removed,
                "text_replaced_entirely": delta.text_replaced_entirely,
                "other_fields": delta.other_fields,
            })),
            "dispatch": self.revision.dispatch,
        })
    }
}

/// The names of the other fields a reader would notice changing.
fn other_fields(old: &Dispatch, new: &Dispatch) -> Vec<&'static str> {
    let mut fields = Vec::new();
    let mut check = |name, changed: bool| {
        if changed {
            fields.push(name);
        }
    };
    check("url", old.url != new.url);
    check("published_at", old.published_at != new.published_at);
    check("updated_at", old.updated_at != new.updated_at);
    check("authors", old.authors != new.authors);
    check("summary", old.summary != new.summary);
    check("language", old.language != new.language);
    check("categories", old.categories != new.categories);
    check("image", old.image != new.image);
    check(
        "body blocks",
        old.body != new.body && old.text() == new.text(),
    );
    fields
}

/// The diff between two chosen revisions.
struct Compared<'r> {
    from: &'r Revision,
    to: &'r Revision,
    title: WordDiff,
    text: WordDiff,
}

impl<'r> Compared<'r> {
    fn new(from: &'r Revision, to: &'r Revision) -> Compared<'r> {
        let (old, new) = (&from.dispatch, &to.dispatch);
        Compared {
            from,
            to,
            title: diff::word_diff_with_budget(&old.title, &new.title, diff::DEFAULT_BUDGET),
            text: diff::word_diff_with_budget(&old.text(), &new.text(), diff::DEFAULT_BUDGET),
        }
    }

    fn to_json(&self) -> Value {
        let side = |diff: &WordDiff| {
            let summary = diff.summary();
            json!({
                "changes": diff.changes.iter().map(change_json).collect::<Vec<_>>(),
                "inline": diff::render_inline(&diff.changes),
                "changed": summary.changed,
                "words_added": summary.words_added,
                "words_removed": summary.words_removed,
                "replaced_entirely": diff.replaced_entirely,
            })
        };
        json!({
            "from": self.from.revision,
            "to": self.to.revision,
            "title": side(&self.title),
            "text": side(&self.text),
        })
    }
}

fn change_json(change: &Change) -> Value {
    match change {
        Change::Same(text) => json!({ "same": text }),
        Change::Removed(text) => json!({ "removed": text }),
        Change::Added(text) => json!({ "added": text }),
    }
}

fn render(dispatch: &Dispatch, steps: &[Step], compared: Option<&Compared>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "   id         {}", dispatch.id);
    let _ = writeln!(out, "   url        {}", dispatch.url);
    let _ = writeln!(out, "   revisions  {}", steps.len());
    let _ = writeln!(out);
    for step in steps {
        let _ = writeln!(
            out,
            "revision {}  {}  {} words  {}",
            step.revision.revision,
            step.revision.recorded_at.format("%Y-%m-%d %H:%M:%S UTC"),
            step.words,
            step.describe()
        );
        let _ = writeln!(out, "   title  {}", step.revision.dispatch.title);
    }
    let Some(compared) = compared else {
        let _ = writeln!(out, "\nonly one revision: nothing to compare");
        return out;
    };
    let _ = writeln!(
        out,
        "\ndiff {}..{}  ([-removed-] {{+added+}})",
        compared.from.revision, compared.to.revision
    );
    let title = if compared.title.summary().changed {
        diff::render_inline(&compared.title.changes)
    } else {
        format!("(unchanged) {}", compared.to.dispatch.title)
    };
    let _ = writeln!(out, "   title  {title}");
    let summary = compared.text.summary();
    let note = if compared.text.replaced_entirely {
        ", too different to compare word by word"
    } else {
        ""
    };
    let _ = writeln!(out, "   text   {summary}{note}");
    let hunks = diff::render_inline_hunks(&compared.text.changes, CONTEXT_LINES);
    for line in hunks.lines() {
        if line.is_empty() {
            let _ = writeln!(out);
        } else {
            let _ = writeln!(out, "     {line}");
        }
    }
    out
}
