//! schema.org `JobPosting` JSON-LD: reading postings into sync items (as job boards and employment
//! services publish them) and writing a vacancy as one. Reading is lenient about shapes schema.org
//! allows (a string or an object, one value or a list) and strict about meaning: an unknown currency
//! or a pay unit it cannot convert is an error on that field.

use serde_json::{Map, Value, json};

use entities::{employer, vacancy};

use super::inputs::VacancySyncItem;
use crate::dates::Date;
use crate::error::{UserError, UserErrorCode};
use crate::vacancies::inputs::{Location, OccupationInput, PayInput, VacancyFactsInput};
use crate::vacancies::model::{
    ContractType, DbsLevel, DrugTesting, PayPeriod, SocVersion, VacancyStatus,
};

/// Reads the documents of a file: one JSON object, a JSON array of them, an object with `@graph`,
/// or JSON Lines (one object per line; blank lines skipped). Each entry is a posting or why that
/// part could not be read (with its line number for JSON Lines).
pub fn read_documents(text: &str) -> Vec<Result<Value, String>> {
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    if trimmed.is_empty() {
        return Vec::new();
    }
    // A whole-file document first (pretty-printed objects and arrays span lines).
    if let Ok(value) = serde_json::from_str::<Value>(trimmed) {
        return flatten(value).into_iter().map(Ok).collect();
    }
    let mut documents = Vec::new();
    for (number, line) in trimmed.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        match serde_json::from_str::<Value>(line) {
            Ok(value) => documents.extend(flatten(value).into_iter().map(Ok)),
            Err(_) => documents.push(Err(format!("line {} is not valid JSON", number + 1))),
        }
    }
    documents
}

fn flatten(value: Value) -> Vec<Value> {
    match value {
        Value::Array(items) => items.into_iter().flat_map(flatten).collect(),
        Value::Object(mut map) if map.contains_key("@graph") => {
            flatten(map.remove("@graph").unwrap_or(Value::Null))
        }
        other => vec![other],
    }
}

/// Turns HTML (as postings often carry) into plain text: tags dropped, block ends as line breaks,
/// common entities decoded, runs of blank lines collapsed. Plain text comes back trimmed.
pub fn plain_text(html: &str) -> String {
    if !html.contains('<') && !html.contains('&') {
        return html.trim().to_string();
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('>') else {
            out.push_str(&rest[start..]);
            rest = "";
            break;
        };
        let tag = rest[start + 1..start + end]
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        if matches!(
            tag.as_str(),
            "br" | "p" | "li" | "div" | "ul" | "ol" | "h1" | "h2" | "h3" | "h4" | "tr"
        ) {
            out.push('\n');
        }
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    let decoded = out
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&pound;", "£")
        .replace("&amp;", "&");
    let mut lines: Vec<&str> = Vec::new();
    for line in decoded.lines().map(str::trim) {
        if line.is_empty() && lines.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        lines.push(line);
    }
    lines.join("\n").trim().to_string()
}

/// Text of a value that may be a string, a number, or an object with `value`/`name`/`@id`.
fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(items) => items.iter().find_map(text),
        Value::Object(map) => ["value", "codeValue", "name", "@id"]
            .iter()
            .find_map(|k| map.get(*k).and_then(text)),
        _ => None,
    }
}

/// A number given as a JSON number or a numeric string.
fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().replace([',', '£'], "").parse().ok(),
        _ => None,
    }
}

/// The first object of a value that may be one object or a list of them.
fn first_object(value: Option<&Value>) -> Option<&Map<String, Value>> {
    match value? {
        Value::Object(map) => Some(map),
        Value::Array(items) => items.iter().find_map(|v| v.as_object()),
        _ => None,
    }
}

/// Every string of a value that may be one string or a list.
fn strings(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::String(s)) => vec![s.trim().to_string()],
        Some(Value::Array(items)) => items.iter().filter_map(text).collect(),
        _ => Vec::new(),
    }
}

/// A date from `YYYY-MM-DD` or an RFC 3339 date-time.
fn date(value: &Value) -> Option<chrono::NaiveDate> {
    let text = value.as_str()?.trim();
    chrono::NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d").ok()
}

/// The hours a week in `workHours` text: one figure, or the first two as a range.
fn work_hours(text: &str) -> (Option<f64>, Option<f64>) {
    let mut figures = Vec::new();
    let mut current = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() || (c == '.' && !current.is_empty()) {
            current.push(c);
        } else if !current.is_empty() {
            if let Ok(v) = current.trim_end_matches('.').parse::<f64>() {
                figures.push(v);
            }
            current.clear();
        }
    }
    match figures.as_slice() {
        [] => (None, None),
        [one] => (Some(*one), Some(*one)),
        [a, b, ..] => (Some(a.min(*b)), Some(a.max(*b))),
    }
}

