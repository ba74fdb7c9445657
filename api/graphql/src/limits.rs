//! Query costs and the parse-time Int check: the GraphQL side of the service's bounds (the bounds
//! themselves are [`ipsmatch_core::limits`]).

use std::sync::Arc;

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery};
use async_graphql::parser::types::{
    Directive, ExecutableDocument, OperationType, Selection, SelectionSet,
};
use async_graphql::registry::{MetaType, MetaTypeName, Registry};
use async_graphql::{Pos, Positioned, ServerError, ServerResult, Value, Variables};

pub use ipsmatch_core::limits::*;

/// Extra cost of a `vacancySearch` with text (typo automata over the title and skills).
pub const TEXT_SEARCH_COST: usize = 20;
/// Cost of `Client.matches`: an index search, then 120 candidates re-read and checked.
pub const MATCHES_COST: usize = 200;
/// Cost of `Vacancy.candidates`: every reachable client's preferences and profile read.
pub const CANDIDATES_COST: usize = 200;
/// Cost of `fidelity`: the measures over a team's assignments and engagements.
pub const FIDELITY_COST: usize = 200;
/// Cost of `fidelity { bySpecialist }`: the measures again for each specialist.
pub const BY_SPECIALIST_COST: usize = 400;
/// Cost of `outcomes`: the rule over every job start of the scope.
pub const OUTCOMES_COST: usize = 100;
/// Cost of `GET /reports/fidelity`: what the page computes (`fidelity`, `bySpecialist` and four
/// outcomes).
pub const FIDELITY_PAGE_COST: u64 = (FIDELITY_COST + BY_SPECIALIST_COST + 4 * OUTCOMES_COST) as u64;
/// Cost of `GET /reports/ips-grow.csv`: every client of the scope with their records.
pub const IPS_GROW_COST: u64 = (2 * OUTCOMES_COST) as u64;

fn page_size(first: Option<i32>) -> usize {
    first.unwrap_or(DEFAULT_PAGE_SIZE).clamp(1, MAX_PAGE_SIZE) as usize
}

/// Complexity of a field that costs `base` and lists up to `first` items of `child` each.
pub fn costly(base: usize, child: usize, first: Option<i32>) -> usize {
    base.saturating_add(page_size(first).saturating_mul(child))
}

/// Complexity of `vacancySearch`: a page of hits, plus [`TEXT_SEARCH_COST`] when there is text.
pub fn search_complexity(child: usize, first: Option<i32>, text: &Option<String>) -> usize {
    let base = match text {
        Some(text) if !text.trim().is_empty() => TEXT_SEARCH_COST,
        _ => 1,
    };
    costly(base, child, first)
}

/// Refuses, when the document is parsed, any Int literal outside 32 bits — also in a selection
/// that would never run (`@skip`, a fragment on another type), which execution would not see.
/// async-graphql's validation accepts any 64-bit number as an Int.
pub struct IntLiterals;

impl ExtensionFactory for IntLiterals {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(IntLiterals)
    }
}

#[async_trait::async_trait]
impl Extension for IntLiterals {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let doc = next.run(ctx, query, variables).await?;
        if let Some(pos) = out_of_range_int(&ctx.schema_env.registry, &doc) {
            let mut error = ServerError::new(
                format!("an Int must be between {} and {}", i32::MIN, i32::MAX),
                Some(pos),
            );
            let mut extensions = async_graphql::ErrorExtensionValues::default();
            extensions.set("code", "BAD_USER_INPUT");
            error.extensions = Some(extensions);
            return Err(error);
        }
        Ok(doc)
    }
}

/// Where the first Int literal outside 32 bits is, if any.
fn out_of_range_int(registry: &Registry, doc: &ExecutableDocument) -> Option<Pos> {
    let walk = Walk { registry };
    for (_, operation) in doc.operations.iter() {
        let op = &operation.node;
        let root = match op.ty {
            OperationType::Query => Some(registry.query_type.as_str()),
            OperationType::Mutation => registry.mutation_type.as_deref(),
            OperationType::Subscription => registry.subscription_type.as_deref(),
        };
        for variable in &op.variable_definitions {
            if let Some(default) = &variable.node.default_value {
                let ty = variable.node.var_type.node.to_string();
                if walk.value_is_bad(&default.node, &ty) {
                    return Some(default.pos);
                }
            }
        }
        if let Some(pos) = walk.directives(&op.directives) {
            return Some(pos);
        }
        if let Some(root) = root
            && let Some(pos) = walk.selection_set(&op.selection_set.node, root)
        {
            return Some(pos);
        }
    }
    // Fragments are checked once each, on their own type (a spread only points at one).
    for fragment in doc.fragments.values() {
        let fragment = &fragment.node;
        if let Some(pos) = walk.directives(&fragment.directives) {
            return Some(pos);
        }
        let on = fragment.type_condition.node.on.node.as_str();
        if let Some(pos) = walk.selection_set(&fragment.selection_set.node, on) {
            return Some(pos);
        }
    }
    None
}

