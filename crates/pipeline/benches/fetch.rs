//! The fetch benchmark (issue 5): a `Worker` ingests 1,000 feeds of 20 entries each, with their article pages,
//! from a synthetic news server on 127.0.0.1 spread over 50 host names, into a fresh SQLite file; then, a day
//! later by the pipeline's clock, checks them all again (every feed answers 304).
//!
//! ```sh
//! cargo bench -p newswire-pipeline --bench fetch
//! ```
//!
//! The server runs in a separate process (this binary re-executed with `NEWSWIRE_BENCH_SERVE=1`), so the CPU
//! time and peak memory printed are the ingesting process's own. Per pass it prints wall time, the requests the
//! server answered and their rate, dispatches stored, CPU seconds (user + system, from `/proc/self/stat`) in all
//! and per 1,000 dispatches, the CPU seconds of the store writer thread (all dispatches are written on that one
//! thread), and peak RSS (`VmHWM`, reset between the passes through `/proc/self/clear_refs`).
//! It also prints two lower bounds on the wall time, so that a reader sees what bounded the pass: the
//! politeness bound (each host's requests one spacing apart) and the concurrency bound (a source's requests
//! all go to its host, one spacing apart, and at most `source concurrency` sources are fetched at once).
//! Concurrent work on the machine (builds, a fuzzer) shows as wall time above both bounds with the bench
//! process's CPU well under the cores available; a store writer thread busy all the pass long shows that
//! storing bounded it.
//!
//! Knobs, all environment variables:
//!
//! - `NEWSWIRE_BENCH_FEEDS`: feeds to register (default 1000; `100` for a quick check), spread over 50 hosts.
//! - `NEWSWIRE_BENCH_SPACING_MS`: least time between two requests to one host (default 50; `0` for none).
//! - `NEWSWIRE_BENCH_CONCURRENCY`, `NEWSWIRE_BENCH_PAGE_CONCURRENCY`, `NEWSWIRE_BENCH_BATCH`: sources checked at
//!   once, article pages of one feed fetched at once, most sources leased per transaction (defaults: the
//!   library's, 64, 4 and 16, as `cargo xtask ingest --due` runs).
//! - `NEWSWIRE_BENCH_DB`: keep the database at this (new) path instead of a temporary directory.
//! - `NEWSWIRE_BENCH_ORDER`: `interleaved` (default: feed `i` on host `i mod 50`, as a mixed subscription list)
//!   or `grouped` (all of a host's feeds registered together, as after importing one publisher's OPML).
//!
//! The site: hosts `h00.bench.test` … `h49.bench.test`, feeds `/feeds/NN.xml` (RSS 2.0, 20 items, an `ETag`
//! honoured by `If-None-Match`), article pages `/2026/11/28/story-FFF-II.html` (8–30 KB of HTML with
//! navigation, byline, date and 6–15 paragraphs generated from a seed), and 404 for `/robots.txt`.

use std::error::Error;

type BoxError = Box<dyn Error + Send + Sync>;

/// Host names served: `h00.bench.test` … `h49.bench.test`.
const HOSTS: usize = 50;
/// Items per feed.
const ENTRIES: usize = 20;
/// The name of the pipeline's store writer thread (as `/proc` shows it).
const WRITER_THREAD: &str = "newswire-writer";
/// Set (to anything) in the re-executed process that serves the site.
const SERVE_ENV: &str = "NEWSWIRE_BENCH_SERVE";

fn main() -> Result<(), BoxError> {
    if std::env::var_os(SERVE_ENV).is_some() {
        return server::run();
    }
    bench::run()
}

/// The host name of host number `host`.
fn host_name(host: usize) -> String {
    format!("h{host:02}.bench.test")
}

/// Process figures from `/proc` (Linux).
mod probe {
    /// Clock ticks per second in `/proc/<pid>/stat`: `USER_HZ`, 100 on every Linux ABI.
    const USER_HZ: f64 = 100.0;

    /// CPU seconds (user + system, all threads) this process has used.
    pub fn cpu_seconds() -> f64 {
        let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
        // Fields after the command name (which may hold spaces) start with field 3, `state`; `utime` and
        // `stime` are fields 14 and 15.
        let rest = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or("");
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let ticks = |idx: usize| {
            fields
                .get(idx)
                .and_then(|f| f.parse::<u64>().ok())
                .unwrap_or(0)
        };
        (ticks(11) + ticks(12)) as f64 / USER_HZ
    }

    /// CPU seconds (user + system) the threads named `name` have used (the live ones).
    pub fn thread_cpu_seconds(name: &str) -> f64 {
        let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
            return 0.0;
        };
        let mut ticks = 0;
        for task in tasks.flatten() {
            let stat = std::fs::read_to_string(task.path().join("stat")).unwrap_or_default();
            let Some((head, rest)) = stat.rsplit_once(')') else {
                continue;
            };
            if head.split_once('(').map(|(_, comm)| comm) != Some(name) {
                continue;
            }
            let fields: Vec<&str> = rest.split_whitespace().collect();
            for idx in [11, 12] {
                ticks += fields
                    .get(idx)
                    .and_then(|f| f.parse::<u64>().ok())
                    .unwrap_or(0);
            }
        }
        ticks as f64 / USER_HZ
    }

    /// A `kB` line of `/proc/self/status` (`VmHWM`, `VmRSS`), in MiB.
    pub fn status_mib(key: &str) -> f64 {
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        status
            .lines()
            .find_map(|line| line.strip_prefix(key)?.strip_prefix(':'))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            .map_or(f64::NAN, |kb| kb / 1024.0)
    }

    /// Resets the peak RSS (`VmHWM`) to the current RSS; false when the kernel refused.
    pub fn reset_peak_rss() -> bool {
        std::fs::write("/proc/self/clear_refs", "5").is_ok()
    }
}

/// The synthetic site's documents, generated deterministically from the host, feed and item numbers.
mod site {
    use std::fmt::Write;
    use std::sync::LazyLock;

    use chrono::{DateTime, FixedOffset, TimeZone, Utc};

    use super::{ENTRIES, HOSTS, host_name};

    /// splitmix64: small, fast and good enough to vary generated text.
    pub struct Rng(u64);

    impl Rng {
        pub fn new(seed: u64) -> Rng {
            Rng(seed.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ 0x9E37_79B9_7F4A_7C15)
        }

        pub fn next_u64(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }

        /// A number in `lo..=hi`.
        pub fn range(&mut self, lo: usize, hi: usize) -> usize {
            lo + (self.next_u64() % (hi - lo + 1) as u64) as usize
        }

        pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            items[self.range(0, items.len() - 1)]
        }

