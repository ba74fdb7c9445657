//! `WithinRadius`: wraps any collector so that it only sees documents within a radius of a point,
//! by the exact great-circle distance (the query narrows to a bounding box first).

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::{Near, distance_km};

/// A collector that passes on only the documents within `near`.
pub(crate) struct WithinRadius<C> {
    pub near: Near,
    pub inner: C,
}

pub(crate) struct WithinRadiusSegment<S> {
    near: Near,
    latitude: Option<Column<f64>>,
    longitude: Option<Column<f64>>,
    inner: S,
}

impl<C: Collector> Collector for WithinRadius<C> {
    type Fruit = C::Fruit;
    type Child = WithinRadiusSegment<C::Child>;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        let fast = reader.fast_fields();
        Ok(WithinRadiusSegment {
            near: self.near,
            latitude: fast.column_opt("latitude")?,
            longitude: fast.column_opt("longitude")?,
            inner: self.inner.for_segment(segment, reader)?,
        })
    }

    fn requires_scoring(&self) -> bool {
        self.inner.requires_scoring()
    }

    fn merge_fruits(
        &self,
        fruits: Vec<<Self::Child as SegmentCollector>::Fruit>,
    ) -> tantivy::Result<Self::Fruit> {
        self.inner.merge_fruits(fruits)
    }
}

impl<S: SegmentCollector> SegmentCollector for WithinRadiusSegment<S> {
    type Fruit = S::Fruit;

    fn collect(&mut self, doc: DocId, score: Score) {
        let (Some(lat), Some(lon)) = (&self.latitude, &self.longitude) else {
            return;
        };
        let (Some(lat), Some(lon)) = (lat.first(doc), lon.first(doc)) else {
            return;
        };
        if distance_km((self.near.latitude, self.near.longitude), (lat, lon)) <= self.near.radius_km
        {
            self.inner.collect(doc, score);
        }
    }

    fn harvest(self) -> Self::Fruit {
        self.inner.harvest()
    }
}