fn error(field: &str, code: UserErrorCode, message: &str) -> UserError {
    UserError::on(field, code, message)
}

/// Reads one `JobPosting` into a sync item. Errors name the posting's own fields (`identifier`,
/// `baseSalary.currency`, …).
pub fn from_json_ld(value: &Value) -> Result<VacancySyncItem, Vec<UserError>> {
    let Some(posting) = value.as_object() else {
        return Err(vec![error(
            "",
            UserErrorCode::Invalid,
            "a JobPosting is a JSON object",
        )]);
    };
    let mut errors = Vec::new();
    let kind = posting.get("@type").and_then(text);
    if kind.as_deref().is_some_and(|k| k != "JobPosting") {
        errors.push(error(
            "@type",
            UserErrorCode::Invalid,
            "expected a JobPosting",
        ));
    }
    let external_id = posting.get("identifier").and_then(text).unwrap_or_default();
    if external_id.is_empty() {
        errors.push(error(
            "identifier",
            UserErrorCode::Required,
            "a posting needs its identifier at the source",
        ));
    }
    let title = posting.get("title").and_then(text).unwrap_or_default();
    if title.is_empty() {
        errors.push(error("title", UserErrorCode::Required, "title is required"));
    }
    let description = posting
        .get("description")
        .and_then(Value::as_str)
        .map(plain_text)
        .unwrap_or_default();

    let employment_types: Vec<String> = strings(posting.get("employmentType"))
        .into_iter()
        .map(|t| t.to_ascii_uppercase().replace(['-', ' '], "_"))
        .collect();
    let contract_type = if employment_types.iter().any(|t| t == "INTERN") {
        ContractType::Apprenticeship
    } else if employment_types.iter().any(|t| t == "PER_DIEM") {
        ContractType::ZeroHours
    } else if employment_types
        .iter()
        .any(|t| t == "TEMPORARY" || t == "CONTRACTOR")
    {
        ContractType::Temporary
    } else {
        ContractType::Permanent
    };

    let organisation = first_object(posting.get("hiringOrganization"));
    let employer_name = organisation
        .and_then(|o| o.get("name"))
        .and_then(text)
        .or_else(|| {
            posting
                .get("hiringOrganization")
                .and_then(Value::as_str)
                .map(str::to_string)
        });
    let employer_external_id = organisation
        .and_then(|o| o.get("identifier"))
        .and_then(text);

    let place = first_object(posting.get("jobLocation"));
    let address = place.and_then(|p| first_object(p.get("address")));
    let geo = place.and_then(|p| first_object(p.get("geo")));
    let location = Location {
        town: address
            .and_then(|a| a.get("addressLocality"))
            .and_then(text),
        postcode: address.and_then(|a| a.get("postalCode")).and_then(text),
        latitude: geo.and_then(|g| g.get("latitude")).and_then(number),
        longitude: geo.and_then(|g| g.get("longitude")).and_then(number),
    };
    let location = (location != Location::default()).then_some(location);
    let remote = strings(posting.get("jobLocationType"))
        .iter()
        .any(|t| t.eq_ignore_ascii_case("TELECOMMUTE"));

    let pay = match first_object(posting.get("baseSalary")) {
        None => None,
        Some(salary) => read_salary(salary, &mut errors),
    };
    let (hours_min, hours_max) = posting
        .get("workHours")
        .and_then(Value::as_str)
        .map(work_hours)
        .unwrap_or((None, None));

    let occupation = posting.get("occupationalCategory").and_then(|c| {
        let code_text = text(c)?;
        let digits: String = code_text.chars().take_while(char::is_ascii_digit).collect();
        if digits.len() != 4 {
            return None;
        }
        let set = c.get("inCodeSet").and_then(text).unwrap_or_default();
        Some(OccupationInput {
            code: digits,
            version: if set.contains("2020") {
                SocVersion::Soc2020
            } else {
                SocVersion::Soc2010
            },
        })
    });
    let skills = match posting.get("skills") {
        Some(Value::String(s)) => s
            .split([',', ';', '\n'])
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
        other => strings(other),
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(VacancySyncItem {
        external_id,
        facts: VacancyFactsInput {
            title,
            description,
            skills,
            employer_name,
            occupation,
            sector: None,
            location,
            remote,
            hours_per_week_min: hours_min,
            hours_per_week_max: hours_max,
            shifts: Vec::new(),
            pay,
            closing_date: posting.get("validThrough").and_then(date).map(Date),
            environments: Vec::new(),
            dbs_level: DbsLevel::None,
            drug_testing: DrugTesting::None,
        },
        employer_external_id,
        contract_type,
        status: VacancyStatus::Open,
    })
}

/// `baseSalary` as a `MonetaryAmount` in pounds, per hour, day, week, month or year.
fn read_salary(salary: &Map<String, Value>, errors: &mut Vec<UserError>) -> Option<PayInput> {
    if let Some(currency) = salary.get("currency").and_then(text)
        && !currency.eq_ignore_ascii_case("GBP")
    {
        errors.push(error(
            "baseSalary.currency",
            UserErrorCode::Invalid,
            "pay must be in pounds (GBP)",
        ));
        return None;
    }
    let value = salary.get("value");
    let quantity = value.and_then(Value::as_object);
    let (mut min, mut max) = match quantity {
        Some(q) => (
            q.get("minValue").or(q.get("value")).and_then(number),
            q.get("maxValue").or(q.get("value")).and_then(number),
        ),
        None => {
            let v = value.and_then(number);
            (v, v)
        }
    };
    let unit = quantity
        .and_then(|q| q.get("unitText"))
        .or(salary.get("unitText"))
        .and_then(text)
        .unwrap_or_else(|| "YEAR".into())
        .to_ascii_uppercase();
    let (period, factor) = match unit.as_str() {
        "HOUR" => (PayPeriod::Hourly, 1.0),
        "DAY" => (PayPeriod::Weekly, 5.0),
        "WEEK" => (PayPeriod::Weekly, 1.0),
        "MONTH" => (PayPeriod::Annual, 12.0),
        "YEAR" => (PayPeriod::Annual, 1.0),
        _ => {
            errors.push(error(
                "baseSalary.value.unitText",
                UserErrorCode::Invalid,
                "unitText must be HOUR, DAY, WEEK, MONTH or YEAR",
            ));
            return None;
        }
    };
    if min.is_none() && max.is_none() {
        errors.push(error(
            "baseSalary.value",
            UserErrorCode::Required,
            "baseSalary needs a value, minValue or maxValue",
        ));
        return None;
    }
    min = min.map(|v| v * factor);
    max = max.map(|v| v * factor);
    Some(PayInput { min, max, period })
}

/// A vacancy as a schema.org `JobPosting`.
pub fn to_json_ld(row: &vacancy::Model, employer: Option<&employer::Model>) -> Value {
    let mut posting = Map::new();
    posting.insert("@context".into(), json!("https://schema.org"));
    posting.insert("@type".into(), json!("JobPosting"));
    posting.insert(
        "identifier".into(),
        json!({
            "@type": "PropertyValue",
            "name": row.source,
            "value": row.external_id.clone().unwrap_or_else(|| row.id.to_string()),
        }),
    );
    posting.insert("title".into(), json!(row.title));
    posting.insert("description".into(), json!(row.description));
    if let Some(posted) = row.posted_at {
        posting.insert("datePosted".into(), json!(posted.date_naive().to_string()));
    }
    if let Some(closing) = row.closing_date {
        posting.insert("validThrough".into(), json!(closing.to_string()));
    }
    let full_time = row.hours_max.or(row.hours_min).is_none_or(|h| h >= 30.0);
    let mut employment = vec![if full_time { "FULL_TIME" } else { "PART_TIME" }];
    match row.contract_type.as_str() {
        "TEMPORARY" | "FIXED_TERM" => employment.push("TEMPORARY"),
        "ZERO_HOURS" => employment.push("PER_DIEM"),
        "APPRENTICESHIP" => employment.push("INTERN"),
        _ => {}
    }
    posting.insert("employmentType".into(), json!(employment));
    let name = employer
        .map(|e| e.name.clone())
        .or_else(|| row.employer_name.clone());
    if let Some(name) = name {
        let mut organisation = json!({ "@type": "Organization", "name": name });
        if let Some(site) = employer.and_then(|e| e.website.clone()) {
            organisation["sameAs"] = json!(site);
        }
        if let Some(key) = employer.and_then(|e| e.external_id.clone()) {
            organisation["identifier"] = json!(key);
        }
        posting.insert("hiringOrganization".into(), organisation);
    }
    if row.town.is_some() || row.postcode.is_some() || row.latitude.is_some() {
        let mut place = json!({
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "addressLocality": row.town,
                "postalCode": row.postcode,
                "addressCountry": "GB",
            },
        });
        if let (Some(lat), Some(lon)) = (row.latitude, row.longitude) {
            place["geo"] = json!({ "@type": "GeoCoordinates", "latitude": lat, "longitude": lon });
        }
        posting.insert("jobLocation".into(), place);
    }
    if row.remote {
        posting.insert("jobLocationType".into(), json!("TELECOMMUTE"));
    }
    if let Some(period) = row.pay_period.as_deref() {
        let unit = match period {
            "HOURLY" => "HOUR",
            "WEEKLY" => "WEEK",
            _ => "YEAR",
        };
        posting.insert(
            "baseSalary".into(),
            json!({
                "@type": "MonetaryAmount",
                "currency": "GBP",
                "value": {
                    "@type": "QuantitativeValue",
                    "minValue": row.pay_min,
                    "maxValue": row.pay_max,
                    "unitText": unit,
                },
            }),
        );
    }
    match (row.hours_min, row.hours_max) {
        (Some(a), Some(b)) if a == b => {
            posting.insert("workHours".into(), json!(format!("{a} hours per week")));
        }
        (Some(a), Some(b)) => {
            posting.insert("workHours".into(), json!(format!("{a}-{b} hours per week")));
        }
        (Some(h), None) | (None, Some(h)) => {
            posting.insert("workHours".into(), json!(format!("{h} hours per week")));
        }
        (None, None) => {}
    }
    if let (Some(code), Some(version)) = (&row.soc_code, &row.soc_version) {
        posting.insert(
            "occupationalCategory".into(),
            json!({ "@type": "CategoryCode", "codeValue": code, "inCodeSet": version }),
        );
    }
    let skills: Vec<&str> = row.skills.lines().filter(|s| !s.is_empty()).collect();
    if !skills.is_empty() {
        posting.insert("skills".into(), json!(skills));
    }
    // Drop the nulls a missing town or postcode leaves in the address.
    strip_nulls(Value::Object(posting))
}

