//! Global ids on the GraphQL side: [`ipsmatch_core::ids`], with `encode` giving the schema's `ID`.

pub use ipsmatch_core::ids::{GlobalId, Kind, decode, decode_as};

/// The global id of a record, as the schema's `ID`.
pub fn encode(kind: Kind, id: uuid::Uuid) -> async_graphql::ID {
    ipsmatch_core::ids::encode(kind, id).into()
}