        pub fn chance(&mut self, one_in: u64) -> bool {
            self.next_u64().is_multiple_of(one_in)
        }
    }

    const PLACE_WORDS: &[&str] = &[
        "Harbour",
        "Northern",
        "Valley",
        "Coastal",
        "Lakeside",
        "Capital",
        "Eastern",
        "Western",
        "Highland",
        "Riverside",
    ];
    const PAPER_WORDS: &[&str] = &["Gazette", "Courier", "Times", "Herald", "Ledger"];
    const SECTIONS: &[&str] = &[
        "World",
        "Politics",
        "Business",
        "Economy",
        "Science",
        "Health",
        "Education",
        "Environment",
        "Technology",
        "Culture",
        "Sport",
        "Transport",
        "Housing",
        "Energy",
        "Agriculture",
        "Justice",
        "Local",
        "Opinion",
        "Travel",
        "Weather",
    ];
    /// Words the generated text is made of: enough of them that unrelated stories share few runs of three
    /// words, as real ones do (story matching in the store compares word 3-shingles).
    struct Vocab {
        nouns: Vec<&'static str>,
        adjectives: Vec<&'static str>,
        past: Vec<&'static str>,
        base: Vec<&'static str>,
        first_names: Vec<&'static str>,
        last_names: Vec<&'static str>,
        place_heads: Vec<&'static str>,
        place_tails: Vec<&'static str>,
    }

    static VOCAB: LazyLock<Vocab> = LazyLock::new(|| {
        Vocab {
        nouns: "budget council harbour ferry bridge tunnel clinic hospital school college university library \
                museum stadium airport railway station tramline motorway reservoir dam pipeline refinery mine \
                quarry factory warehouse brewery bakery market farm orchard vineyard forest river canal lake \
                coast beach island valley village district suburb county province parliament ministry agency \
                regulator tribunal court prison police brigade union cooperative charity foundation bank lender \
                insurer pension tariff subsidy levy tax grant loan bond deficit surplus wage rent mortgage \
                tenancy landlord developer contractor architect engineer surveyor inspector auditor treasurer \
                mayor governor senator minister commissioner judge prosecutor lawyer doctor nurse midwife \
                pharmacist teacher pupil researcher scientist farmer fisherman miner driver pilot sailor baker \
                grocer plumber electrician carpenter consultant analyst economist historian curator novelist \
                composer painter photographer broadcaster editor publisher festival exhibition concert \
                tournament election referendum census survey inquiry audit report review study trial scheme \
                programme project plan strategy policy law statute ordinance permit licence contract tender \
                merger takeover strike protest petition lawsuit verdict appeal ruling penalty vaccine outbreak \
                drought flood storm wildfire earthquake landslide heatwave harvest catch yield turbine battery \
                reactor grid substation cable satellite network server database platform startup"
            .split_whitespace()
            .collect(),
        adjectives: "regional municipal national provincial coastal northern southern eastern western rural \
                     urban historic ancient modern temporary permanent controversial ambitious modest costly \
                     expensive cheap profitable loss-making bankrupt crowded empty abandoned derelict renovated \
                     refurbished flooded damaged overcrowded understaffed underfunded independent private \
                     public federal local foreign domestic annual quarterly monthly weekly preliminary final \
                     interim revised draft secret confidential leaked disputed delayed postponed cancelled \
                     emergency routine experimental pioneering outdated obsolete reliable fragile volatile \
                     stable rising falling record unprecedented long-awaited overdue landmark sweeping narrow \
                     broad unanimous divided bitter quiet fierce lengthy brief"
            .split_whitespace()
            .collect(),
        past: "approved rejected delayed postponed cancelled launched expanded reduced doubled halved suspended \
               reopened closed inspected audited criticised defended welcomed questioned challenged overturned \
               upheld extended renewed signed ratified vetoed funded financed privatised nationalised restored \
               demolished rebuilt repaired evacuated investigated prosecuted fined sued hired dismissed \
               promoted appointed elected nominated reported recorded measured estimated revised published \
               leaked announced unveiled proposed drafted amended tabled debated negotiated secured won lost"
            .split_whitespace()
            .collect(),
        base: "approve reject delay review expand reduce double suspend reopen close inspect audit fund finance \
               restore rebuild repair investigate extend renew sign replace upgrade modernise relocate merge \
               privatise protect monitor assess revise tighten cap freeze raise cut lower"
            .split_whitespace()
            .collect(),
        first_names: "Amina Bernard Carla Dmitri Elena Farid Grace Hiroshi Ingrid Jonas Keisha Luis Mara Nikhil \
                      Olga Pedro Quentin Rosa Samuel Tamsin Ulrich Valeria Wen Yusuf Agnes Bruno Chloe Desmond \
                      Esther Felix Greta Hamid Isla Joaquin Katya Leon Miriam Nadia Oscar Priya"
            .split_whitespace()
            .collect(),
        last_names: "Adeyemi Brennan Castillo Dubois Eriksen Fontaine Garrido Haddad Iwasaki Jovanovic Kowalski \
                     Lindqvist Moreau Nakamura Okafor Petrov Quinlan Rahman Schneider Takahashi Underwood Varga \
                     Whitfield Zamora Albescu Bergstrom Chaudhry Delgado Esposito Fitzgerald Gallagher Horvath \
                     Ibrahim Jensen Kaminski Lombardi Mbeki Novak Oliveira Papadopoulos"
            .split_whitespace()
            .collect(),
        place_heads: "Kar Ost Bel Mar Tor Hal Vel Dun Ash Bram Cal Fen Gal Lin Rad Sel Wes Zor Ald Brin"
            .split_whitespace()
            .collect(),
        place_tails: "ven ber mar ston wick ford holm by thorpe dale mouth field gate haven bridge ley"
            .split_whitespace()
            .collect(),
    }
    });

    const DAYS: &[&str] = &[
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    const MONTHS: &[&str] = &[
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];

    /// The pieces sentences are made of.
    struct Words<'r> {
        rng: &'r mut Rng,
        vocab: &'static Vocab,
    }

    impl Words<'_> {
        fn noun(&mut self) -> &'static str {
            self.rng.pick(&self.vocab.nouns)
        }
        fn adjective(&mut self) -> &'static str {
            self.rng.pick(&self.vocab.adjectives)
        }
        fn past(&mut self) -> &'static str {
            self.rng.pick(&self.vocab.past)
        }
        fn base(&mut self) -> &'static str {
            self.rng.pick(&self.vocab.base)
        }
        fn person(&mut self) -> String {
            format!(
                "{} {}",
                self.rng.pick(&self.vocab.first_names),
                self.rng.pick(&self.vocab.last_names)
            )
        }
        fn place(&mut self) -> String {
            format!(
                "{}{}",
                self.rng.pick(&self.vocab.place_heads),
                self.rng.pick(&self.vocab.place_tails)
            )
        }
        fn number(&mut self) -> usize {
            self.rng.range(3, 4800)
        }
        fn money(&mut self) -> String {
            format!(
                "{}.{} million euros",
                self.rng.range(1, 900),
                self.rng.range(1, 9)
            )
        }
        fn day(&mut self) -> &'static str {
            self.rng.pick(DAYS)
        }
        fn month(&mut self) -> &'static str {
            self.rng.pick(MONTHS)
        }
        fn year(&mut self) -> usize {
            self.rng.range(1994, 2025)
        }
    }

    /// A headline: "Karvenholm council approves temporary ferry contract".
    fn headline(rng: &mut Rng) -> String {
        let mut w = Words { rng, vocab: &VOCAB };
        format!(
            "{} {} {}s {} {} {}",
            w.place(),
            w.noun(),
            w.base(),
            w.adjective(),
            w.noun(),
            w.noun()
        )
    }

    fn person_name(rng: &mut Rng) -> String {
        Words { rng, vocab: &VOCAB }.person()
    }

    fn sentence(rng: &mut Rng) -> String {
        let template = rng.range(0, 9);
        let mut w = Words { rng, vocab: &VOCAB };
        match template {
            0 => format!(
                "{}, the {} {}'s {}, said the {} had {} the {} {} in {} on {}.",
                w.person(),
                w.adjective(),
                w.noun(),
                w.noun(),
                w.noun(),
                w.past(),
                w.adjective(),
                w.noun(),
                w.place(),
                w.day()
            ),
            1 => format!(
                "The {} {} in {} {} {} {} contracts {} {}, {} more than {}.",
                w.adjective(),
                w.noun(),
                w.place(),
                w.past(),
                w.number(),
                w.noun(),
                w.rng.pick(&["last", "in", "during", "through", "since"]),
                w.month(),
                w.number(),
                w.rng.pick(&[
                    "a year earlier",
                    "in the same period of last year",
                    "the previous year",
                    "before the pandemic",
                    "expected"
                ])
            ),
            2 => format!(
                "{} in {} {} {} the {} {} before {}, after {} {} the {} {}.",
                w.rng.pick(&[
                    "Officials",
                    "Councillors",
                    "Managers",
                    "Regulators",
                    "Organisers",
                    "Lawmakers"
                ]),
                w.place(),
                w.rng.pick(&[
                    "said they would",
                    "promised to",
                    "plan to",
                    "voted to",
                    "hope to",
                    "were told to"
                ]),
                w.base(),
                w.adjective(),
                w.noun(),
                w.month(),
                w.person(),
                w.past(),
                w.noun(),
                w.noun()
            ),
            3 => format!(
                "{} {} {} figures, {} {} {} {} percent in {} and fell in {}.",
                w.rng.pick(&[
                    "According to",
                    "Citing",
                    "Going by",
                    "Based on",
                    "Under",
                    "In"
                ]),
                w.adjective(),
                w.noun(),
                w.noun(),
                w.noun(),
                w.rng.pick(&[
                    "rose by",
                    "climbed",
                    "grew by",
                    "jumped",
                    "increased by",
                    "went up"
                ]),
                w.rng.range(2, 60),
                w.place(),
                w.place()
            ),
            4 => format!(
                "{} {} the {} {}, arguing that the {} {} would {} {} {} across {}.",
                w.person(),
                w.past(),
                w.noun(),
                w.noun(),
                w.adjective(),
                w.noun(),
                w.base(),
                w.noun(),
                w.noun(),
                w.place()
            ),
            5 => format!(
                "Residents of {} have {} the {} {} for {} months, {} told {} {} {}.",
                w.place(),
                w.past(),
                w.adjective(),
                w.noun(),
                w.rng.range(2, 40),
                w.person(),
                w.adjective(),
                w.noun(),
                w.noun()
            ),
            6 => format!(
                "The {} {} {} {} the {} {} by {} {}, {} {}.",
                w.noun(),
                w.noun(),
                w.rng.pick(&[
                    "is expected to",
                    "is due to",
                    "was meant to",
                    "is set to",
                    "promises to",
                    "may"
                ]),
                w.base(),
                w.adjective(),
                w.noun(),
                w.month(),
                w.year() + 2,
                w.rng.pick(&[
                    "at a cost of",
                    "for",
                    "costing",
                    "with a budget of",
                    "spending",
                    "saving"
                ]),
                w.money()
            ),
            7 => format!(
                "In {}, {} {} {} were {} after the {} {} {} the {} {}.",
                w.place(),
                w.number(),
                w.noun(),
                w.noun(),
                w.past(),
                w.adjective(),
                w.noun(),
                w.past(),
                w.adjective(),
                w.noun()
            ),
            8 => format!(
                "{}, who {} the {} {} in {}, said the {} {} had been {} twice.",
                w.person(),
                w.past(),
                w.noun(),
                w.noun(),
                w.year(),
                w.adjective(),
                w.noun(),
                w.past()
            ),
            _ => format!(
                "A {} {} of the {} {} {} {} for the {} {} in {}.",
                w.adjective(),
                w.noun(),
                w.noun(),
                w.noun(),
                w.past(),
                w.money(),
                w.adjective(),
                w.noun(),
                w.place()
            ),
        }
    }

    fn quote(rng: &mut Rng) -> String {
        let mut w = Words { rng, vocab: &VOCAB };
        format!(
            "\u{201c}We will {} the {} {} as soon as the {} {} allows it,\u{201d} said {}, a {} {} in {}.",
            w.base(),
            w.adjective(),
            w.noun(),
            w.noun(),
            w.noun(),
            w.person(),
            w.noun(),
            w.noun(),
            w.place()
        )
    }

    /// The publishers' UTC offsets, in hours and minutes, by host.
    const OFFSETS: &[i32] = &[
        -5 * 3600,
        0,
        3600,
        -8 * 3600,
        5 * 3600 + 1800,
        9 * 3600,
        2 * 3600,
        -3 * 3600,
    ];

    /// The publication behind a host.
    pub fn publication(host: usize) -> String {
        format!(
            "The {} {}",
            PLACE_WORDS[host % PLACE_WORDS.len()],
            PAPER_WORDS[(host / PLACE_WORDS.len()) % PAPER_WORDS.len()]
        )
    }

    /// The section a feed of a host covers.
    pub fn section(feed_no: usize) -> &'static str {
        SECTIONS[feed_no % SECTIONS.len()]
    }

    /// A feed's number over all hosts (`FFF` in its stories' links), from its host and its number there.
    pub fn feed_id(host: usize, feed_no: usize) -> usize {
        feed_no * HOSTS + host
    }

    /// The `ETag` of a feed (quoted, as sent).
    pub fn etag(host: usize, feed_no: usize) -> String {
        format!("\"bench-{host:02}-{feed_no:02}-v1\"")
    }

    /// A story: what its feed item and its page share.
    pub struct Story {
        pub host: usize,
        pub feed_no: usize,
        pub item: usize,
        pub link: String,
        pub title: String,
        pub author: String,
        pub published: DateTime<FixedOffset>,
        pub standfirst: String,
    }

    impl Story {
        pub fn new(origin: &str, host: usize, feed_no: usize, item: usize) -> Story {
            let id = feed_id(host, feed_no);
            let mut rng = Rng::new((id * 1000 + item) as u64);
            let title = headline(&mut rng);
            let author = person_name(&mut rng);
            let standfirst = format!("{} {}", sentence(&mut rng), sentence(&mut rng));
            // Newest first, about three quarters of an hour apart, in the morning of 2026-11-28 (UTC).
            let minutes_back = (item * 47 + (id % 50) * 3) as i64;
            let instant = Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap()
                - chrono::Duration::minutes(minutes_back);
            let offset = FixedOffset::east_opt(OFFSETS[host % OFFSETS.len()]).unwrap();
            Story {
                host,
                feed_no,
                item,
                link: format!("{origin}/2026/11/28/story-{id:03}-{item:02}.html"),
                title,
                author,
                published: instant.with_timezone(&offset),
                standfirst,
            }
        }

        fn seed(&self) -> u64 {
            (feed_id(self.host, self.feed_no) * 1000 + self.item) as u64 + (1 << 40)
        }
    }

    /// Escapes text for XML and HTML content and attribute values.
    pub fn escape(text: &str) -> String {
        let mut out = String::with_capacity(text.len() + 16);
        for ch in text.chars() {
            match ch {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                _ => out.push(ch),
            }
        }
        out
    }

    /// Feed `feed_no` of `host`, as RSS 2.0.
    pub fn feed(origin: &str, host: usize, feed_no: usize) -> String {
        let publication = publication(host);
        let section = section(feed_no);
        let stories: Vec<Story> = (0..ENTRIES)
            .map(|item| Story::new(origin, host, feed_no, item))
            .collect();
        let mut xml = String::with_capacity(16 * 1024);
        let _ = write!(
            xml,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n\
             <channel>\n\
             <title>{pub_esc}: {section}</title>\n\
             <link>{origin}/{lower}/</link>\n\
             <atom:link href=\"{origin}/feeds/{feed_no:02}.xml\" rel=\"self\" type=\"application/rss+xml\"/>\n\
             <description>{section} news from {pub_esc}</description>\n\
             <language>en</language>\n\
             <lastBuildDate>{built}</lastBuildDate>\n\
             <generator>newswire fetch benchmark</generator>\n",
            pub_esc = escape(&publication),
            lower = section.to_ascii_lowercase(),
            built = stories[0].published.to_rfc2822(),
        );
        for story in &stories {
            let _ = write!(
                xml,
                "<item>\n\
                 <title>{title}</title>\n\
                 <link>{link}</link>\n\
                 <guid isPermaLink=\"true\">{link}</guid>\n\
                 <pubDate>{date}</pubDate>\n\
                 <dc:creator>{author}</dc:creator>\n\
                 <category>{section}</category>\n\
                 <description>{summary}</description>\n\
                 </item>\n",
                title = escape(&story.title),
                link = story.link,
                date = story.published.to_rfc2822(),
                author = escape(&story.author),
                summary = escape(&format!("<p>{}</p>", escape(&story.standfirst))),
            );
        }
        xml.push_str("</channel>\n</rss>\n");
        xml
    }

    /// The article page of a story: 8–30 KB, with the usual furniture around 6–15 paragraphs.
    pub fn page(origin: &str, story: &Story) -> String {
        let mut rng = Rng::new(story.seed());
        let target = rng.range(8 * 1024, 30 * 1024);
        let n_paragraphs = rng.range(6, 15);
        let publication = escape(&publication(story.host));
        let section = section(story.feed_no);
        let title = escape(&story.title);
        let published = story.published.to_rfc3339();
        let mut html = String::with_capacity(target + 4096);
        let _ = write!(
            html,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{title} | {publication}</title>\n\
             <meta name=\"description\" content=\"{standfirst}\">\n\
             <link rel=\"canonical\" href=\"{link}\">\n\
             <meta property=\"og:type\" content=\"article\">\n\
             <meta property=\"og:site_name\" content=\"{publication}\">\n\
             <meta property=\"og:title\" content=\"{title}\">\n\
             <meta property=\"og:url\" content=\"{link}\">\n\
             <meta property=\"article:published_time\" content=\"{published}\">\n\
             <meta property=\"article:section\" content=\"{section}\">\n\
             <meta name=\"author\" content=\"{author}\">\n\
             <link rel=\"stylesheet\" href=\"/static/css/site.4e1f.css\">\n\
             <link rel=\"alternate\" type=\"application/rss+xml\" href=\"/feeds/{feed_no:02}.xml\" title=\"{section}\">\n\
             <script src=\"/static/js/consent.js\" defer></script>\n\
             </head>\n<body class=\"article-page\">\n\
             <div class=\"cookie-banner\" role=\"dialog\"><p>We use cookies to remember your settings and to count \
             visits. By continuing to browse you accept their use.</p><a href=\"/cookies\">Find out more</a></div>\n\
             <header class=\"site-header\">\n<a class=\"brand\" href=\"/\">{publication}</a>\n\
             <nav class=\"main-nav\" aria-label=\"Sections\">\n<ul>\n",
            standfirst = escape(&story.standfirst),
            link = story.link,
            author = escape(&story.author),
            feed_no = story.feed_no,
        );
        for name in SECTIONS {
            let _ = writeln!(
                html,
                "<li><a href=\"/{}/\">{name}</a></li>",
                name.to_ascii_lowercase()
            );
        }
        let _ = write!(
            html,
            "</ul>\n</nav>\n<form class=\"search\" action=\"/search\"><input type=\"search\" name=\"q\" \
             placeholder=\"Search\"><button>Go</button></form>\n</header>\n\
             <main id=\"content\">\n<article class=\"story\">\n<header class=\"story-header\">\n\
             <p class=\"kicker\"><a href=\"/{lower}/\">{section}</a></p>\n\
             <h1 class=\"headline\">{title}</h1>\n\
             <p class=\"standfirst\">{standfirst}</p>\n\
             <p class=\"byline\">By <a rel=\"author\" href=\"/authors/{slug}\">{author}</a></p>\n\
             <time class=\"published\" datetime=\"{published}\">{shown}</time>\n\
             </header>\n<div class=\"story-body\">\n",
            lower = section.to_ascii_lowercase(),
            standfirst = escape(&story.standfirst),
            slug = story.author.to_ascii_lowercase().replace(' ', "-"),
            author = escape(&story.author),
            shown = story.published.format("%-d %B %Y, %H:%M"),
        );
        // What the furniture after the body takes, roughly; the paragraphs fill the rest of the target.
        let tail_estimate = 2600;
        let per_paragraph = target.saturating_sub(html.len() + tail_estimate) / n_paragraphs;
        for idx in 0..n_paragraphs {
            let mut paragraph = String::new();
            if idx > 0 && rng.chance(4) {
                paragraph.push_str(&quote(&mut rng));
            }
            while paragraph.len() < per_paragraph.max(200) {
                if !paragraph.is_empty() {
                    paragraph.push(' ');
                }
                paragraph.push_str(&sentence(&mut rng));
            }
            let _ = writeln!(html, "<p>{}</p>", escape(&paragraph));
            if idx == n_paragraphs / 2 {
                html.push_str(
                    "<aside class=\"ad-slot\"><p>Advertisement</p><div class=\"ad\" data-slot=\"mid-article\"></div></aside>\n",
                );
            }
        }
        html.push_str(
            "</div>\n<footer class=\"story-footer\"><p class=\"share\">Share this story: \
             <a href=\"#\">Email</a> <a href=\"#\">Facebook</a> <a href=\"#\">X</a></p></footer>\n</article>\n\
             <aside class=\"related\" aria-label=\"Related stories\">\n<h2>More from this section</h2>\n<ul>\n",
        );
        for other in 1..=6 {
            let item = (story.item + other) % ENTRIES;
            let id = feed_id(story.host, story.feed_no);
            let _ = writeln!(
                html,
                "<li><a href=\"{origin}/2026/11/28/story-{id:03}-{item:02}.html\">{}</a></li>",
                escape(&headline(&mut rng))
            );
        }
        let _ = write!(
            html,
            "</ul>\n</aside>\n</main>\n<footer class=\"site-footer\">\n<p>&copy; 2026 {publication}. \
             All rights reserved.</p>\n<ul class=\"footer-links\"><li><a href=\"/about\">About us</a></li>\
             <li><a href=\"/contact\">Contact</a></li><li><a href=\"/privacy\">Privacy</a></li>\
             <li><a href=\"/terms\">Terms of use</a></li><li><a href=\"/feeds/\">RSS feeds</a></li></ul>\n\
             </footer>\n</body>\n</html>\n"
        );
        html
    }

    /// The origin (`http://host:port`) of a host on the server's port.
    pub fn origin(host: usize, port: u16) -> String {
        format!("http://{}:{port}", host_name(host))
    }
}

