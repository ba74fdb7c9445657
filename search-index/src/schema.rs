//! The index schema: which vacancy fields are searched as text, which filter, and how a
//! [`VacancyDoc`](crate::VacancyDoc) becomes a tantivy document.

use tantivy::TantivyDocument;
use tantivy::schema::{FAST, Field, INDEXED, STORED, STRING, Schema, TEXT};

use crate::VacancyDoc;

/// The schema's fields, looked up once.
pub(crate) struct Fields {
    pub id: Field,
    pub title: Field,
    pub description: Field,
    pub skills: Field,
    pub employer_name: Field,
    pub status: Field,
    pub contract_type: Field,
    pub environment: Field,
    pub pay_min_hourly: Field,
    pub pay_max_hourly: Field,
}

/// Builds the schema; [`Fields::from_schema`] reads the field handles back.
pub(crate) fn build() -> Schema {
    let mut builder = Schema::builder();
    builder.add_text_field("id", STRING | STORED);
    builder.add_text_field("title", TEXT);
    builder.add_text_field("description", TEXT);
    builder.add_text_field("skills", TEXT);
    builder.add_text_field("employer_name", TEXT);
    builder.add_text_field("status", STRING);
    builder.add_text_field("contract_type", STRING);
    builder.add_text_field("environment", STRING);
    builder.add_f64_field("pay_min_hourly", INDEXED | FAST);
    builder.add_f64_field("pay_max_hourly", INDEXED | FAST);
    builder.build()
}

impl Fields {
    /// Finds every field in `schema`; an index written by another schema version fails here.
    pub fn from_schema(schema: &Schema) -> tantivy::Result<Self> {
        Ok(Self {
            id: schema.get_field("id")?,
            title: schema.get_field("title")?,
            description: schema.get_field("description")?,
            skills: schema.get_field("skills")?,
            employer_name: schema.get_field("employer_name")?,
            status: schema.get_field("status")?,
            contract_type: schema.get_field("contract_type")?,
            environment: schema.get_field("environment")?,
            pay_min_hourly: schema.get_field("pay_min_hourly")?,
            pay_max_hourly: schema.get_field("pay_max_hourly")?,
        })
    }

    /// The tantivy document for a vacancy.
    pub fn document(&self, doc: &VacancyDoc) -> TantivyDocument {
        let mut out = TantivyDocument::default();
        out.add_text(self.id, &doc.id);
        out.add_text(self.title, &doc.title);
        out.add_text(self.description, &doc.description);
        out.add_text(self.skills, &doc.skills);
        out.add_text(self.employer_name, &doc.employer_name);
        out.add_text(self.status, &doc.status);
        out.add_text(self.contract_type, &doc.contract_type);
        for environment in &doc.environments {
            out.add_text(self.environment, environment);
        }
        if let Some(pay) = doc.pay_min_hourly {
            out.add_f64(self.pay_min_hourly, pay);
        }
        if let Some(pay) = doc.pay_max_hourly.or(doc.pay_min_hourly) {
            out.add_f64(self.pay_max_hourly, pay);
        }
        out
    }
}
