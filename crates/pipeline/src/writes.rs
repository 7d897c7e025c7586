//! Storing the dispatches of many sources checked at once, several sources' batches in one transaction.
//!
//! A store takes one writer at a time, and much of a transaction's cost does not grow with its size (the
//! commit, the search index's flush of its pending terms, the merges of its segments). So a source's batch is
//! not written on its own while others wait for the store: it is sent to the pipeline's writer thread, which
//! takes the store and then writes every batch that has arrived for it in one transaction. When the store is
//! idle a batch is written at once, alone; when it is busy the batches that pile up meanwhile are written
//! together, so transactions grow exactly when storing is the bottleneck.
//!
//! One thread does all the writing, so the memory a large transaction needs is taken and given back in one
//! place (with the allocator's per-thread arenas, writes spread over the blocking pool's threads left each
//! thread holding the peak of the largest transaction it had written).
//!
//! A worker's short store calls (leasing sources, recording a check) run on that thread too, between two
//! transactions and ahead of the batches waiting. Taken from another thread, the store's lock could make them
//! wait for seconds: the writer takes it again as soon as it lets it go, as long as batches are waiting.
//!
//! A transaction is all or nothing. When a group fails, each batch of it is written again alone, and a batch
//! that fails alone is written one dispatch at a time, so a bad dispatch costs only itself, as before.

use std::collections::VecDeque;
use std::sync::mpsc::{Receiver, Sender};
use std::sync::{Arc, Mutex};

use newswire_model::Dispatch;
use newswire_store::{Outcome, Prepared, Store, StoreError};
use tokio::sync::oneshot;

use crate::run::{SharedStore, error_chain};

/// The most dispatches written in one transaction of several batches (a larger batch is written alone).
/// What a transaction costs beyond its dispatches is small against 250 of them, while the memory it takes
/// (its plan, the search index's pending terms) grows with them: in the fetch benchmark, with the writer busy
/// all the time, transactions of 500 took the process's peak RSS from 220 to 276 MiB for no gain in time.
const MAX_GROUP: usize = 250;

/// The most dispatches prepared for storing and not yet written, across all batches (a batch larger than
/// [`MAX_GROUP`] counts as that many, so that two such batches can always wait together). A prepared dispatch
/// holds its JSON and search words besides itself, about three times its size, so preparing runs at most this
/// far ahead of the writer: the sources waiting beyond it wait with their dispatches as they are.
const MAX_PREPARED: usize = 2 * MAX_GROUP;

/// What storing each dispatch of a batch came to, in the batch's order.
pub(crate) type Outcomes = Vec<Result<Outcome, StoreError>>;

/// The way to the writer thread, shared by the clones of a pipeline. The thread starts with the first batch
/// and ends when the last clone is dropped.
pub(crate) struct Writes {
    to_writer: Mutex<Option<Sender<Work>>>,
    /// Room for prepared dispatches not yet written: [`MAX_PREPARED`] permits, one a dispatch.
    room: Arc<tokio::sync::Semaphore>,
    /// Batches handed to the writer so far (for tests that need to know they are all queued).
    #[cfg(test)]
    sent: std::sync::atomic::AtomicUsize,
}

impl Default for Writes {
    fn default() -> Self {
        Writes {
            to_writer: Mutex::default(),
            room: Arc::new(tokio::sync::Semaphore::new(MAX_PREPARED)),
            #[cfg(test)]
            sent: std::sync::atomic::AtomicUsize::default(),
        }
    }
}

/// What the writer thread is asked to do.
enum Work {
    Batch(Waiting),
    Job(Job),
}

/// A batch waiting to be written.
struct Waiting {
    store: SharedStore,
    dispatches: Vec<Prepared<'static>>,
    done: oneshot::Sender<Outcomes>,
    /// Its room among the prepared dispatches, given back once it is written.
    room: tokio::sync::OwnedSemaphorePermit,
}

/// A short store call (a lease, a check's record) run on the writer thread ahead of the batches waiting.
struct Job {
    store: SharedStore,
    run: JobFn,
}

/// A job's work; it answers its caller itself.
type JobFn = Box<dyn FnOnce(&mut dyn Store) + Send>;

