//! `FacetCounter`: counts, over every match, the values of each counted dimension, read from the
//! keyword fields' fast columns (term ordinals counted per segment, turned into text once per
//! segment). Far cheaper per query than tantivy's `FacetCollector`, which walks the facet dictionary
//! of every segment on every search.

use std::collections::BTreeMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// Counted dimensions and the fast field each is read from.
pub(crate) const DIMENSIONS: [(&str, &str); 6] = [
    ("sector", "sector"),
    ("contract", "contract_type"),
    ("shift", "shift"),
    ("environment", "environment"),
    ("source", "source"),
    ("soc", "soc_major"),
];

/// Counts per (dimension, value) over all matches.
pub(crate) type Counts = BTreeMap<(&'static str, String), u64>;

/// Counts facet values when `enabled`; otherwise collects nothing.
#[derive(Clone, Copy)]
pub(crate) struct FacetCounter {
    pub enabled: bool,
}

pub(crate) struct FacetSegmentCounter {
    columns: Vec<(&'static str, StrColumn, Vec<u64>)>,
}

impl Collector for FacetCounter {
    type Fruit = Counts;
    type Child = FacetSegmentCounter;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        let mut columns = Vec::with_capacity(DIMENSIONS.len());
        for (dimension, field) in DIMENSIONS.into_iter().filter(|_| self.enabled) {
            if let Some(column) = reader.fast_fields().str(field)? {
                let counts = vec![0; column.num_terms()];
                columns.push((dimension, column, counts));
            }
        }
        Ok(FacetSegmentCounter { columns })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Counts>) -> tantivy::Result<Counts> {
        let mut all = Counts::new();
        for fruit in fruits {
            for (key, count) in fruit {
                *all.entry(key).or_default() += count;
            }
        }
        Ok(all)
    }
}

impl SegmentCollector for FacetSegmentCounter {
    type Fruit = Counts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        for (_, column, counts) in &mut self.columns {
            for ord in column.term_ords(doc) {
                if let Some(count) = counts.get_mut(ord as usize) {
                    *count += 1;
                }
            }
        }
    }

    fn harvest(self) -> Counts {
        let mut out = Counts::new();
        let mut value = String::new();
        for (dimension, column, counts) in self.columns {
            for (ord, count) in counts.into_iter().enumerate() {
                if count > 0 && column.ord_to_str(ord as u64, &mut value).unwrap_or(false) {
                    *out.entry((dimension, value.clone())).or_default() += count;
                }
            }
        }
        out
    }
}
