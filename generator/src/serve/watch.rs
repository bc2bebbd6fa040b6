//! File events grouped into saves. A save is taken as soon as every file it wrote is complete
//! (closed after writing, or renamed into place), not after a fixed quiet time: a fixed debounce
//! of 20 ms was a fifth of the 100 ms in which a one-clause edit is to be served again
//! (issue 12). Where the platform reports no close (FSEvents, ReadDirectoryChangesW), or a file
//! stays open for writing, the batch ends after [`QUIET`] without events, as a debouncer's.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify_debouncer_full::notify::event::{AccessKind, AccessMode, CreateKind, ModifyKind};
use notify_debouncer_full::notify::{Event, EventKind};

/// How long a batch waits for more events while a file written is not known to be complete.
pub const QUIET: Duration = Duration::from_millis(20);

/// How long a batch waits for more events once every file written is complete: the other files
/// of the same save (an editor renaming its temporary file into place, a second file saved
/// with "save all") come within it.
pub const SETTLE: Duration = Duration::from_millis(5);

/// A burst of file events taken as one change.
#[derive(Debug)]
pub struct Batch {
    /// The events, reads left out.
    pub events: Vec<Event>,
    /// When the first of them was received.
    pub first: Instant,
}

/// Whether an event is a read (a build opens every file of the content): not a change.
fn is_read(kind: &EventKind) -> bool {
    matches!(kind, EventKind::Access(a) if !is_write_done(a)) || matches!(kind, EventKind::Other)
}

/// A file closed after writing: its content is complete.
fn is_write_done(a: &AccessKind) -> bool {
    matches!(a, AccessKind::Close(AccessMode::Write))
}

/// Whether an event leaves its files being written: data written or a file created, with a
/// close still to come. A rename, a removal or a change of permissions leaves nothing open.
fn opens_writing(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::Create(CreateKind::File | CreateKind::Any)
            | EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Any)
    )
}

/// Waits for the next batch of changes; `None` when the watcher is gone. `errors` receives the
/// watcher's errors (reported, not fatal).
pub fn next_batch(
    events: &Receiver<notify_debouncer_full::notify::Result<Event>>,
    errors: impl FnMut(notify_debouncer_full::notify::Error),
) -> Option<Batch> {
    batch_with(events, QUIET, SETTLE, errors)
}

/// [`next_batch`] with the waits given (the tests make them long enough that a loaded machine
/// cannot blur them).
fn batch_with(
    events: &Receiver<notify_debouncer_full::notify::Result<Event>>,
    quiet: Duration,
    settle: Duration,
    mut errors: impl FnMut(notify_debouncer_full::notify::Error),
) -> Option<Batch> {
    let mut batch: Option<Batch> = None;
    let mut writing: BTreeSet<PathBuf> = BTreeSet::new();
    loop {
        let received = match &batch {
            None => events.recv().ok()?,
            Some(_) => {
                let wait = if writing.is_empty() { settle } else { quiet };
                match events.recv_timeout(wait) {
                    Ok(e) => e,
                    Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {
                        return batch;
                    }
                }
            }
        };
        let event = match received {
            Ok(event) => event,
            Err(e) => {
                errors(e);
                continue;
            }
        };
        match &event.kind {
            EventKind::Access(a) if is_write_done(a) => {
                for p in &event.paths {
                    writing.remove(p);
                }
                // A close alone (a file opened for writing and left as it was) is no change;
                // it completes one when a batch is open.
                if batch.is_none() {
                    continue;
                }
            }
            kind if is_read(kind) => continue,
            kind if opens_writing(kind) => writing.extend(event.paths.iter().cloned()),
            _ => {
                for p in &event.paths {
                    writing.remove(p);
                }
            }
        }
        batch
            .get_or_insert_with(|| Batch {
                events: Vec::new(),
                first: Instant::now(),
            })
            .events
            .push(event);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify_debouncer_full::notify::event::{DataChange, RenameMode};
    use std::sync::mpsc;

    /// Longer than any stall of a loaded machine: a batch that waits this long was held.
    const LONG: Duration = Duration::from_secs(30);
    const SHORT: Duration = Duration::from_millis(50);

    fn event(kind: EventKind, path: &str) -> notify_debouncer_full::notify::Result<Event> {
        Ok(Event::new(kind).add_path(PathBuf::from(path)))
    }

    #[test]
    fn a_save_is_taken_when_the_file_is_closed_and_reads_are_left_out() {
        let (tx, rx) = mpsc::channel();
        let plan = "/p/content/plan.yaml";
        tx.send(event(
            EventKind::Access(AccessKind::Open(AccessMode::Any)),
            plan,
        ))
        .unwrap();
        tx.send(event(
            EventKind::Modify(ModifyKind::Data(DataChange::Any)),
            plan,
        ))
        .unwrap();
        tx.send(event(
            EventKind::Access(AccessKind::Close(AccessMode::Write)),
            plan,
        ))
        .unwrap();
        // The sender stays: the batch ends on the settling time, not on a closed channel.
        let started = Instant::now();
        let batch = batch_with(&rx, LONG, SHORT, |_| {}).unwrap();
        assert!(started.elapsed() < LONG, "not held for the quiet time");
        assert_eq!(batch.events.len(), 2, "{:?}", batch.events);
        assert!(batch.events.iter().all(|e| !is_read(&e.kind)));
        drop(tx);
    }

    #[test]
    fn a_file_still_being_written_holds_the_batch_until_it_is_quiet() {
        let (tx, rx) = mpsc::channel();
        tx.send(event(
            EventKind::Modify(ModifyKind::Data(DataChange::Any)),
            "/p/content/units.yaml",
        ))
        .unwrap();
        let started = Instant::now();
        let batch = batch_with(&rx, SHORT, Duration::ZERO, |_| {}).unwrap();
        assert!(started.elapsed() >= SHORT, "held for the quiet time");
        assert_eq!(batch.events.len(), 1);
        drop(tx);
    }

    #[test]
    fn reads_alone_make_no_batch_and_a_rename_into_place_completes_one() {
        let (tx, rx) = mpsc::channel();
        for _ in 0..3 {
            tx.send(event(
                EventKind::Access(AccessKind::Close(AccessMode::Read)),
                "/p/content/site.yaml",
            ))
            .unwrap();
        }
        tx.send(event(
            EventKind::Access(AccessKind::Close(AccessMode::Write)),
            "/p/content/site.yaml",
        ))
        .unwrap();
        tx.send(event(
            EventKind::Modify(ModifyKind::Name(RenameMode::To)),
            "/p/content/glossary.yaml",
        ))
        .unwrap();
        let started = Instant::now();
        let batch = batch_with(&rx, LONG, SHORT, |_| {}).unwrap();
        assert!(started.elapsed() < LONG, "not held for the quiet time");
        assert_eq!(batch.events.len(), 1, "{:?}", batch.events);
        assert_eq!(
            batch.events[0].paths,
            [PathBuf::from("/p/content/glossary.yaml")]
        );
        drop(tx);
        assert!(next_batch(&rx, |_| {}).is_none());
    }
}
