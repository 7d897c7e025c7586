//! `cargo xtask bench`: run the criterion benchmarks, then print each one's median and throughput.

use std::path::Path;
use std::process::{Command, ExitCode};

use crate::flags::Bench;

/// The crates with benchmarks, and their bench targets.
const BENCHES: &[(&str, &str)] = &[("newswire-ingest", "parse")];

impl Bench {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let root = crate::project_root();
        for (package, bench) in BENCHES {
            let mut cmd = Command::new(&cargo);
            cmd.current_dir(&root)
                .args(["bench", "--package", package, "--bench", bench, "--"]);
            if let Some(filter) = &self.filter {
                cmd.arg(filter);
            }
            let status = cmd.status()?;
            anyhow::ensure!(status.success(), "cargo bench --package {package} failed");
        }
        println!(
            "\n{:<40} {:>12} {:>12}",
            "benchmark", "median", "throughput"
        );
        print_medians(&root.join("target/criterion"))?;
        Ok(ExitCode::SUCCESS)
    }
}

/// Walks criterion's output and prints the median of every benchmark's latest run.
fn print_medians(dir: &Path) -> anyhow::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        if !path.is_dir() || path.file_name().is_some_and(|n| n == "report") {
            continue;
        }
        let estimates = path.join("new/estimates.json");
        if estimates.exists() {
            let estimates: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&estimates)?)?;
            let benchmark: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(path.join("new/benchmark.json"))?)?;
            let median_ns = estimates["median"]["point_estimate"]
                .as_f64()
                .unwrap_or(f64::NAN);
            let name = benchmark["full_id"].as_str().unwrap_or_default().to_owned();
            let throughput = match benchmark["throughput"]["Bytes"].as_f64() {
                Some(bytes) => format!("{:.1} MB/s", bytes / median_ns * 1e3),
                None => String::new(),
            };
            println!("{:<40} {:>12} {:>12}", name, human(median_ns), throughput);
        } else {
            print_medians(&path)?;
        }
    }
    Ok(())
}

fn human(ns: f64) -> String {
    match ns {
        ns if ns >= 1e9 => format!("{:.2} s", ns / 1e9),
        ns if ns >= 1e6 => format!("{:.2} ms", ns / 1e6),
        ns if ns >= 1e3 => format!("{:.2} µs", ns / 1e3),
        ns => format!("{ns:.0} ns"),
    }
}
