// Uses the generated types the way a screen would, so `tsc --strict` proves
// they are usable: exhaustive switches on enums, nullable fields narrowed,
// scalars as the documented strings.
import type {
  CaseloadQuery,
  CaseloadQueryVariables,
  ClientMatchesQuery,
  ConsentHistoryQuery,
  EngagementCreateMutation,
  VacancySearchQuery,
} from './__generated__/staff/operations';
import type { ClientOrder, MatchWarningKind, SearchFacetDimension } from './__generated__/staff/schema';
import type { IntegratorChangesQuery, IntegratorViewerQuery } from './__generated__/integrations/operations';
import type { ChangeKind, Scope } from './__generated__/integrations/schema';

function unreachable(value: never): never {
  throw new Error(`unhandled value ${String(value)}`);
}

export function facetLabel(dimension: SearchFacetDimension): string {
  switch (dimension) {
    case 'SECTOR':
      return 'Sector';
    case 'CONTRACT':
      return 'Contract';
    case 'SHIFT':
      return 'Shifts';
    case 'ENVIRONMENT':
      return 'Workplace';
    case 'SOURCE':
      return 'Source';
    case 'SOC':
      return 'Occupation group';
    default:
      return unreachable(dimension);
  }
}

export function warningIcon(kind: MatchWarningKind): string {
  switch (kind) {
    case 'DBS_CHECK':
      return 'shield';
    case 'DRIVING_REQUIRED':
      return 'car';
    case 'DRUG_TESTING':
      return 'flask';
    case 'LATE_SHIFTS':
      return 'moon';
    default:
      return unreachable(kind);
  }
}

export function changeVerb(kind: ChangeKind): string {
  switch (kind) {
    case 'CREATED':
      return 'added';
    case 'UPDATED':
      return 'changed';
    case 'EXPIRED':
      return 'expired';
    default:
      return unreachable(kind);
  }
}

export const byReferral: ClientOrder = { field: 'REFERRAL_DATE', direction: 'DESC' };
export const caseloadVariables: CaseloadQueryVariables = { count: 25, orderBy: byReferral };

// Date is `YYYY-MM-DD`, DateTime is RFC 3339: both strings.
export function caseloadRows(data: CaseloadQuery): string[] {
  return data.clients.edges.map(({ node }) => {
    const referred: string = node.referralDate;
    const touched: number = Date.parse(node.updatedAt);
    return `${node.name} (${node.reference}) referred ${referred}, ${node.specialist?.name ?? 'unassigned'}, ${touched}`;
  });
}

export function matchSummary(data: ClientMatchesQuery): string {
  const matches = data.client?.matches;
  if (!matches) return 'no such client';
  if (!matches.hasPreferences) return 'record job preferences first';
  const best = matches.edges[0]?.node;
  const warnings = best ? best.warnings.map((w) => warningIcon(w.kind)).join(',') : '';
  return `${matches.totalCount} matches, ${matches.nearMisses.length} near misses; best ${best?.vacancy.title ?? '-'} ${warnings}`;
}

export function facetCounts(data: VacancySearchQuery): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { dimension, value, count } of data.vacancySearch.facets) {
    counts.set(`${facetLabel(dimension)}: ${value}`, count);
  }
  return counts;
}

// Versions grouped by consent: each version is its own record (id), seriesId
// ties them together.
export function consentSeries(data: ConsentHistoryQuery): Map<string, number[]> {
  const series = new Map<string, number[]>();
  for (const version of data.client?.consentHistory ?? []) {
    const versions = series.get(version.seriesId) ?? [];
    versions.push(version.version);
    series.set(version.seriesId, versions);
  }
  return series;
}

export function engagementResult(data: EngagementCreateMutation): string {
  const { engagement, userErrors } = data.engagementCreate;
  if (userErrors.length > 0) {
    return userErrors.map((e) => `${e.code}: ${e.message} (${(e.field ?? []).join('.')})`).join('; ');
  }
  return engagement ? `logged ${engagement.id} with ${engagement.employer.name}` : 'nothing logged';
}

export function canRead(data: IntegratorViewerQuery, scope: Scope): boolean {
  return data.viewer.grantedScopes.includes(scope);
}

export function changeLines(page: IntegratorChangesQuery): string[] {
  return page.changes.changes.map((c) => {
    const jsonLd: unknown = c.vacancy?.jobPostingJsonLd;
    const hasJsonLd = typeof jsonLd === 'object' && jsonLd !== null;
    return `${c.sequence} ${c.entity} ${c.recordId} ${changeVerb(c.kind)} at ${c.changedAt}${hasJsonLd ? ' (JSON-LD)' : ''}`;
  });
}
