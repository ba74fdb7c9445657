//! Opaque global ids for the Relay `Node` interface: base64url of `Type:uuid`. Clients must not
//! parse them; the server reads the type back to route `node(id:)`.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use uuid::Uuid;

/// The kinds of record that have global ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A team of specialists.
    Team,
    /// A member of staff.
    Staff,
    /// An employer.
    Employer,
    /// A person at an employer.
    EmployerContact,
    /// One recorded contact with an employer.
    Engagement,
    /// A job vacancy.
    Vacancy,
    /// A person on a caseload.
    Client,
    /// A client's application to a vacancy.
    Application,
    /// A job a client started.
    JobStart,
    /// One version of a client's consent to tell an employer.
    Consent,
    /// A client's consent to tell an employer, all its versions (the series).
    ConsentSeries,
    /// A registered integrator.
    Integrator,
    /// A team in the treatment service.
    TreatmentTeam,
    /// A referral from the treatment service.
    Referral,
    /// One version of a client's consent to share their progress with a keyworker.
    KeyworkerConsent,
    /// An entry in a specialist's diary.
    DiaryEntry,
    /// A better-off check.
    BetterOffCheck,
}

impl Kind {
    fn tag(self) -> &'static str {
        match self {
            Kind::Team => "Team",
            Kind::Staff => "Staff",
            Kind::Employer => "Employer",
            Kind::EmployerContact => "EmployerContact",
            Kind::Engagement => "Engagement",
            Kind::Vacancy => "Vacancy",
            Kind::Client => "Client",
            Kind::Application => "Application",
            Kind::JobStart => "JobStart",
            Kind::Consent => "Consent",
            Kind::ConsentSeries => "ConsentSeries",
            Kind::Integrator => "Integrator",
            Kind::TreatmentTeam => "TreatmentTeam",
            Kind::Referral => "Referral",
            Kind::KeyworkerConsent => "KeyworkerConsent",
            Kind::DiaryEntry => "DiaryEntry",
            Kind::BetterOffCheck => "BetterOffCheck",
        }
    }

    fn from_tag(tag: &str) -> Option<Self> {
        [
            Kind::Team,
            Kind::Staff,
            Kind::Employer,
            Kind::EmployerContact,
            Kind::Engagement,
            Kind::Vacancy,
            Kind::Client,
            Kind::Application,
            Kind::JobStart,
            Kind::Consent,
            Kind::ConsentSeries,
            Kind::Integrator,
            Kind::TreatmentTeam,
            Kind::Referral,
            Kind::KeyworkerConsent,
            Kind::DiaryEntry,
            Kind::BetterOffCheck,
        ]
        .into_iter()
        .find(|k| k.tag() == tag)
    }
}

/// A global id as the API shows it: opaque text naming a record's kind and key.
///
/// In the schema it is the `ID` scalar.
#[derive(
    Clone,
    Debug,
    Default,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(transparent)]
pub struct GlobalId(pub String);

impl std::ops::Deref for GlobalId {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl From<GlobalId> for String {
    fn from(id: GlobalId) -> Self {
        id.0
    }
}

impl From<String> for GlobalId {
    fn from(text: String) -> Self {
        GlobalId(text)
    }
}

impl std::fmt::Display for GlobalId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The global id of a record.
pub fn encode(kind: Kind, id: Uuid) -> GlobalId {
    GlobalId(URL_SAFE_NO_PAD.encode(format!("{}:{}", kind.tag(), id)))
}

/// Reads a global id of any kind; `None` when it is not one of ours.
pub fn decode(id: &str) -> Option<(Kind, Uuid)> {
    let bytes = URL_SAFE_NO_PAD.decode(id.trim()).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (tag, uuid) = text.split_once(':')?;
    Some((Kind::from_tag(tag)?, Uuid::parse_str(uuid).ok()?))
}

/// Reads a global id that must be of `kind`; `None` otherwise.
pub fn decode_as(id: &str, kind: Kind) -> Option<Uuid> {
    decode(id).filter(|(k, _)| *k == kind).map(|(_, uuid)| uuid)
}

#[cfg(feature = "graphql")]
mod graphql {
    use std::borrow::Cow;

    use async_graphql::parser::types::Field;
    use async_graphql::{
        ContextSelectionSet, ID, InputType, InputValueError, InputValueResult, OutputType,
        Positioned, ServerResult, Value,
    };

    use super::GlobalId;

    impl From<ID> for GlobalId {
        fn from(id: ID) -> Self {
            GlobalId(id.0)
        }
    }

    /// The `ID` scalar: registered as async-graphql's own, so the schema has one `ID`.
    impl InputType for GlobalId {
        type RawValueType = String;

        fn type_name() -> Cow<'static, str> {
            <ID as InputType>::type_name()
        }

        fn create_type_info(registry: &mut async_graphql::registry::Registry) -> String {
            <ID as InputType>::create_type_info(registry)
        }

        fn parse(value: Option<Value>) -> InputValueResult<Self> {
            <ID as InputType>::parse(value)
                .map(GlobalId::from)
                .map_err(InputValueError::propagate)
        }

        fn to_value(&self) -> Value {
            Value::String(self.0.clone())
        }

        fn as_raw_value(&self) -> Option<&Self::RawValueType> {
            Some(&self.0)
        }
    }

    impl OutputType for GlobalId {
        fn type_name() -> Cow<'static, str> {
            <ID as OutputType>::type_name()
        }

        fn create_type_info(registry: &mut async_graphql::registry::Registry) -> String {
            <ID as OutputType>::create_type_info(registry)
        }

        async fn resolve(
            &self,
            _ctx: &ContextSelectionSet<'_>,
            _field: &Positioned<Field>,
        ) -> ServerResult<Value> {
            Ok(Value::String(self.0.clone()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_keep_their_kind() {
        let uuid = Uuid::now_v7();
        let id = encode(Kind::Employer, uuid);
        assert!(!id.0.contains(&uuid.to_string()), "ids are opaque");
        assert_eq!(decode(&id), Some((Kind::Employer, uuid)));
        assert_eq!(decode_as(&id, Kind::Employer), Some(uuid));
        assert_eq!(decode_as(&id, Kind::Staff), None);
        assert_eq!(decode("not-an-id"), None);
        assert_eq!(decode(&URL_SAFE_NO_PAD.encode("Employer:nope")), None);
    }
}