impl Writes {
    /// Stores `dispatches` in `store`, in one transaction with the other batches waiting for the same store;
    /// returns each dispatch's outcome, or why nothing could be learnt of them.
    ///
    /// The dispatches are prepared for storing ([`Prepared::new`]: their JSON, search words, shingles and
    /// band keys) on the blocking pool first, so that the writer thread, which every batch waits for, only
    /// reads and writes the store; at most [`MAX_PREPARED`] dispatches wait prepared.
    pub(crate) async fn store(
        &self,
        store: &SharedStore,
        dispatches: Vec<Dispatch>,
    ) -> Result<Outcomes, String> {
        if dispatches.is_empty() {
            return Ok(Vec::new());
        }
        let wanted = u32::try_from(dispatches.len().min(MAX_GROUP)).unwrap_or(u32::MAX);
        let room = Arc::clone(&self.room)
            .acquire_many_owned(wanted)
            .await
            .map_err(|_| "storing failed: the store writer is closed".to_string())?;
        let dispatches = tokio::task::spawn_blocking(move || {
            dispatches
                .into_iter()
                .map(Prepared::new)
                .collect::<Vec<_>>()
        })
        .await
        .map_err(|err| format!("storing failed: preparing the dispatches failed: {err}"))?;
        let (done, outcome) = oneshot::channel();
        self.send(Work::Batch(Waiting {
            store: Arc::clone(store),
            dispatches,
            done,
            room,
        }))?;
        outcome.await.map_err(|_| {
            "storing failed: the store writer stopped before answering (a bug: please report it)".to_string()
        })
    }

    /// Runs `f` on `store` on the writer thread, before the batches waiting there (after the transaction
    /// being written, if any). The store's other users (leases, a check's record) go this way so that they
    /// never queue behind a run of large transactions.
    pub(crate) async fn run<T: Send + 'static>(
        &self,
        store: &SharedStore,
        f: impl FnOnce(&mut dyn Store) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let (done, outcome) = oneshot::channel();
        let job = Job {
            store: Arc::clone(store),
            run: Box::new(move |store: &mut dyn Store| {
                // The caller may be gone (its run was stopped): nobody to tell.
                let _ = done.send(f(store));
            }),
        };
        let stopped = |what: String| StoreError::Query {
            action: "running a store task".into(),
            source: what.into(),
        };
        self.send(Work::Job(job)).map_err(stopped)?;
        outcome.await.unwrap_or_else(|_| {
            Err(stopped(
                "the store writer stopped before answering (a bug: please report it)".into(),
            ))
        })
    }

    /// Hands work to the writer thread, starting one if there is none (or the last one died).
    fn send(&self, work: Work) -> Result<(), String> {
        let mut to_writer = self
            .to_writer
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let work = match to_writer.as_ref() {
            Some(writer) => match writer.send(work) {
                Ok(()) => {
                    self.count_sent();
                    return Ok(());
                }
                // The writer is gone (a store panicked: a bug); another one takes over.
                Err(std::sync::mpsc::SendError(work)) => work,
            },
            None => work,
        };
        let (writer, batches) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("newswire-writer".into())
            .spawn(move || write_loop(&batches))
            .map_err(|err| format!("storing failed: cannot start the store writer: {err}"))?;
        writer.send(work).map_err(|_| {
            "storing failed: the store writer stopped at once (a bug: please report it)".to_string()
        })?;
        *to_writer = Some(writer);
        self.count_sent();
        Ok(())
    }

    fn count_sent(&self) {
        #[cfg(test)]
        self.sent.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }
}

