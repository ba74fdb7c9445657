//! `mutation_payload!`: the one shape of every mutation's payload.

/// Declares a mutation payload: the changed record (null on failure) and the user errors.
#[macro_export]
macro_rules! mutation_payload {
    ($name:ident, $field:ident: $ty:ty, $doc:literal) => {
        #[doc = $doc]
        #[derive(async_graphql::SimpleObject)]
        pub struct $name {
            /// The record as it now is; null when there were user errors.
            pub $field: Option<$ty>,
            /// Why nothing changed; empty on success.
            pub user_errors: Vec<$crate::error::UserError>,
        }

        impl $name {
            /// The payload of a service result: user errors go in the payload, other failures
            /// become top-level errors.
            pub fn from_result<M>(
                result: Result<M, $crate::error::ServiceError>,
                wrap: impl FnOnce(M) -> $ty,
            ) -> async_graphql::Result<Self> {
                match result {
                    Ok(row) => Ok(Self {
                        $field: Some(wrap(row)),
                        user_errors: Vec::new(),
                    }),
                    Err($crate::error::ServiceError::User(user_errors)) => Ok(Self {
                        $field: None,
                        user_errors,
                    }),
                    Err($crate::error::ServiceError::Api(err)) => Err(err.into()),
                }
            }
        }
    };
}
