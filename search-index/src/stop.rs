//! Giving up on a search: a [`Stop`] is a flag (set by whoever started the search, e.g. when its
//! HTTP request timed out) and an optional deadline; [`Stoppable`] wraps a collector, drives each
//! segment's scorer itself and checks the `Stop` every [`CHECK_EVERY`] documents, so a search
//! nobody waits for any more stops using CPU within a few thousand documents.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::{Scorer as _, Weight};
use tantivy::{DocSet, SegmentOrdinal, SegmentReader, TERMINATED, TantivyError};

/// Documents collected between two looks at the [`Stop`].
pub const CHECK_EVERY: u32 = 4096;

/// The message a stopped search fails with (see [`crate::Error::Stopped`]).
const STOPPED: &str = "search stopped";

/// Tells a running search to give up: once [`Stop::stop`] has been called on any clone, or the
/// deadline has passed, the search fails with [`crate::Error::Stopped`].
#[derive(Clone, Debug, Default)]
pub struct Stop {
    flag: Arc<AtomicBool>,
    deadline: Option<Instant>,
}

impl Stop {
    /// A stop that only its flag sets.
    pub fn new() -> Self {
        Self::default()
    }

    /// The same stop, also set once `deadline` has passed.
    pub fn with_deadline(mut self, deadline: Instant) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Sets the flag: every search holding a clone gives up at its next check.
    pub fn stop(&self) {
        self.flag.store(true, Ordering::Relaxed);
    }

    /// True once stopped or past the deadline.
    pub fn is_stopped(&self) -> bool {
        self.flag.load(Ordering::Relaxed) || self.deadline.is_some_and(|d| Instant::now() >= d)
    }

    pub(crate) fn check(&self) -> tantivy::Result<()> {
        if self.is_stopped() {
            Err(TantivyError::InternalError(STOPPED.into()))
        } else {
            Ok(())
        }
    }
}

/// True for the error [`Stop::check`] raises inside tantivy.
pub(crate) fn is_stop_error(err: &TantivyError) -> bool {
    matches!(err, TantivyError::InternalError(message) if message == STOPPED)
}

/// A collector that gives up when its [`Stop`] is set.
pub(crate) struct Stoppable<C> {
    pub stop: Stop,
    pub inner: C,
}

impl<C: Collector> Collector for Stoppable<C> {
    type Fruit = C::Fruit;
    type Child = C::Child;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        self.inner.for_segment(segment, reader)
    }

    fn requires_scoring(&self) -> bool {
        self.inner.requires_scoring()
    }

    fn merge_fruits(
        &self,
        fruits: Vec<<Self::Child as SegmentCollector>::Fruit>,
    ) -> tantivy::Result<Self::Fruit> {
        self.stop.check()?;
        self.inner.merge_fruits(fruits)
    }

    /// tantivy's own loop cannot be left half-way, so the scorer is driven here.
    fn collect_segment(
        &self,
        weight: &dyn Weight,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<<Self::Child as SegmentCollector>::Fruit> {
        self.stop.check()?;
        let mut child = self.inner.for_segment(segment, reader)?;
        let mut scorer = weight.scorer(reader, 1.0)?;
        let alive = reader.alive_bitset();
        let scoring = self.inner.requires_scoring();
        let mut doc = scorer.doc();
        let mut seen = 0u32;
        while doc != TERMINATED {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                let score = if scoring { scorer.score() } else { 0.0 };
                child.collect(doc, score);
            }
            seen = seen.wrapping_add(1);
            if seen.is_multiple_of(CHECK_EVERY) {
                self.stop.check()?;
            }
            doc = scorer.advance();
        }
        Ok(child.harvest())
    }
}