fn strip_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, strip_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(strip_nulls).collect()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn posting() -> Value {
        json!({
            "@context": "https://schema.org",
            "@type": "JobPosting",
            "identifier": { "@type": "PropertyValue", "name": "dwp", "value": "FAJ-1001" },
            "title": "Kitchen Porter",
            "description": "<p>Wash up &amp; keep the kitchen clean.</p><ul><li>Early starts</li></ul>",
            "datePosted": "2026-11-20",
            "validThrough": "2027-01-31T23:59:00Z",
            "employmentType": ["PART_TIME", "TEMPORARY"],
            "hiringOrganization": { "@type": "Organization", "name": "The Crown Hotel", "identifier": "EMP-7" },
            "jobLocation": {
                "@type": "Place",
                "address": { "@type": "PostalAddress", "addressLocality": "Leeds", "postalCode": "LS1 4AP" },
                "geo": { "@type": "GeoCoordinates", "latitude": "53.7997", "longitude": -1.5492 }
            },
            "baseSalary": {
                "@type": "MonetaryAmount", "currency": "GBP",
                "value": { "@type": "QuantitativeValue", "minValue": 12.21, "maxValue": 13.0, "unitText": "HOUR" }
            },
            "workHours": "16 to 24 hours per week",
            "occupationalCategory": "9272 Kitchen and catering assistants",
            "skills": "washing up, food hygiene"
        })
    }

    #[test]
    fn reads_a_job_posting() {
        let item = from_json_ld(&posting()).expect("valid posting");
        assert_eq!(item.external_id, "FAJ-1001");
        assert_eq!(item.facts.title, "Kitchen Porter");
        assert_eq!(
            item.facts.description,
            "Wash up & keep the kitchen clean.\n\nEarly starts"
        );
        assert_eq!(item.contract_type, ContractType::Temporary);
        assert_eq!(item.facts.employer_name.as_deref(), Some("The Crown Hotel"));
        assert_eq!(item.employer_external_id.as_deref(), Some("EMP-7"));
        let location = item.facts.location.expect("location");
        assert_eq!(location.town.as_deref(), Some("Leeds"));
        assert_eq!(location.latitude, Some(53.7997));
        assert_eq!(location.longitude, Some(-1.5492));
        let pay = item.facts.pay.expect("pay");
        assert_eq!(
            (pay.min, pay.max, pay.period),
            (Some(12.21), Some(13.0), PayPeriod::Hourly)
        );
        assert_eq!(
            (item.facts.hours_per_week_min, item.facts.hours_per_week_max),
            (Some(16.0), Some(24.0))
        );
        assert_eq!(item.facts.occupation.expect("soc").code, "9272");
        assert_eq!(item.facts.skills, vec!["washing up", "food hygiene"]);
        assert_eq!(
            item.facts.closing_date.map(|d| d.0.to_string()).as_deref(),
            Some("2027-01-31")
        );
    }

    #[test]
    fn names_the_fields_it_cannot_read() {
        let mut bad = posting();
        bad["identifier"] = Value::Null;
        bad["baseSalary"]["currency"] = json!("EUR");
        let errors = from_json_ld(&bad).expect_err("refused");
        let fields: Vec<String> = errors
            .iter()
            .map(|e| e.field.clone().unwrap_or_default().join("."))
            .collect();
        assert_eq!(
            fields,
            vec!["input.identifier", "input.baseSalary.currency"]
        );
        let mut monthly = posting();
        monthly["baseSalary"]["value"] = json!({ "value": 2000, "unitText": "MONTH" });
        let pay = from_json_ld(&monthly)
            .expect("valid")
            .facts
            .pay
            .expect("pay");
        assert_eq!((pay.min, pay.period), (Some(24_000.0), PayPeriod::Annual));
    }

    #[test]
    fn writes_what_it_reads() {
        let item = from_json_ld(&posting()).expect("valid posting");
        let now = crate::clock::now();
        let row = vacancy::Model {
            id: uuid::Uuid::now_v7(),
            title: item.facts.title.clone(),
            description: item.facts.description.clone(),
            skills: item.facts.skills.join("\n"),
            employer_id: None,
            employer_name: item.facts.employer_name.clone(),
            soc_code: Some("9272".into()),
            soc_version: Some("SOC2010".into()),
            sector: None,
            town: Some("Leeds".into()),
            postcode: Some("LS1 4AP".into()),
            latitude: Some(53.7997),
            longitude: Some(-1.5492),
            remote: true,
            hours_min: Some(16.0),
            hours_max: Some(24.0),
            shifts: String::new(),
            pay_min: Some(12.21),
            pay_max: Some(13.0),
            pay_period: Some("HOURLY".into()),
            pay_min_hourly: Some(12.21),
            pay_max_hourly: Some(13.0),
            contract_type: "TEMPORARY".into(),
            closing_date: item.facts.closing_date.map(|d| d.0),
            status: "OPEN".into(),
            source: "dwp".into(),
            external_id: Some("FAJ-1001".into()),
            environments: String::new(),
            dbs_level: "NONE".into(),
            drug_testing: "NONE".into(),
            posted_at: Some(now),
            created_by_id: None,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        let exported = to_json_ld(&row, None);
        assert_eq!(exported["@type"], "JobPosting");
        assert_eq!(exported["jobLocationType"], "TELECOMMUTE");
        let again = from_json_ld(&exported).expect("round trip");
        assert_eq!(again.external_id, "FAJ-1001");
        assert_eq!(again.facts.title, item.facts.title);
        assert_eq!(again.facts.description, item.facts.description);
        assert_eq!(again.facts.pay, item.facts.pay);
        assert_eq!(again.facts.location, item.facts.location);
        assert_eq!(again.facts.occupation, item.facts.occupation);
        assert_eq!(again.facts.closing_date, item.facts.closing_date);
        assert_eq!(again.contract_type, ContractType::Temporary);
        assert_eq!(
            (
                again.facts.hours_per_week_min,
                again.facts.hours_per_week_max
            ),
            (Some(16.0), Some(24.0))
        );
        assert_eq!(again.facts.skills, item.facts.skills);
        assert!(again.facts.remote);
    }

    #[test]
    fn reads_arrays_graphs_and_json_lines() {
        assert_eq!(read_documents(r#"[{"a":1},{"a":2}]"#).len(), 2);
        assert_eq!(
            read_documents(r#"{"@graph":[{"a":1},{"a":2},{"a":3}]}"#).len(),
            3
        );
        let lines = "{\"a\":1}\n\n{\"a\":2}\nnot json\n{\"a\":3}\n";
        let read = read_documents(lines);
        assert_eq!(read.len(), 4);
        assert_eq!(
            read[2].as_ref().expect_err("bad line"),
            "line 4 is not valid JSON"
        );
        assert_eq!(read_documents("{\n  \"a\": 1\n}\n").len(), 1);
    }
}