/// The writer thread: runs the jobs that have arrived, then writes one transaction: the first batch waiting
/// with every other batch waiting for the same store (at most [`MAX_GROUP`] dispatches in all); and again.
/// Batches that arrive while a transaction is written join the next one, so transactions grow exactly when
/// storing is the bottleneck, and a job waits for one transaction at most.
fn write_loop(work: &Receiver<Work>) {
    let mut jobs: VecDeque<Job> = VecDeque::new();
    let mut pending: VecDeque<Waiting> = VecDeque::new();
    loop {
        if jobs.is_empty() && pending.is_empty() {
            match work.recv() {
                Ok(Work::Batch(waiting)) => pending.push_back(waiting),
                Ok(Work::Job(job)) => jobs.push_back(job),
                // Every pipeline clone is gone.
                Err(_) => return,
            }
        }
        for item in work.try_iter() {
            match item {
                Work::Batch(waiting) => pending.push_back(waiting),
                Work::Job(job) => jobs.push_back(job),
            }
        }
        if let Some(job) = jobs.pop_front() {
            let mut guard = job
                .store
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            (job.run)(&mut **guard);
            continue;
        }
        let Some(first) = pending.pop_front() else {
            continue;
        };
        let store = Arc::clone(&first.store);
        let mut guard = store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // Batches that arrived while the store was busy join this transaction, in the order they came.
        for item in work.try_iter() {
            match item {
                Work::Batch(waiting) => pending.push_back(waiting),
                Work::Job(job) => jobs.push_back(job),
            }
        }
        let mut size = first.dispatches.len();
        let mut group = vec![first];
        let mut full = false;
        let mut others = VecDeque::with_capacity(pending.len());
        for waiting in pending.drain(..) {
            if !full && Arc::ptr_eq(&waiting.store, &store) {
                full = size + waiting.dispatches.len() > MAX_GROUP;
                if !full {
                    size += waiting.dispatches.len();
                    group.push(waiting);
                    continue;
                }
            }
            others.push_back(waiting);
        }
        pending = others;
        write_group(&mut **guard, group);
    }
}

/// Writes several batches in one transaction, or each alone should that fail.
fn write_group(store: &mut dyn Store, group: Vec<Waiting>) {
    if group.len() == 1 {
        for Waiting {
            dispatches,
            done,
            room,
            ..
        } in group
        {
            let outcomes = write_alone(store, &dispatches);
            // Written: the room is free before anyone hears of it.
            drop((dispatches, room));
            // The task that queued the batch may be gone (its run was stopped): nobody to tell.
            let _ = done.send(outcomes);
        }
        return;
    }
    let mut all = Vec::with_capacity(group.iter().map(|w| w.dispatches.len()).sum());
    let mut replies = Vec::with_capacity(group.len());
    let mut rooms = Vec::with_capacity(group.len());
    for waiting in group {
        replies.push((waiting.dispatches.len(), waiting.done));
        all.extend(waiting.dispatches);
        rooms.push(waiting.room);
    }
    let outcomes: Vec<Outcomes> = match store.upsert_prepared(&all) {
        Ok(outcomes) => {
            let mut outcomes = outcomes.into_iter();
            replies
                .iter()
                .map(|(len, _)| outcomes.by_ref().take(*len).map(Ok).collect())
                .collect()
        }
        Err(err) => {
            tracing::debug!(error = %error_chain(&err), batches = replies.len(),
                "group of batches not stored; storing each batch alone");
            let mut rest = all.as_slice();
            replies
                .iter()
                .map(|(len, _)| {
                    let (batch, after) = rest.split_at(*len);
                    rest = after;
                    write_alone(store, batch)
                })
                .collect()
        }
    };
    drop((all, rooms));
    for ((_, done), outcomes) in replies.into_iter().zip(outcomes) {
        let _ = done.send(outcomes);
    }
}

