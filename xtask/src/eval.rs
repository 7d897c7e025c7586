//! `cargo xtask eval`: score extraction over a labelled set of pages and print a table.
//! `--set DIR` picks the set (default `fixtures/eval`; the held-out set is `fixtures/eval/heldout`).

use std::process::ExitCode;

use newswire_pipeline::eval::{self, PageScore};

use crate::flags::Eval;

impl Eval {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        // `join` keeps an absolute `--set` as it is.
        let eval_dir = crate::project_root().join(&self.set);
        anyhow::ensure!(
            eval_dir.join("labels").is_dir(),
            "{} has no labels/ directory",
            eval_dir.display()
        );
        let labels =
            eval::load_labels(&eval_dir.join("labels")).map_err(|err| anyhow::anyhow!("{err}"))?;
        anyhow::ensure!(
            !labels.is_empty(),
            "no labels in {}",
            eval_dir.join("labels").display()
        );
        let mut scores = Vec::new();
        for (name, label) in &labels {
            scores.push(
                eval::score(name, label, &eval_dir)
                    .map_err(|err| anyhow::anyhow!("{name}: {err}"))?,
            );
        }
        let summary = eval::summarize(&scores);
        if self.json {
            println!(
                "{}",
                serde_json::to_string_pretty(
                    &serde_json::json!({ "summary": summary, "pages": scores })
                )?
            );
            return Ok(ExitCode::SUCCESS);
        }
        println!(
            "{:<44} {:<12} {:>5} {:>5} {:>5}  title  byline  day  exact   ms",
            "page", "family", "P", "R", "F1"
        );
        for score in &scores {
            let perfect =
                score.f1 > 0.999 && score.title_ok && score.authors_ok && score.date_exact_ok;
            if self.verbose || !perfect {
                print_row(score);
            }
        }
        println!(
            "\n{} pages: body P {:.3} R {:.3} F1 {:.3}; title {:.1}%; byline {:.1}%; date same-day {:.1}%, exact {:.1}%; {:.2} ms/page",
            summary.pages,
            summary.precision,
            summary.recall,
            summary.f1,
            summary.title * 100.0,
            summary.authors * 100.0,
            summary.date_day * 100.0,
            summary.date_exact * 100.0,
            summary.ms_per_page
        );
        Ok(ExitCode::SUCCESS)
    }
}

fn print_row(s: &PageScore) {
    let mark = |ok: bool| if ok { "ok" } else { "MISS" };
    println!(
        "{:<44} {:<12} {:>5.3} {:>5.3} {:>5.3}  {:<5}  {:<6}  {:<4} {:<5} {:>5.2}",
        truncate(&s.name, 44),
        truncate(&s.family, 12),
        s.precision,
        s.recall,
        s.f1,
        mark(s.title_ok),
        mark(s.authors_ok),
        mark(s.date_day_ok),
        mark(s.date_exact_ok),
        s.elapsed.as_secs_f64() * 1000.0
    );
    if !s.title_ok {
        println!("    title: got {:?}", s.got_title);
    }
    if !s.authors_ok {
        println!("    authors: got {:?}", s.got_authors);
    }
    if !s.date_exact_ok {
        println!(
            "    published_at: got {:?}, want {:?}",
            s.got_published_at, s.want_published_at
        );
    }
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        s.chars().take(n - 1).chain(['…']).collect()
    }
}
