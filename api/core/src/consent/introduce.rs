//! Introducing a client to an employer: the gated act that tells an employer about a client, and
//! the profile it may see.

use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};

use entities::{client, client_sensitive, disclosure_consent, employer_contact, job_preference};

use super::inputs::*;
use super::model::*;
use crate::access::Viewer;
use crate::audit::{self, AuditAction, AuditEntry};
use crate::clients::service::reachable;
use crate::error::{ApiError, ServiceError, UserErrorCode};
use crate::ids::{self, Kind};
use crate::validate::Checks;

/// Longest a consent may run.
use super::service::{contact_of, employer_id, join_items};

/// Introduces a client to an employer: checks consent for exactly `items`, logs the disclosure and
/// builds what the employer may see.
pub async fn introduce(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: ClientIntroduceInput,
) -> Result<DisclosedProfile, ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    let client = reachable(&txn, viewer, "clientId", &input.client_id).await?;
    let mut checks = Checks::new();
    let employer = employer_id(&txn, &mut checks, "employerId", &input.employer_id).await?;
    let contact = contact_of(
        &txn,
        &mut checks,
        "contactId",
        input.contact_id.as_deref(),
        employer,
    )
    .await?;
    // Only a live employer and a current contact can be told anything (named by their field here;
    // the gate refuses them too, for every other act).
    if let Some(e) = employer
        && crate::employers::service::find_employer(&txn, e)
            .await?
            .is_some_and(|e| e.archived_at.is_some())
    {
        checks.fail(
            "employerId",
            UserErrorCode::Archived,
            "this employer is archived; restore it first",
        );
    }
    if let Some(c) = contact
        && employer_contact::Entity::find_by_id(c)
            .one(&txn)
            .await?
            .is_some_and(|c| c.archived_at.is_some())
    {
        checks.fail(
            "contactId",
            UserErrorCode::Archived,
            "this contact is archived",
        );
    }
    let vacancy = match &input.vacancy_id {
        Some(id) => {
            let found = match ids::decode_as(id, Kind::Vacancy) {
                Some(uuid) => crate::vacancies::service::find_vacancy(&txn, uuid).await?,
                None => None,
            };
            match found {
                None => {
                    checks.fail("vacancyId", UserErrorCode::NotFound, "no such vacancy");
                    None
                }
                Some(v) if employer.is_some() && v.employer_id != employer => {
                    checks.fail(
                        "vacancyId",
                        UserErrorCode::Invalid,
                        "the vacancy is another employer's",
                    );
                    None
                }
                Some(v) => Some(v.id),
            }
        }
        None => None,
    };
    let mut items = input.items.clone();
    if !items.contains(&DisclosureItem::ServiceAffiliation) {
        // Naming the client to an employer reveals the service relationship in any case.
        items.push(DisclosureItem::ServiceAffiliation);
    }
    checks.finish()?;
    let Some(employer) = employer else {
        return Err(ServiceError::user(
            "employerId",
            UserErrorCode::NotFound,
            "no such employer",
        ));
    };
    let disclosed = super::gate::disclose(
        &txn,
        super::gate::Telling {
            client_id: client.id,
            employer_id: employer,
            contact_id: contact,
            vacancy_id: vacancy,
            act: DisclosureAct::Introduction,
            items: &items,
            channel: input.channel.as_db(),
            actor_id: viewer.id(),
            field: "items",
        },
    )
    .await?;
    let consent = disclosed.consent();
    let profile = disclosed_profile(&txn, viewer, &client, consent, &items).await?;
    txn.commit().await?;
    Ok(profile)
}

/// What the employer may see, built now from the consent: only the items disclosed.
async fn disclosed_profile(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    client: &client::Model,
    consent: &disclosure_consent::Model,
    items: &[DisclosureItem],
) -> Result<DisclosedProfile, ApiError> {
    use DisclosureItem as I;
    let needs_facts = items.iter().any(|i| {
        matches!(
            i,
            I::SubstanceUseHistory | I::CurrentTreatment | I::CriminalRecord | I::BenefitsStatus
        )
    });
    let facts = if needs_facts {
        audit::record(
            conn,
            AuditEntry {
                actor_id: viewer.id(),
                action: AuditAction::SensitiveRead,
                client_id: Some(client.id),
                purpose: Some("DISCLOSURE"),
                detail: &join_items(items),
            },
        )
        .await?;
        client_sensitive::Entity::find()
            .filter(client_sensitive::Column::ClientId.eq(client.id))
            .order_by_desc(client_sensitive::Column::Version)
            .one(conn)
            .await?
    } else {
        None
    };
    let team = entities::team::Entity::find_by_id(client.team_id)
        .one(conn)
        .await?;
    let preferences = job_preference::Entity::find()
        .filter(job_preference::Column::ClientId.eq(client.id))
        .order_by_desc(job_preference::Column::Version)
        .one(conn)
        .await?;
    let words = |v: Option<&String>| {
        v.map(|s| s.to_lowercase().replace('_', " "))
            .unwrap_or_else(|| "not recorded".into())
    };
    let mut out = Vec::new();
    for item in items {
        let statement = match item {
            I::ServiceAffiliation => format!(
                "Supported by {}",
                team.as_ref()
                    .map_or("an employment service".to_string(), |t| t.site.clone())
            ),
            I::SubstanceUseHistory => format!(
                "History of substance use ({})",
                words(
                    facts
                        .as_ref()
                        .and_then(|f| f.primary_substance_group.as_ref())
                )
            ),
            I::CurrentTreatment => format!(
                "Treatment: {}",
                words(facts.as_ref().and_then(|f| f.treatment_status.as_ref()))
            ),
            I::CriminalRecord => format!(
                "Criminal record: {}",
                words(
                    facts
                        .as_ref()
                        .and_then(|f| f.criminal_record_status.as_ref())
                )
            ),
            I::BenefitsStatus => format!(
                "Benefits: {}",
                words(facts.as_ref().and_then(|f| f.benefits_status.as_ref()))
            ),
            I::AppointmentConstraints => {
                let windows: Vec<crate::clients::inputs::FreeWindow> = preferences
                    .as_ref()
                    .and_then(|p| serde_json::from_str(&p.free_windows).ok())
                    .unwrap_or_default();
                if windows.is_empty() {
                    "No regular appointments to work around".into()
                } else {
                    let times: Vec<String> = windows
                        .iter()
                        .map(|w| {
                            let days: Vec<&str> = w.days.iter().map(|d| d.as_db()).collect();
                            format!("{} {}–{}", days.join("/"), w.from, w.to)
                        })
                        .collect();
                    format!("Needs to keep free: {}", times.join("; "))
                }
            }
            // The consent's own wording was written for the whole consent (it may say more than
            // these items): the employer-facing profile never carries it.
            I::EmploymentGapExplanation => {
                "There is a gap in employment history; the client will explain it in their own words"
                    .into()
            }
            I::GeneralHealthCondition => {
                "Has a health condition; the client will say what it means for the job".into()
            }
            I::ReasonableAdjustments => {
                "May ask for reasonable adjustments; the client will discuss them with you".into()
            }
        };
        out.push(DisclosedItem {
            item: *item,
            statement,
        });
    }
    Ok(DisclosedProfile {
        name: client.name.clone(),
        items: out,
        consent_version: consent.version,
    })
}
