//! What a keyworker may ask for: the one list of the fields a keyworker's request may resolve
//! ([`KEYWORKER_FIELDS`]), held by an extension every field of every request passes through
//! ([`KeyworkerFence`]). Anything else — a root field, or a field nested under an allowed one —
//! answers `FORBIDDEN`, whatever the resolver would have done; a keyworker opens no subscription.
//! So a field added to the schema is closed to keyworkers until it is put on the list, and the
//! role × field test walks the schema to hold it so.

use std::sync::Arc;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextResolve, ResolveInfo,
};
use async_graphql::parser::types::{ExecutableDocument, OperationType};
use async_graphql::{ServerError, ServerResult, Value, Variables};
use uuid::Uuid;

use crate::auth::{Role, Viewer};
use crate::ids::Kind;

/// Every `(type, field)` a keyworker's request may resolve (introspection aside). Their own
/// record, their treatment team, the referrals they made and what a client agreed to share.
pub const KEYWORKER_FIELDS: &[(&str, &str)] = &[
    ("Query", "viewer"),
    ("Query", "referrals"),
    ("Query", "referral"),
    ("Query", "node"),
    ("Query", "nodes"),
    ("Mutation", "referralCreate"),
    // Selected on the interface; `node` hands a keyworker only what `may_fetch` lets through.
    ("Node", "id"),
    ("Staff", "id"),
    ("Staff", "name"),
    ("Staff", "email"),
    ("Staff", "role"),
    ("Staff", "active"),
    ("Staff", "treatmentTeam"),
    ("TreatmentTeam", "id"),
    ("TreatmentTeam", "name"),
    ("TreatmentTeam", "site"),
    ("ReferralConnection", "edges"),
    ("ReferralConnection", "nodes"),
    ("ReferralConnection", "pageInfo"),
    ("ReferralConnection", "totalCount"),
    ("ReferralEdge", "node"),
    ("ReferralEdge", "cursor"),
    ("PageInfo", "hasNextPage"),
    ("PageInfo", "hasPreviousPage"),
    ("PageInfo", "startCursor"),
    ("PageInfo", "endCursor"),
    ("Referral", "id"),
    ("Referral", "treatmentTeam"),
    ("Referral", "keyworker"),
    ("Referral", "recordedBy"),
    ("Referral", "referredOn"),
    ("Referral", "personName"),
    ("Referral", "phone"),
    ("Referral", "email"),
    ("Referral", "howTold"),
    ("Referral", "contactPreference"),
    ("Referral", "contactNotes"),
    ("Referral", "state"),
    ("Referral", "contactedOn"),
    ("Referral", "firstMeetingOn"),
    ("Referral", "closedOn"),
    ("Referral", "notTakenUpReason"),
    ("Referral", "progress"),
    ("Referral", "createdAt"),
    ("Referral", "version"),
    ("SharedProgress", "status"),
    ("SharedProgress", "since"),
    ("SharedProgress", "registeredOn"),
    ("SharedProgress", "employerNames"),
    ("SharedProgress", "consentVersion"),
    ("ReferralCreatePayload", "referral"),
    ("ReferralCreatePayload", "userErrors"),
    ("UserError", "field"),
    ("UserError", "code"),
    ("UserError", "message"),
];

/// Whether a keyworker's request may resolve `field` of `parent`. The items of a list resolve
/// with the list's type as their parent (`[Referral!]`): the list's own field was checked.
pub fn keyworker_may_resolve(parent: &str, field: &str) -> bool {
    field.starts_with("__")
        || parent.starts_with("__")
        || parent.starts_with('[')
        || KEYWORKER_FIELDS.contains(&(parent, field))
}

/// Whether `node(id:)` may look up a record of `kind` for `viewer`: a keyworker only referrals
/// (which their reach then narrows) and their own staff record; everyone else anything.
pub fn may_fetch(viewer: &Viewer, kind: Kind, id: Uuid) -> bool {
    viewer.role != Role::Keyworker
        || kind == Kind::Referral
        || (kind == Kind::Staff && id == viewer.id())
}

fn forbidden(message: &str) -> ServerError {
    let mut error = ServerError::new(message, None);
    let mut extensions = async_graphql::ErrorExtensionValues::default();
    extensions.set("code", "FORBIDDEN");
    error.extensions = Some(extensions);
    error
}

fn is_keyworker(ctx: &ExtensionContext<'_>) -> bool {
    ctx.data_opt::<Viewer>()
        .is_some_and(|v| v.role == Role::Keyworker)
}

/// The extension that holds [`KEYWORKER_FIELDS`].
pub struct KeyworkerFence;

impl ExtensionFactory for KeyworkerFence {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(KeyworkerFence)
    }
}

#[async_trait::async_trait]
impl Extension for KeyworkerFence {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let doc = next.run(ctx, query, variables).await?;
        let subscribes = doc
            .operations
            .iter()
            .any(|(_, op)| op.node.ty == OperationType::Subscription);
        if subscribes && is_keyworker(ctx) {
            return Err(forbidden("keyworkers open no subscriptions"));
        }
        Ok(doc)
    }

    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        if is_keyworker(ctx) && !keyworker_may_resolve(info.parent_type, info.name) {
            return Err(forbidden("a keyworker may not read this field"));
        }
        next.run(ctx, info).await
    }
}
