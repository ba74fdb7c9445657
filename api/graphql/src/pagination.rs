//! Relay connections on the GraphQL side: the connection and edge types, their query complexity, and
//! whether a selection asks for `totalCount`. Keyset paging itself is [`ipsmatch_core::pagination`].

pub use ipsmatch_core::pagination::*;

/// Query complexity of a connection field: its children count once per requested item.
pub fn complexity(child: usize, first: Option<i32>, last: Option<i32>) -> usize {
    complexity_up_to(child, first.or(last), MAX_PAGE_SIZE)
}

/// Query complexity of a list field whose page may hold up to `max` items.
pub fn complexity_up_to(child: usize, first: Option<i32>, max: i32) -> usize {
    let size = first.unwrap_or(DEFAULT_PAGE_SIZE).clamp(1, max) as usize;
    size.saturating_mul(child).saturating_add(1)
}

/// Declares a Relay connection type and its edge type for one node type, optionally with fields
/// beside the edges (a search's facets, say), which the caller fills in.
#[macro_export]
macro_rules! connection_types {
    ($connection:ident, $edge:ident, $node:ty, $connection_doc:literal, $edge_doc:literal) => {
        $crate::connection_types!($connection, $edge, $node, $connection_doc, $edge_doc, {});

        impl From<$crate::pagination::Page<$node>> for $connection {
            fn from(page: $crate::pagination::Page<$node>) -> Self {
                let (edges, nodes) = $connection::split(page.items);
                Self {
                    edges,
                    nodes,
                    page_info: page.info,
                    total_count: page.total,
                }
            }
        }
    };
    ($connection:ident, $edge:ident, $node:ty, $connection_doc:literal, $edge_doc:literal,
     { $($(#[doc = $field_doc:literal])* pub $field:ident: $field_ty:ty,)* }) => {
        #[doc = $connection_doc]
        #[derive(async_graphql::SimpleObject)]
        pub struct $connection {
            /// The items on this page, each with its cursor.
            pub edges: Vec<$edge>,
            /// The items on this page, without cursors.
            pub nodes: Vec<$node>,
            /// Where this page sits in the whole list.
            pub page_info: $crate::pagination::PageInfo,
            /// How many items match across all pages.
            pub total_count: u64,
            $($(#[doc = $field_doc])* pub $field: $field_ty,)*
        }

        #[doc = $edge_doc]
        #[derive(async_graphql::SimpleObject)]
        pub struct $edge {
            /// Opaque position of this item; pass it as `after` or `before`.
            pub cursor: String,
            /// The item.
            pub node: $node,
        }

        impl $connection {
            /// A page's items as edges and as bare nodes.
            pub fn split(items: Vec<(String, $node)>) -> (Vec<$edge>, Vec<$node>) {
                let nodes = items.iter().map(|(_, n)| n.clone()).collect();
                let edges = items
                    .into_iter()
                    .map(|(cursor, node)| $edge { cursor, node })
                    .collect();
                (edges, nodes)
            }
        }
    };
}

/// True when the current field's selection asks for `totalCount`.
pub fn wants_total(ctx: &async_graphql::Context<'_>) -> bool {
    ctx.look_ahead().field("totalCount").exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn complexity_grows_with_page_size() {
        assert_eq!(complexity(3, Some(100), None), 301);
        assert_eq!(complexity(3, None, None), 61);
        assert_eq!(complexity(3, Some(1000), None), 301);
    }
}