/// The literal parts of an argument's value, variables read as null (their values are checked
/// when they are coerced). A macro: the parser's value type is not nameable from here.
macro_rules! literal {
    ($value:expr) => {
        $value
            .clone()
            .into_const_with(|_| Ok::<Value, ()>(Value::Null))
            .unwrap_or_default()
    };
}

struct Walk<'a> {
    registry: &'a Registry,
}

impl Walk<'_> {
    fn selection_set(&self, set: &SelectionSet, parent: &str) -> Option<Pos> {
        for selection in &set.items {
            if let Some(pos) = self.directives(selection.node.directives()) {
                return Some(pos);
            }
            match &selection.node {
                Selection::Field(field) => {
                    let field = &field.node;
                    let Some(meta) = self
                        .registry
                        .types
                        .get(parent)
                        .and_then(|t| t.field_by_name(field.name.node.as_str()))
                    else {
                        // Unknown here: validation names it.
                        continue;
                    };
                    for (name, value) in &field.arguments {
                        if let Some(argument) = meta.args.get(name.node.as_str())
                            && self.value_is_bad(&literal!(value.node), &argument.ty)
                        {
                            return Some(value.pos);
                        }
                    }
                    let child = MetaTypeName::concrete_typename(&meta.ty);
                    if let Some(pos) = self.selection_set(&field.selection_set.node, child) {
                        return Some(pos);
                    }
                }
                Selection::InlineFragment(fragment) => {
                    let fragment = &fragment.node;
                    let on = fragment
                        .type_condition
                        .as_ref()
                        .map_or(parent, |c| c.node.on.node.as_str());
                    if let Some(pos) = self.selection_set(&fragment.selection_set.node, on) {
                        return Some(pos);
                    }
                }
                Selection::FragmentSpread(_) => {}
            }
        }
        None
    }

    fn directives(&self, directives: &[Positioned<Directive>]) -> Option<Pos> {
        for directive in directives {
            let Some(meta) = self
                .registry
                .directives
                .get(directive.node.name.node.as_str())
            else {
                continue;
            };
            for (name, value) in &directive.node.arguments {
                if let Some(argument) = meta.args.get(name.node.as_str())
                    && self.value_is_bad(&literal!(value.node), &argument.ty)
                {
                    return Some(value.pos);
                }
            }
        }
        None
    }

    /// True when `value`, given for type `ty`, holds an Int literal outside 32 bits.
    fn value_is_bad(&self, value: &Value, ty: &str) -> bool {
        match MetaTypeName::create(ty) {
            MetaTypeName::NonNull(inner) => self.value_is_bad(value, inner),
            MetaTypeName::List(inner) => match value {
                Value::List(items) => items.iter().any(|item| self.value_is_bad(item, inner)),
                single => self.value_is_bad(single, inner),
            },
            MetaTypeName::Named(name) => match value {
                Value::Number(n) if name == "Int" => {
                    n.as_i64().is_some_and(|n| i32::try_from(n).is_err())
                }
                Value::Object(fields) => match self.registry.types.get(name) {
                    Some(MetaType::InputObject { input_fields, .. }) => {
                        fields.iter().any(|(key, value)| {
                            input_fields
                                .get(key.as_str())
                                .is_some_and(|field| self.value_is_bad(value, &field.ty))
                        })
                    }
                    _ => false,
                },
                _ => false,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn costs_saturate_instead_of_overflowing() {
        assert_eq!(costly(200, 3, Some(10)), 230);
        assert_eq!(costly(200, usize::MAX, Some(100)), usize::MAX);
        assert_eq!(search_complexity(2, Some(10), &None), 21);
        assert_eq!(search_complexity(2, Some(10), &Some("cook".into())), 40);
    }
}