/// The news server, run in its own process.
mod server {
    use std::convert::Infallible;
    use std::io::{BufRead, Write};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};

    use http_body_util::Full;
    use hyper::body::{Bytes, Incoming};
    use hyper::header::{CONTENT_TYPE, ETAG, HOST, IF_NONE_MATCH};
    use hyper::{Request, Response, StatusCode};
    use hyper_util::rt::TokioIo;
    use tokio::net::TcpListener;

    use super::{BoxError, ENTRIES, HOSTS, probe, site};

    /// What the server answered, by kind.
    #[derive(Default)]
    struct Stats {
        feeds: AtomicU64,
        not_modified: AtomicU64,
        pages: AtomicU64,
        robots: AtomicU64,
        other: AtomicU64,
        page_bytes: AtomicU64,
        bytes: AtomicU64,
        connections: AtomicU64,
    }

    impl Stats {
        fn line(&self) -> String {
            let get = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
            format!(
                "stats feeds={} not_modified={} pages={} robots={} other={} page_bytes={} bytes={} connections={} cpu_ms={}",
                get(&self.feeds),
                get(&self.not_modified),
                get(&self.pages),
                get(&self.robots),
                get(&self.other),
                get(&self.page_bytes),
                get(&self.bytes),
                get(&self.connections),
                (probe::cpu_seconds() * 1000.0) as u64,
            )
        }
    }

    /// Serves until standard input closes; prints `listening ADDR` first, and a stats line for each `stats`
    /// line read.
    pub fn run() -> Result<(), BoxError> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()?;
        let listener = runtime.block_on(TcpListener::bind("127.0.0.1:0"))?;
        let port = listener.local_addr()?.port();
        let stats = Arc::new(Stats::default());
        {
            let mut out = std::io::stdout().lock();
            writeln!(out, "listening {}", listener.local_addr()?)?;
            out.flush()?;
        }
        let control = Arc::clone(&stats);
        std::thread::spawn(move || {
            for line in std::io::stdin().lock().lines() {
                let Ok(line) = line else { break };
                if line.trim() == "stats" {
                    let mut out = std::io::stdout().lock();
                    let _ = writeln!(out, "{}", control.line());
                    let _ = out.flush();
                }
            }
            // The benchmark closed our standard input (or died): stop.
            std::process::exit(0);
        });
        runtime.block_on(serve(listener, port, stats))
    }

    async fn serve(listener: TcpListener, port: u16, stats: Arc<Stats>) -> Result<(), BoxError> {
        loop {
            let (stream, _) = match listener.accept().await {
                Ok(accepted) => accepted,
                Err(err) => {
                    eprintln!("bench server: accept failed: {err}");
                    continue;
                }
            };
            let _ = stream.set_nodelay(true);
            stats.connections.fetch_add(1, Ordering::Relaxed);
            let stats = Arc::clone(&stats);
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |request| {
                    let stats = Arc::clone(&stats);
                    async move { Ok::<_, Infallible>(answer(&request, port, &stats)) }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .keep_alive(true)
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    }

    /// `hNN.bench.test[:port]` → `NN`.
    fn host_number(host: &str) -> Option<usize> {
        let name = host.split(':').next()?;
        let number = name.strip_prefix('h')?.strip_suffix(".bench.test")?;
        let number: usize = number.parse().ok()?;
        (number < HOSTS).then_some(number)
    }

    fn answer(request: &Request<Incoming>, port: u16, stats: &Stats) -> Response<Full<Bytes>> {
        let host = request
            .headers()
            .get(HOST)
            .and_then(|v| v.to_str().ok())
            .or_else(|| request.uri().host())
            .and_then(host_number);
        let path = request.uri().path();
        let response = |status: StatusCode, content_type: &str, body: Vec<u8>| {
            stats.bytes.fetch_add(body.len() as u64, Ordering::Relaxed);
            Response::builder()
                .status(status)
                .header(CONTENT_TYPE, content_type)
                .body(Full::new(Bytes::from(body)))
                .expect("a valid response")
        };
        let Some(host) = host else {
            stats.other.fetch_add(1, Ordering::Relaxed);
            return response(
                StatusCode::NOT_FOUND,
                "text/plain",
                b"unknown host\n".to_vec(),
            );
        };
        let origin = site::origin(host, port);
        if path == "/robots.txt" {
            stats.robots.fetch_add(1, Ordering::Relaxed);
            return response(StatusCode::NOT_FOUND, "text/plain", b"not found\n".to_vec());
        }
        if let Some(feed_no) = path
            .strip_prefix("/feeds/")
            .and_then(|p| p.strip_suffix(".xml"))
            .and_then(|n| n.parse::<usize>().ok())
        {
            let etag = site::etag(host, feed_no);
            let matches = request
                .headers()
                .get(IF_NONE_MATCH)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.split(',').any(|tag| tag.trim() == etag));
            if matches {
                stats.not_modified.fetch_add(1, Ordering::Relaxed);
                return Response::builder()
                    .status(StatusCode::NOT_MODIFIED)
                    .header(ETAG, etag)
                    .body(Full::new(Bytes::new()))
                    .expect("a valid response");
            }
            stats.feeds.fetch_add(1, Ordering::Relaxed);
            let body = site::feed(&origin, host, feed_no).into_bytes();
            let mut ok = response(StatusCode::OK, "application/rss+xml; charset=utf-8", body);
            ok.headers_mut()
                .insert(ETAG, etag.parse().expect("a valid header value"));
            return ok;
        }
        let story = path
            .strip_prefix("/2026/11/28/story-")
            .and_then(|p| p.strip_suffix(".html"))
            .and_then(|p| p.split_once('-'))
            .and_then(|(id, item)| Some((id.parse::<usize>().ok()?, item.parse::<usize>().ok()?)))
            .filter(|&(id, item)| id % HOSTS == host && item < ENTRIES);
        if let Some((id, item)) = story {
            let story = site::Story::new(&origin, host, id / HOSTS, item);
            let body = site::page(&origin, &story).into_bytes();
            stats.pages.fetch_add(1, Ordering::Relaxed);
            stats
                .page_bytes
                .fetch_add(body.len() as u64, Ordering::Relaxed);
            return response(StatusCode::OK, "text/html; charset=utf-8", body);
        }
        stats.other.fetch_add(1, Ordering::Relaxed);
        response(StatusCode::NOT_FOUND, "text/plain", b"not found\n".to_vec())
    }
}

