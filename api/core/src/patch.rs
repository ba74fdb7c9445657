//! `Patch<T>`: one field of an update — keep what is stored, clear it, or set a new value.

/// One field of an update command: absent keeps, null clears, a value sets.
///
/// In the GraphQL schema it is an optional input field (the same wire form as
/// `MaybeUndefined`): omitting the field keeps the stored value, `null` clears it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Patch<T> {
    /// Leave the stored value as it is.
    #[default]
    Keep,
    /// Remove the stored value.
    Clear,
    /// Store this value.
    Set(T),
}

#[cfg(feature = "graphql")]
mod graphql {
    use std::borrow::Cow;

    use async_graphql::{InputType, InputValueError, InputValueResult, MaybeUndefined, Value};

    use super::Patch;

    impl<T> From<MaybeUndefined<T>> for Patch<T> {
        fn from(value: MaybeUndefined<T>) -> Self {
            match value {
                MaybeUndefined::Undefined => Patch::Keep,
                MaybeUndefined::Null => Patch::Clear,
                MaybeUndefined::Value(value) => Patch::Set(value),
            }
        }
    }

    /// The wire form of `MaybeUndefined<T>`: an optional field whose absence and `null` differ.
    impl<T: InputType> InputType for Patch<T> {
        type RawValueType = T::RawValueType;

        fn type_name() -> Cow<'static, str> {
            <MaybeUndefined<T> as InputType>::type_name()
        }

        fn qualified_type_name() -> String {
            <MaybeUndefined<T> as InputType>::qualified_type_name()
        }

        fn create_type_info(registry: &mut async_graphql::registry::Registry) -> String {
            <MaybeUndefined<T> as InputType>::create_type_info(registry)
        }

        fn parse(value: Option<Value>) -> InputValueResult<Self> {
            <MaybeUndefined<T> as InputType>::parse(value)
                .map(Patch::from)
                .map_err(InputValueError::propagate)
        }

        fn to_value(&self) -> Value {
            match self {
                Patch::Set(value) => value.to_value(),
                _ => Value::Null,
            }
        }

        fn as_raw_value(&self) -> Option<&Self::RawValueType> {
            match self {
                Patch::Set(value) => value.as_raw_value(),
                _ => None,
            }
        }
    }
}
