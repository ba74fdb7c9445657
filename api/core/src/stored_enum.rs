//! `stored_enum!`: a GraphQL enum that is stored as upper-case text, with the mapping written once.

/// Declares a GraphQL enum whose variants are stored as the given text.
#[macro_export]
macro_rules! stored_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
        pub enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored text.
            pub fn as_db(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// Reads stored text; a value no variant owns is an internal error.
            pub fn from_db(value: &str) -> Result<Self, $crate::error::ApiError> {
                match value {
                    $($text => Ok($name::$variant),)+
                    other => Err($crate::error::ApiError::internal(anyhow::anyhow!(
                        "unknown {} {:?} in the database", stringify!($name), other
                    ))),
                }
            }
        }
    };
}