/// The benchmark proper: registers the feeds, runs the two passes and prints the table.
mod bench {
    use std::collections::HashMap;
    use std::io::{BufRead, BufReader, Write};
    use std::net::SocketAddr;
    use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
    use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};

    use chrono::Utc;
    use newswire_ingest::fetch::{FetcherBuilder, Limits};
    use newswire_pipeline::store::{NewSource, SqliteStore, Store};
    use newswire_pipeline::{
        Clock, DEFAULT_PAGE_CONCURRENCY, DEFAULT_SOURCE_CONCURRENCY, PipelineBuilder, Progress,
        RunReport, SourceReport, Worker, WorkerOptions, shared,
    };

    use super::{BoxError, ENTRIES, HOSTS, SERVE_ENV, WRITER_THREAD, host_name, probe, site};

    /// The benchmark's settings, from the environment.
    struct Config {
        feeds: usize,
        spacing: Duration,
        concurrency: usize,
        page_concurrency: usize,
        batch: usize,
        grouped: bool,
    }

    fn env_number(name: &str, default: usize) -> Result<usize, BoxError> {
        match std::env::var(name) {
            Ok(value) => value
                .trim()
                .parse()
                .map_err(|_| format!("{name}={value:?}: expected a whole number").into()),
            Err(_) => Ok(default),
        }
    }

    impl Config {
        fn from_env() -> Result<Config, BoxError> {
            let grouped = match std::env::var("NEWSWIRE_BENCH_ORDER").as_deref() {
                Ok("grouped") => true,
                Ok("interleaved") | Err(_) => false,
                Ok(other) => {
                    return Err(format!(
                        "NEWSWIRE_BENCH_ORDER={other:?}: expected interleaved or grouped"
                    )
                    .into());
                }
            };
            Ok(Config {
                feeds: env_number("NEWSWIRE_BENCH_FEEDS", 1000)?.max(1),
                spacing: Duration::from_millis(env_number("NEWSWIRE_BENCH_SPACING_MS", 50)? as u64),
                // PipelineBuilder's and WorkerOptions' defaults, which `cargo xtask ingest --due` uses.
                concurrency: env_number("NEWSWIRE_BENCH_CONCURRENCY", DEFAULT_SOURCE_CONCURRENCY)?
                    .max(1),
                page_concurrency: env_number(
                    "NEWSWIRE_BENCH_PAGE_CONCURRENCY",
                    DEFAULT_PAGE_CONCURRENCY,
                )?
                .max(1),
                batch: env_number("NEWSWIRE_BENCH_BATCH", WorkerOptions::default().batch)?.max(1),
                grouped,
            })
        }

        /// The fetcher's limits: the library's, with the spacing asked for.
        fn limits(&self) -> Limits {
            Limits {
                spacing: self.spacing,
                ..Limits::default()
            }
        }

        /// The feeds as (host, feed number on the host), in registration order.
        fn layout(&self) -> Vec<(usize, usize)> {
            let mut feeds: Vec<(usize, usize)> =
                (0..self.feeds).map(|i| (i % HOSTS, i / HOSTS)).collect();
            if self.grouped {
                feeds.sort();
            }
            feeds
        }
    }

    /// The server process, spoken to through its standard input and output.
    struct Server {
        child: Child,
        stdin: Option<ChildStdin>,
        stdout: BufReader<ChildStdout>,
        addr: SocketAddr,
    }

    type Counters = HashMap<String, u64>;

    impl Server {
        fn start() -> Result<Server, BoxError> {
            let mut child = Command::new(std::env::current_exe()?)
                .env(SERVE_ENV, "1")
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::inherit())
                .spawn()?;
            let stdin = child.stdin.take();
            let mut stdout = BufReader::new(child.stdout.take().ok_or("no server stdout")?);
            let mut line = String::new();
            stdout.read_line(&mut line)?;
            let addr = line
                .trim()
                .strip_prefix("listening ")
                .and_then(|a| a.parse().ok())
                .ok_or_else(|| format!("the server said {line:?} instead of its address"))?;
            Ok(Server {
                child,
                stdin,
                stdout,
                addr,
            })
        }

        fn stats(&mut self) -> Result<Counters, BoxError> {
            let stdin = self.stdin.as_mut().ok_or("server stopped")?;
            writeln!(stdin, "stats")?;
            stdin.flush()?;
            let mut line = String::new();
            self.stdout.read_line(&mut line)?;
            let rest = line
                .trim()
                .strip_prefix("stats ")
                .ok_or_else(|| format!("the server said {line:?} instead of its stats"))?;
            Ok(rest
                .split_whitespace()
                .filter_map(|kv| kv.split_once('='))
                .filter_map(|(k, v)| Some((k.to_owned(), v.parse().ok()?)))
                .collect())
        }
    }

    impl Drop for Server {
        fn drop(&mut self) {
            // Closing its standard input stops the server; make sure of it.
            drop(self.stdin.take());
            let deadline = Instant::now() + Duration::from_secs(5);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = self.child.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }

    /// Counts finished sources, for the progress line, and times each source's check.
    #[derive(Default)]
    struct Count {
        done: AtomicUsize,
        started: Mutex<HashMap<String, Instant>>,
        latencies: Mutex<Vec<Duration>>,
    }

    impl Progress for Count {
        fn source_started(&self, source: &url::Url) {
            self.started
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(source.to_string(), Instant::now());
        }

        fn source_finished(&self, report: &SourceReport) {
            self.done.fetch_add(1, Ordering::Relaxed);
            let started = self
                .started
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .remove(&report.source);
            if let Some(started) = started {
                self.latencies
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(started.elapsed());
            }
        }
    }

    /// The `q` quantile of `sorted`, in milliseconds.
    fn quantile_ms(sorted: &[Duration], q: f64) -> f64 {
        if sorted.is_empty() {
            return f64::NAN;
        }
        let idx = ((sorted.len() - 1) as f64 * q).round() as usize;
        sorted[idx].as_secs_f64() * 1000.0
    }

    /// The size of the database with its write-ahead log, in MB.
    fn database_mb(path: &std::path::Path) -> f64 {
        let size = |p: std::path::PathBuf| std::fs::metadata(p).map_or(0, |m| m.len());
        let mut wal = path.as_os_str().to_owned();
        wal.push("-wal");
        (size(path.to_path_buf()) + size(wal.into())) as f64 / 1e6
    }

    /// What one pass measured.
    struct Pass {
        name: &'static str,
        wall: f64,
        cpu: f64,
        /// CPU seconds of the store writer thread.
        writer_cpu: f64,
        server_cpu: f64,
        peak_rss_mib: f64,
        rss_after_mib: f64,
        requests: Counters,
        report: RunReport,
        stored_total: u64,
        database_mb: f64,
        latencies: Vec<Duration>,
        politeness_bound: f64,
        concurrency_bound: f64,
    }

    impl Pass {
        fn count(&self, key: &str) -> u64 {
            self.requests.get(key).copied().unwrap_or(0)
        }

        fn total_requests(&self) -> u64 {
            ["feeds", "not_modified", "pages", "robots", "other"]
                .iter()
                .map(|k| self.count(k))
                .sum()
        }

        fn stored(&self) -> usize {
            let totals = self.report.totals();
            totals.new + totals.updated
        }
    }

    /// Lower bounds on a pass's wall time, in seconds: (politeness, concurrency). Each source makes
    /// `per_source` requests to its host, and each host gets `per_host_once` more (robots.txt).
    fn bounds(
        config: &Config,
        layout: &[(usize, usize)],
        per_source: usize,
        per_host_once: usize,
    ) -> (f64, f64) {
        let mut per_host = vec![0usize; HOSTS];
        for &(host, _) in layout {
            per_host[host] += per_source;
        }
        for n in per_host.iter_mut().filter(|n| **n > 0) {
            *n += per_host_once;
        }
        let spacing = config.spacing.as_secs_f64();
        // The first request to a host waits for nothing; each later one at least one spacing.
        let politeness = per_host
            .iter()
            .map(|&n| n.saturating_sub(1))
            .max()
            .unwrap_or(0) as f64
            * spacing;
        // A source's requests all go to its host, so it takes at least (requests - 1) spacings, and only
        // `source concurrency` sources are checked at once (the worker leases again as each one ends).
        let active = config.concurrency;
        let concurrency =
            (layout.len() * per_source.saturating_sub(1)) as f64 * spacing / active as f64;
        (politeness, concurrency)
    }

    pub fn run() -> Result<(), BoxError> {
        let config = Config::from_env()?;
        let layout = config.layout();
        let mut server = Server::start()?;
        let port = server.addr.port();
        let rss_start = probe::status_mib("VmRSS");

        let dir = tempfile::tempdir()?;
        let db_path = match std::env::var_os("NEWSWIRE_BENCH_DB") {
            Some(path) => {
                let path = std::path::PathBuf::from(path);
                if path.exists() {
                    return Err(format!(
                        "{} exists; the benchmark wants a fresh database",
                        path.display()
                    )
                    .into());
                }
                path
            }
            None => dir.path().join("bench.db"),
        };
        let offset = Arc::new(AtomicI64::new(0));
        let clock: Clock = {
            let offset = Arc::clone(&offset);
            Arc::new(move || Utc::now() + chrono::Duration::seconds(offset.load(Ordering::Relaxed)))
        };

        let registering = Instant::now();
        let mut store = SqliteStore::open(&db_path)?;
        for &(host, feed_no) in &layout {
            let source = NewSource {
                url: format!("{}/feeds/{feed_no:02}.xml", site::origin(host, port)),
                ..NewSource::default()
            };
            store.add_source(&source, clock())?;
        }
        let registered_in = registering.elapsed().as_secs_f64();
        let store = shared(store);

        let mut fetcher = FetcherBuilder::new()
            .allow_private(true)
            .limits(config.limits());
        for host in 0..HOSTS {
            fetcher = fetcher.resolve(&host_name(host), server.addr);
        }
        let pipeline = PipelineBuilder::new()
            .fetcher(fetcher)
            .source_concurrency(config.concurrency)
            .page_concurrency(config.page_concurrency)
            .clock(Arc::clone(&clock))
            .build()?;
        let worker = Worker::new(
            pipeline,
            Arc::clone(&store),
            WorkerOptions {
                batch: config.batch,
                ..WorkerOptions::default()
            },
        );
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()?;
        let (_stop_tx, stop) = tokio::sync::watch::channel(false);

        eprintln!(
            "fetch bench: {} feeds over {} hosts, {ENTRIES} entries each; server on {}; database {}",
            layout.len(),
            layout.len().min(HOSTS),
            server.addr,
            db_path.display()
        );
        let n_feeds = layout.len();
        let run_pass = |name: &'static str,
                        bounds: (f64, f64),
                        server: &mut Server|
         -> Result<Pass, BoxError> {
            let before = server.stats()?;
            let cpu0 = probe::cpu_seconds();
            let writer_cpu0 = probe::thread_cpu_seconds(WRITER_THREAD);
            let started = Instant::now();
            let progress = Count::default();
            let report = std::thread::scope(|scope| {
                let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
                let progress = &progress;
                scope.spawn(move || {
                    while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) =
                        done_rx.recv_timeout(Duration::from_secs(15))
                    {
                        eprintln!(
                            "  {name}: {:>4}/{} sources after {:.0} s",
                            progress.done.load(Ordering::Relaxed),
                            n_feeds,
                            started.elapsed().as_secs_f64()
                        );
                    }
                });
                let report = runtime.block_on(worker.run_due(progress, &stop));
                let _ = done_tx.send(());
                report
            })?;
            let wall = started.elapsed().as_secs_f64();
            let cpu = probe::cpu_seconds() - cpu0;
            let writer_cpu = probe::thread_cpu_seconds(WRITER_THREAD) - writer_cpu0;
            let after = server.stats()?;
            let requests: Counters = after
                .iter()
                .map(|(k, v)| (k.clone(), v - before.get(k).copied().unwrap_or(0)))
                .collect();
            let stored_total = store.lock().unwrap_or_else(|e| e.into_inner()).count()?;
            Ok(Pass {
                name,
                wall,
                cpu,
                writer_cpu,
                server_cpu: requests.get("cpu_ms").copied().unwrap_or(0) as f64 / 1000.0,
                peak_rss_mib: probe::status_mib("VmHWM"),
                rss_after_mib: probe::status_mib("VmRSS"),
                requests,
                report,
                stored_total,
                database_mb: database_mb(&db_path),
                latencies: {
                    let mut latencies = std::mem::take(
                        &mut *progress.latencies.lock().unwrap_or_else(|e| e.into_inner()),
                    );
                    latencies.sort();
                    latencies
                },
                politeness_bound: bounds.0,
                concurrency_bound: bounds.1,
            })
        };

        let first = run_pass(
            "pass 1",
            bounds(&config, &layout, 1 + ENTRIES, 1),
            &mut server,
        )?;
        // A day later every feed is due again (the longest interval is a day) and answers 304.
        offset.store(24 * 3600 + 60, Ordering::Relaxed);
        let peak_reset = probe::reset_peak_rss();
        let second = run_pass("pass 2", bounds(&config, &layout, 1, 0), &mut server)?;
        drop(server);

        print_table(
            &config,
            &layout,
            registered_in,
            rss_start,
            peak_reset,
            &[first, second],
        );
        Ok(())
    }

    fn print_table(
        config: &Config,
        layout: &[(usize, usize)],
        registered_in: f64,
        rss_start: f64,
        peak_reset: bool,
        passes: &[Pass],
    ) {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let hosts_used = layout.len().min(HOSTS);
        println!();
        println!(
            "newswire fetch benchmark: {} feeds x {ENTRIES} entries over {hosts_used} hosts ({} order), \
             loopback server in its own process",
            layout.len(),
            if config.grouped {
                "grouped"
            } else {
                "interleaved"
            },
        );
        let limits = config.limits();
        println!(
            "limits: global {}, per host {}, spacing {} ms; {} sources fetched at once, {} pages per feed at \
             once, at most {} leased per transaction (as slots free up); {cores} cores",
            limits.global,
            limits.per_host,
            limits.spacing.as_millis(),
            config.concurrency,
            config.page_concurrency,
            config.batch,
        );
        println!(
            "{} sources registered in {registered_in:.2} s; RSS before the passes {rss_start:.1} MiB",
            layout.len()
        );
        println!();
        let mut header = format!("{:<38}", "");
        for pass in passes {
            let label = match pass.name {
                "pass 1" => "pass 1 (all new)",
                _ => "pass 2 (all 304)",
            };
            header.push_str(&format!("{label:>18}"));
        }
        println!("{header}");
        let row = |label: &str, cell: &dyn Fn(&Pass) -> String| {
            let mut line = format!("{label:<38}");
            for pass in passes {
                line.push_str(&format!("{:>18}", cell(pass)));
            }
            println!("{line}");
        };
        row("wall time (s)", &|p| format!("{:.2}", p.wall));
        row("  politeness lower bound (s)", &|p| {
            format!("{:.2}", p.politeness_bound)
        });
        row("  concurrency lower bound (s)", &|p| {
            format!("{:.2}", p.concurrency_bound)
        });
        row("sources checked", &|p| p.report.sources.len().to_string());
        row("requests served", &|p| p.total_requests().to_string());
        row("  feeds 200", &|p| p.count("feeds").to_string());
        row("  feeds 304", &|p| p.count("not_modified").to_string());
        row("  article pages", &|p| p.count("pages").to_string());
        row("  robots.txt (404)", &|p| p.count("robots").to_string());
        row("  other", &|p| p.count("other").to_string());
        row("  new connections", &|p| p.count("connections").to_string());
        row("requests/s", &|p| {
            format!("{:.1}", p.total_requests() as f64 / p.wall)
        });
        row("MB served (avg page KB)", &|p| {
            let pages = p.count("pages");
            let avg = if pages == 0 {
                "-".to_owned()
            } else {
                format!(
                    "{:.1}",
                    p.count("page_bytes") as f64 / pages as f64 / 1024.0
                )
            };
            format!("{:.1} ({avg})", p.count("bytes") as f64 / 1e6)
        });
        row("dispatches stored (new+updated)", &|p| {
            p.stored().to_string()
        });
        row("  unchanged / failed items", &|p| {
            let t = p.report.totals();
            format!("{} / {}", t.unchanged, t.failed)
        });
        row("  failed sources / page fallbacks", &|p| {
            let failed = p.report.sources.iter().filter(|s| s.is_failed()).count();
            let fallbacks: usize = p.report.sources.iter().map(|s| s.fallbacks.len()).sum();
            format!("{failed} / {fallbacks}")
        });
        row("  sources answering 304", &|p| {
            p.report
                .sources
                .iter()
                .filter(|s| s.not_modified)
                .count()
                .to_string()
        });
        row("dispatches in the database", &|p| {
            p.stored_total.to_string()
        });
        row("database + WAL size (MB)", &|p| {
            format!("{:.1}", p.database_mb)
        });
        row("source check time p50 / p99 (ms)", &|p| {
            format!(
                "{:.0} / {:.0}",
                quantile_ms(&p.latencies, 0.5),
                quantile_ms(&p.latencies, 0.99)
            )
        });
        row("CPU s, bench process (user+sys)", &|p| {
            format!("{:.2}", p.cpu)
        });
        row("CPU s per 1,000 dispatches", &|p| match p.stored() {
            0 => "-".to_owned(),
            n => format!("{:.3}", p.cpu * 1000.0 / n as f64),
        });
        row("CPU ms per request", &|p| match p.total_requests() {
            0 => "-".to_owned(),
            n => format!("{:.3}", p.cpu * 1000.0 / n as f64),
        });
        row("bench CPU / wall (cores busy)", &|p| {
            format!("{:.2}", p.cpu / p.wall)
        });
        row("  store writer thread CPU / wall", &|p| {
            format!("{:.2}", p.writer_cpu / p.wall)
        });
        row("CPU s, server process", &|p| format!("{:.2}", p.server_cpu));
        row(
            &format!("both processes' CPU / wall ({cores} cores)"),
            &|p| format!("{:.2}", (p.cpu + p.server_cpu) / p.wall),
        );
        row(
            if peak_reset {
                "peak RSS (MiB, VmHWM, per pass)"
            } else {
                "peak RSS (MiB, VmHWM, since start)"
            },
            &|p| format!("{:.1}", p.peak_rss_mib),
        );
        row("RSS after the pass (MiB)", &|p| {
            format!("{:.1}", p.rss_after_mib)
        });
        println!();
        for pass in passes {
            println!("{}: {}", pass.name, verdict(pass, config, cores));
        }
        for pass in passes {
            let problems: Vec<String> = pass
                .report
                .sources
                .iter()
                .flat_map(|s| {
                    s.error
                        .iter()
                        .cloned()
                        .chain(s.failures.iter().cloned())
                        .chain(s.fallbacks.iter().cloned())
                })
                .collect();
            if !problems.is_empty() {
                println!(
                    "{}: {} problems, the first ones:",
                    pass.name,
                    problems.len()
                );
                for problem in problems.iter().take(5) {
                    println!("  {problem}");
                }
            }
        }
    }

    fn verdict(pass: &Pass, config: &Config, cores: usize) -> String {
        let busy = pass.cpu / pass.wall;
        let both = (pass.cpu + pass.server_cpu) / pass.wall;
        let cpu =
            format!("CPU: bench {busy:.2} cores, bench and server {both:.2} of {cores} cores");
        if pass.politeness_bound > 0.0 && pass.wall <= pass.politeness_bound * 1.2 {
            format!(
                "politeness-bound: {:.2} s against a politeness bound of {:.2} s ({cpu})",
                pass.wall, pass.politeness_bound
            )
        } else if pass.concurrency_bound > pass.politeness_bound * 1.2
            && pass.wall <= pass.concurrency_bound * 1.2
        {
            format!(
                "bound by the pipeline's concurrency, not by politeness or CPU: {:.2} s against {:.2} s for \
                 {} sources at once (politeness alone allows {:.2} s; {cpu})",
                pass.wall, pass.concurrency_bound, config.concurrency, pass.politeness_bound
            )
        } else if pass.writer_cpu >= 0.85 * pass.wall {
            format!(
                "bound by storing: {:.2} s, {:.1}x the larger lower bound, with the store writer thread busy \
                 {:.0}% of it ({cpu})",
                pass.wall,
                pass.wall / pass.politeness_bound.max(pass.concurrency_bound).max(1e-9),
                100.0 * pass.writer_cpu / pass.wall
            )
        } else if both >= 0.75 * cores as f64 {
            format!(
                "CPU-bound: {:.2} s, {:.1}x the larger lower bound ({cpu})",
                pass.wall,
                pass.wall / pass.politeness_bound.max(pass.concurrency_bound).max(1e-9)
            )
        } else {
            let larger = pass.politeness_bound.max(pass.concurrency_bound);
            if larger > 0.0 {
                format!(
                    "neither politeness- nor CPU-bound: {:.2} s, {:.1}x the larger lower bound ({larger:.2} s; {cpu})",
                    pass.wall,
                    pass.wall / larger,
                )
            } else {
                format!(
                    "neither politeness- nor CPU-bound: {:.2} s ({cpu})",
                    pass.wall
                )
            }
        }
    }
}
