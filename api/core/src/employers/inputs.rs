//! GraphQL inputs and filters of the employers context (what services take until they take commands).

use super::model::{ContactChannel, EmployerSize, RelationshipStage, Sector};
use crate::ids::GlobalId;
use crate::patch::Patch;

/// Narrows the employer list.
#[derive(Default)]
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct EmployerFilter {
    /// Words that must appear in the name (any case).
    pub text: Option<String>,
    /// Only these sectors.
    pub sectors: Option<Vec<Sector>>,
    /// Only these relationship stages.
    pub stages: Option<Vec<RelationshipStage>>,
    /// Only employers whose relationship this member of staff leads.
    pub owner_id: Option<GlobalId>,
    /// Include archived employers (default false).
    #[cfg_attr(feature = "graphql", graphql(default))]
    pub include_archived: bool,
}

/// A site of an employer.
#[derive(Clone)]
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct EmployerLocationInput {
    /// What the employer calls the site.
    pub label: String,
    /// Street address.
    pub address: Option<String>,
    /// Town or city.
    pub town: Option<String>,
    /// Postcode as written.
    pub postcode: Option<String>,
    /// Latitude in degrees (WGS84); give with longitude.
    pub latitude: Option<f64>,
    /// Longitude in degrees (WGS84); give with latitude.
    pub longitude: Option<f64>,
}

/// Fields of a new employer.
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct EmployerCreateInput {
    /// Trading name; unique (ignoring case and spacing).
    pub name: String,
    /// Industry.
    pub sector: Sector,
    /// Headcount band.
    pub size: EmployerSize,
    /// Where the relationship stands (default PROSPECT).
    #[cfg_attr(
        feature = "graphql",
        graphql(default_with = "RelationshipStage::Prospect")
    )]
    pub stage: RelationshipStage,
    /// What the service knows about the employer's openness to hiring people in recovery.
    pub openness_notes: Option<String>,
    /// Has said it welcomes applicants in recovery.
    #[cfg_attr(feature = "graphql", graphql(default))]
    pub recovery_friendly: bool,
    /// Signed up to Disability Confident.
    #[cfg_attr(feature = "graphql", graphql(default))]
    pub disability_confident: bool,
    /// Web site.
    pub website: Option<String>,
    /// The specialist or team lead who leads the relationship.
    pub owner_id: Option<GlobalId>,
    /// Sites, in display order.
    #[cfg_attr(feature = "graphql", graphql(default))]
    pub locations: Vec<EmployerLocationInput>,
}

/// Changes to an employer; absent fields stay as they are, null clears an optional field.
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct EmployerUpdateInput {
    /// Which employer.
    pub id: GlobalId,
    /// The `version` you read.
    pub version: i32,
    /// New trading name.
    pub name: Option<String>,
    /// New industry.
    pub sector: Option<Sector>,
    /// New headcount band.
    pub size: Option<EmployerSize>,
    /// New relationship stage.
    pub stage: Option<RelationshipStage>,
    /// New openness notes (null clears).
    pub openness_notes: Patch<String>,
    /// Welcomes applicants in recovery.
    pub recovery_friendly: Option<bool>,
    /// Signed up to Disability Confident.
    pub disability_confident: Option<bool>,
    /// New web site (null clears).
    pub website: Patch<String>,
    /// New relationship lead (null clears).
    pub owner_id: Patch<GlobalId>,
    /// Replaces every site when given.
    pub locations: Option<Vec<EmployerLocationInput>>,
}

/// Which employer to archive.
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct EmployerArchiveInput {
    /// Which employer.
    pub id: GlobalId,
}

/// Which archived employer to bring back.
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct EmployerRestoreInput {
    /// Which employer.
    pub id: GlobalId,
}

/// Fields of a new employer contact.
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct EmployerContactCreateInput {
    /// The employer they work for.
    pub employer_id: GlobalId,
    /// Full name.
    pub name: String,
    /// Their job at the employer.
    pub job_title: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// E-mail address; unique within the employer.
    pub email: Option<String>,
    /// How they prefer to be reached (default EMAIL).
    #[cfg_attr(feature = "graphql", graphql(default_with = "ContactChannel::Email"))]
    pub preferred_channel: ContactChannel,
    /// Notes about working with them.
    pub notes: Option<String>,
}

/// Changes to a contact; absent fields stay as they are, null clears an optional field.
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct EmployerContactUpdateInput {
    /// Which contact.
    pub id: GlobalId,
    /// The `version` you read.
    pub version: i32,
    /// New full name.
    pub name: Option<String>,
    /// New job title (null clears).
    pub job_title: Patch<String>,
    /// New phone number (null clears).
    pub phone: Patch<String>,
    /// New e-mail address (null clears).
    pub email: Patch<String>,
    /// New preferred channel.
    pub preferred_channel: Option<ContactChannel>,
    /// New notes (null clears).
    pub notes: Patch<String>,
}

/// Which contact to archive.
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct EmployerContactArchiveInput {
    /// Which contact.
    pub id: GlobalId,
}

/// What a list of employers is ordered by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
pub enum EmployerOrderField {
    /// Name, A to Z ascending.
    Name,
    /// When the employer was added.
    CreatedAt,
    /// When the record last changed.
    UpdatedAt,
}

/// How to order a list of employers (ties broken by id, so pages never overlap).
#[derive(Clone, Copy, Debug)]
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct EmployerOrder {
    /// What to order by.
    pub field: EmployerOrderField,
    /// Which way.
    pub direction: crate::pagination::OrderDirection,
}

impl Default for EmployerOrder {
    /// Name ascending, as the list ran before it could be ordered.
    fn default() -> Self {
        EmployerOrder {
            field: EmployerOrderField::Name,
            direction: crate::pagination::OrderDirection::Asc,
        }
    }
}