/// Writes one batch in one transaction, or each dispatch alone should that fail, so that one bad dispatch
/// costs only itself.
fn write_alone(store: &mut dyn Store, dispatches: &[Prepared<'_>]) -> Outcomes {
    match store.upsert_prepared(dispatches) {
        Ok(outcomes) => outcomes.into_iter().map(Ok).collect(),
        Err(err) => {
            tracing::debug!(error = %error_chain(&err), "batch not stored; storing one by one");
            dispatches
                .iter()
                .map(|dispatch| {
                    let outcomes = store.upsert_prepared(std::slice::from_ref(dispatch))?;
                    Ok(*outcomes
                        .first()
                        .expect("upsert_prepared gives one outcome per dispatch"))
                })
                .collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};
    use newswire_model::{Block, BodyOrigin, Provenance, SourceRef};
    use newswire_store::{
        AddOutcome, CheckRecord, ExportFilter, NewSource, Revision, SearchHit, SearchQuery, Source,
        SqliteStore, StoryMember,
    };

    use super::*;

    /// A real SQLite store that records the size of each `upsert_prepared` and refuses any batch holding a
    /// dispatch titled "poison" (and that dispatch alone).
    struct Recording {
        inner: SqliteStore,
        batches: Arc<Mutex<Vec<usize>>>,
    }

    fn refuse_poison<'a>(
        mut dispatches: impl Iterator<Item = &'a Dispatch>,
    ) -> Result<(), StoreError> {
        match dispatches.any(|d| d.title == "poison") {
            true => Err(StoreError::Query {
                action: "storing poison".into(),
                source: "refused".into(),
            }),
            false => Ok(()),
        }
    }

    impl Store for Recording {
        fn upsert_prepared(&mut self, items: &[Prepared<'_>]) -> Result<Vec<Outcome>, StoreError> {
            self.batches.lock().unwrap().push(items.len());
            refuse_poison(items.iter().map(Prepared::dispatch))?;
            self.inner.upsert_prepared(items)
        }
        fn get(&self, id: &str) -> Result<Option<Dispatch>, StoreError> {
            self.inner.get(id)
        }
        fn get_by_url(&self, url: &str) -> Result<Option<Dispatch>, StoreError> {
            self.inner.get_by_url(url)
        }
        fn revisions(&self, id: &str) -> Result<Vec<Revision>, StoreError> {
            self.inner.revisions(id)
        }
        fn export(
            &self,
            filter: &ExportFilter,
            each: &mut dyn FnMut(Dispatch) -> Result<(), StoreError>,
        ) -> Result<u64, StoreError> {
            self.inner.export(filter, each)
        }
        fn count(&self) -> Result<u64, StoreError> {
            self.inner.count()
        }
        fn search(&self, query: &SearchQuery) -> Result<Vec<SearchHit>, StoreError> {
            self.inner.search(query)
        }
        fn story(&self, story_id: &str) -> Result<Vec<StoryMember>, StoreError> {
            self.inner.story(story_id)
        }
        fn add_source(
            &mut self,
            new: &NewSource,
            now: DateTime<Utc>,
        ) -> Result<AddOutcome, StoreError> {
            self.inner.add_source(new, now)
        }
        fn remove_source(&mut self, key: &str) -> Result<Option<Source>, StoreError> {
            self.inner.remove_source(key)
        }
        fn sources(&self) -> Result<Vec<Source>, StoreError> {
            self.inner.sources()
        }
        fn source(&self, key: &str) -> Result<Option<Source>, StoreError> {
            self.inner.source(key)
        }
        fn lease_due(
            &mut self,
            owner: &str,
            now: DateTime<Utc>,
            lease_for: std::time::Duration,
            limit: usize,
        ) -> Result<Vec<Source>, StoreError> {
            self.inner.lease_due(owner, now, lease_for, limit)
        }
        fn finish_check(
            &mut self,
            id: i64,
            owner: &str,
            record: &CheckRecord,
        ) -> Result<bool, StoreError> {
            self.inner.finish_check(id, owner, record)
        }
        fn holds_lease(
            &self,
            id: i64,
            owner: &str,
            now: DateTime<Utc>,
        ) -> Result<bool, StoreError> {
            self.inner.holds_lease(id, owner, now)
        }
        fn renew_lease(
            &mut self,
            id: i64,
            owner: &str,
            now: DateTime<Utc>,
            lease_for: std::time::Duration,
        ) -> Result<bool, StoreError> {
            self.inner.renew_lease(id, owner, now, lease_for)
        }
        fn release_lease(&mut self, id: i64, owner: &str) -> Result<(), StoreError> {
            self.inner.release_lease(id, owner)
        }
        fn next_due(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
            self.inner.next_due()
        }
        fn reserve_host_slot(
            &mut self,
            host: &str,
            now: DateTime<Utc>,
            spacing: std::time::Duration,
        ) -> Result<DateTime<Utc>, StoreError> {
            self.inner.reserve_host_slot(host, now, spacing)
        }
    }

    fn dispatch(url: &str, title: &str) -> Dispatch {
        Dispatch {
            id: format!("{:0>16x}", url.len()),
            url: url.to_owned(),
            title: title.into(),
            published_at: None,
            updated_at: None,
            fetched_at: DateTime::UNIX_EPOCH,
            authors: vec![],
            summary: None,
            body: vec![Block::paragraph(format!("The text of {url}."))],
            language: None,
            categories: vec![],
            image: None,
            source: SourceRef::default(),
            guid: None,
            content_hash: format!("hash of {url} {title}"),
            provenance: Provenance {
                body: BodyOrigin::FeedContent,
                ..Provenance::default()
            },
            warnings: vec![],
            story: None,
        }
    }

    fn name(outcome: &Result<Outcome, StoreError>) -> &'static str {
        match outcome {
            Ok(Outcome::New) => "new",
            Ok(Outcome::Updated { .. }) => "updated",
            Ok(Outcome::Unchanged) => "unchanged",
            Ok(Outcome::KeptBetter) => "kept",
            Ok(Outcome::Stale) => "stale",
            Ok(_) => "other",
            Err(_) => "failed",
        }
    }

    /// Queues `batches` while the store is held, then lets them write; returns each batch's outcomes by name
    /// and the sizes of the `upsert_prepared` calls made.
    #[allow(
        clippy::await_holding_lock,
        reason = "holding the store while batches queue is the point; the tasks only queue meanwhile"
    )]
    async fn write_while_busy(
        batches: Vec<Vec<Dispatch>>,
    ) -> (Vec<Vec<&'static str>>, Vec<usize>, u64) {
        let dir = tempfile::tempdir().unwrap();
        let calls = Arc::new(Mutex::new(Vec::new()));
        let store: SharedStore = crate::shared(Recording {
            inner: SqliteStore::open(dir.path().join("w.db")).unwrap(),
            batches: Arc::clone(&calls),
        });
        let writes = Arc::new(Writes::default());
        let busy = store.lock().unwrap();
        // One at a time, so that the queue holds the batches in the order given.
        let mut tasks = Vec::new();
        for batch in batches {
            let (writes_, store_) = (Arc::clone(&writes), Arc::clone(&store));
            tasks.push(tokio::spawn(
                async move { writes_.store(&store_, batch).await },
            ));
            while writes.sent.load(std::sync::atomic::Ordering::SeqCst) < tasks.len() {
                tokio::task::yield_now().await;
            }
        }
        drop(busy);
        let mut outcomes = Vec::new();
        for task in tasks {
            let batch = task.await.unwrap().unwrap();
            outcomes.push(batch.iter().map(name).collect());
        }
        let count = store.lock().unwrap().count().unwrap();
        let calls = calls.lock().unwrap().clone();
        (outcomes, calls, count)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn batches_waiting_for_a_busy_store_share_one_transaction() {
        let batch = |n: usize| {
            (0..3)
                .map(|i| dispatch(&format!("https://a.example/{}", "x".repeat(n * 3 + i)), "A"))
                .collect::<Vec<_>>()
        };
        // The last batch repeats the first one's dispatches: in one transaction they are compared with what
        // the first stored.
        let (outcomes, calls, count) =
            write_while_busy(vec![batch(1), batch(2), batch(3), batch(1)]).await;
        assert_eq!(calls, vec![12], "one transaction for the four batches");
        assert_eq!(
            outcomes,
            vec![
                vec!["new"; 3],
                vec!["new"; 3],
                vec!["new"; 3],
                vec!["unchanged"; 3]
            ]
        );
        assert_eq!(count, 9);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[allow(
        clippy::await_holding_lock,
        reason = "holding the store while batches queue is the point; the tasks only queue meanwhile"
    )]
    async fn preparing_stops_when_enough_dispatches_wait() {
        let dir = tempfile::tempdir().unwrap();
        let store: SharedStore = crate::shared(SqliteStore::open(dir.path().join("r.db")).unwrap());
        let writes = Arc::new(Writes::default());
        let busy = store.lock().unwrap();
        let mut tasks = Vec::new();
        for tag in 0..3 {
            let batch: Vec<Dispatch> = (0..MAX_GROUP)
                .map(|i| Dispatch {
                    id: format!("{tag:0>12}{i:04}"),
                    ..dispatch(&format!("https://r.example/{tag}/{i}"), "R")
                })
                .collect();
            let (writes_, store_) = (Arc::clone(&writes), Arc::clone(&store));
            tasks.push(tokio::spawn(
                async move { writes_.store(&store_, batch).await },
            ));
        }
        while writes.sent.load(std::sync::atomic::Ordering::SeqCst) < 2 {
            tokio::task::yield_now().await;
        }
        // The third batch waits, unprepared, for room: the store is held, nothing is written.
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert_eq!(writes.sent.load(std::sync::atomic::Ordering::SeqCst), 2);
        assert_eq!(writes.room.available_permits(), 0);
        drop(busy);
        for task in tasks {
            let outcomes = task.await.unwrap().unwrap();
            assert_eq!(outcomes.len(), MAX_GROUP);
            assert!(outcomes.iter().all(|o| matches!(o, Ok(Outcome::New))));
        }
        assert_eq!(writes.room.available_permits(), MAX_PREPARED);
        assert_eq!(store.lock().unwrap().count().unwrap(), 3 * MAX_GROUP as u64);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_bad_dispatch_in_a_group_costs_only_itself() {
        let mut bad = vec![
            dispatch("https://b.example/1", "B"),
            dispatch("https://b.example/22", "poison"),
            dispatch("https://b.example/333", "B"),
        ];
        let good = vec![dispatch("https://c.example/4444", "C")];
        let also_good = vec![dispatch("https://c.example/55555", "C")];
        let (outcomes, calls, count) =
            write_while_busy(vec![good, std::mem::take(&mut bad), also_good]).await;
        // The group fails, then each batch alone: the good ones store, the bad one fails and is stored one
        // dispatch at a time.
        assert_eq!(calls, vec![5, 1, 3, 1, 1, 1, 1]);
        assert_eq!(
            outcomes,
            vec![vec!["new"], vec!["new", "failed", "new"], vec!["new"]]
        );
        assert_eq!(count, 4);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[allow(
        clippy::await_holding_lock,
        reason = "holding the store while work queues is the point; the tasks only queue meanwhile"
    )]
    async fn a_job_waits_for_one_transaction_at_most() {
        let dir = tempfile::tempdir().unwrap();
        let calls = Arc::new(Mutex::new(Vec::new()));
        let store: SharedStore = crate::shared(Recording {
            inner: SqliteStore::open(dir.path().join("j.db")).unwrap(),
            batches: Arc::clone(&calls),
        });
        let writes = Arc::new(Writes::default());
        let batch = |tag: &str| {
            (0..300)
                .map(|i| {
                    let url = format!("https://j.example/{tag}/{i}");
                    Dispatch {
                        id: format!("{tag:0>12}{i:04}"),
                        ..dispatch(&url, "J")
                    }
                })
                .collect::<Vec<_>>()
        };
        let busy = store.lock().unwrap();
        // Two batches too large to share a transaction, then a job: the job does not wait for both.
        let mut tasks = Vec::new();
        for tag in ["a", "b"] {
            let (writes_, store_, batch) = (Arc::clone(&writes), Arc::clone(&store), batch(tag));
            tasks.push(tokio::spawn(
                async move { writes_.store(&store_, batch).await },
            ));
            while writes.sent.load(std::sync::atomic::Ordering::SeqCst) < tasks.len() {
                tokio::task::yield_now().await;
            }
        }
        let job = {
            let (writes, store, calls) =
                (Arc::clone(&writes), Arc::clone(&store), Arc::clone(&calls));
            tokio::spawn(async move {
                writes
                    .run(&store, move |store| {
                        calls.lock().unwrap().push(0);
                        store.count()
                    })
                    .await
            })
        };
        while writes.sent.load(std::sync::atomic::Ordering::SeqCst) < 3 {
            tokio::task::yield_now().await;
        }
        drop(busy);
        let seen = job.await.unwrap().unwrap();
        for task in tasks {
            assert!(task.await.unwrap().unwrap().iter().all(|o| o.is_ok()));
        }
        // The job ran before the second transaction: first of all when the writer saw it before it took the
        // store, else right after the first transaction.
        let calls = calls.lock().unwrap().clone();
        match calls.as_slice() {
            [0, 300, 300] => assert_eq!(seen, 0),
            [300, 0, 300] => assert_eq!(seen, 300),
            other => panic!("the job waited for both transactions: {other:?}"),
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_lone_batch_is_written_at_once() {
        let (outcomes, calls, count) =
            write_while_busy(vec![vec![dispatch("https://d.example/1", "D")]]).await;
        assert_eq!((outcomes, calls, count), (vec![vec!["new"]], vec![1], 1));
    }
}
