//! The index schema: which vacancy fields are searched as text, which filter, sort or count, and how
//! a [`VacancyDoc`](crate::VacancyDoc) becomes a tantivy document.

use tantivy::TantivyDocument;
use tantivy::schema::{
    FAST, Facet, FacetOptions, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions,
};

use crate::VacancyDoc;

/// Stored in `closing_day` for a vacancy without a closing date, so "closing after" keeps it.
pub(crate) const NO_CLOSING_DAY: i64 = i64::MAX;

/// The schema's fields, looked up once.
pub(crate) struct Fields {
    pub id: Field,
    pub title: Field,
    pub title_stem: Field,
    pub description: Field,
    pub skills: Field,
    pub employer_name: Field,
    pub status: Field,
    pub contract_type: Field,
    pub shift: Field,
    pub sector: Field,
    pub source: Field,
    pub employer_id: Field,
    pub environment: Field,
    pub facet: Field,
    pub soc_major: Field,
    pub soc_unit: Field,
    pub pay_max_hourly: Field,
    pub hours_min: Field,
    pub hours_max: Field,
    pub posted_at: Field,
    pub closing_day: Field,
    pub latitude: Field,
    pub longitude: Field,
}

/// Builds the schema; [`Fields::from_schema`] reads the field handles back.
pub(crate) fn build() -> Schema {
    let mut builder = Schema::builder();
    builder.add_text_field("id", STRING | STORED);
    // The title as written (exact words and typos) and by English stems ("drivers" is "driver");
    // skills and descriptions by stems only. No query asks where in a field a word is, so no
    // field keeps positions.
    let text = |tokenizer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqs),
        )
    };
    builder.add_text_field("title", text("default").set_stored());
    builder.add_text_field("title_stem", text("en_stem"));
    builder.add_text_field("description", text("en_stem").set_stored());
    builder.add_text_field("skills", text("en_stem"));
    builder.add_text_field("employer_name", text("default"));
    // Keywords filter through their terms and are counted through their fast columns.
    for keyword in [
        "status",
        "contract_type",
        "shift",
        "sector",
        "source",
        "environment",
    ] {
        builder.add_text_field(keyword, STRING | FAST);
    }
    builder.add_text_field("employer_id", STRING);
    builder.add_text_field("soc_major", FAST);
    // The 4-digit unit group as a number, for counting which groups a search's title words fall in.
    builder.add_u64_field("soc_unit", FAST);
    builder.add_facet_field("facet", FacetOptions::default());
    for number in [
        "pay_max_hourly",
        "hours_min",
        "hours_max",
        "latitude",
        "longitude",
    ] {
        builder.add_f64_field(number, INDEXED | FAST);
    }
    builder.add_i64_field("posted_at", INDEXED | FAST);
    builder.add_i64_field("closing_day", INDEXED | FAST);
    builder.build()
}

impl Fields {
    /// Finds every field in `schema`; an index written by another schema version fails here.
    pub fn from_schema(schema: &Schema) -> tantivy::Result<Self> {
        let f = |name: &str| schema.get_field(name);
        Ok(Self {
            id: f("id")?,
            title: f("title")?,
            title_stem: f("title_stem")?,
            description: f("description")?,
            skills: f("skills")?,
            employer_name: f("employer_name")?,
            status: f("status")?,
            contract_type: f("contract_type")?,
            shift: f("shift")?,
            sector: f("sector")?,
            source: f("source")?,
            employer_id: f("employer_id")?,
            environment: f("environment")?,
            facet: f("facet")?,
            soc_major: f("soc_major")?,
            soc_unit: f("soc_unit")?,
            pay_max_hourly: f("pay_max_hourly")?,
            hours_min: f("hours_min")?,
            hours_max: f("hours_max")?,
            posted_at: f("posted_at")?,
            closing_day: f("closing_day")?,
            latitude: f("latitude")?,
            longitude: f("longitude")?,
        })
    }

    /// The tantivy document for a vacancy.
    pub fn document(&self, doc: &VacancyDoc) -> TantivyDocument {
        let mut out = TantivyDocument::default();
        out.add_text(self.id, &doc.id);
        out.add_text(self.title, &doc.title);
        out.add_text(self.title_stem, &doc.title);
        // "Check-out operator" is found by "checkout" too.
        let joined = crate::occupations::joined_hyphens(&doc.title);
        if !joined.is_empty() {
            out.add_text(self.title_stem, joined.join(" "));
        }
        out.add_text(self.description, &doc.description);
        out.add_text(self.skills, &doc.skills);
        out.add_text(self.employer_name, &doc.employer_name);
        out.add_text(self.status, &doc.status);
        out.add_text(self.contract_type, &doc.contract_type);
        out.add_text(self.source, &doc.source);
        out.add_facet(
            self.facet,
            Facet::from_path(["contract", doc.contract_type.as_str()]),
        );
        out.add_facet(
            self.facet,
            Facet::from_path(["source", doc.source.as_str()]),
        );
        for shift in &doc.shifts {
            out.add_text(self.shift, shift);
            out.add_facet(self.facet, Facet::from_path(["shift", shift.as_str()]));
        }
        for environment in &doc.environments {
            out.add_text(self.environment, environment);
            out.add_facet(
                self.facet,
                Facet::from_path(["environment", environment.as_str()]),
            );
        }
        if let Some(sector) = &doc.sector {
            out.add_text(self.sector, sector);
            out.add_facet(self.facet, Facet::from_path(["sector", sector.as_str()]));
        }
        if let Some(employer) = &doc.employer_id {
            out.add_text(self.employer_id, employer);
        }
        if let Some(code) = &doc.soc_code {
            out.add_facet(self.facet, soc_facet(code));
            if let Some(major) = code.get(..1) {
                out.add_text(self.soc_major, major);
            }
            let digits = soc_digits(code);
            if digits.len() == 4
                && let Ok(unit) = digits.parse()
            {
                out.add_u64(self.soc_unit, unit);
            }
        }
        if let Some(pay) = doc.pay_max_hourly.or(doc.pay_min_hourly) {
            out.add_f64(self.pay_max_hourly, pay);
        }
        if let Some(hours) = doc.hours_min.or(doc.hours_max) {
            out.add_f64(self.hours_min, hours);
        }
        if let Some(hours) = doc.hours_max.or(doc.hours_min) {
            out.add_f64(self.hours_max, hours);
        }
        out.add_i64(self.posted_at, doc.posted_at.unwrap_or(0));
        out.add_i64(self.closing_day, doc.closing_day.unwrap_or(NO_CLOSING_DAY));
        if let (Some(lat), Some(lon)) = (doc.latitude, doc.longitude) {
            out.add_f64(self.latitude, lat);
            out.add_f64(self.longitude, lon);
        }
        out
    }
}

/// The SOC hierarchy of a code as a facet: `9272` → `/soc/9/92/927/9272`. A shorter code (a prefix)
/// gives the facet of that level.
/// The SOC digits of a code or prefix as written (at most four).
pub(crate) fn soc_digits(code: &str) -> String {
    code.chars().filter(char::is_ascii_digit).take(4).collect()
}

pub(crate) fn soc_facet(code: &str) -> Facet {
    let digits: Vec<char> = soc_digits(code).chars().collect();
    let mut path = vec!["soc".to_string()];
    for len in 1..=digits.len() {
        path.push(digits[..len].iter().collect());
    }
    Facet::from_path(path)
}
