// The one map from the APIs' scalars to TypeScript types, used by codegen.ts
// for both SDLs. relay.config.json (JSON, no imports) repeats the custom ones
// in each project's customScalarTypes; codegen.ts fails when they differ.
//
// Every value below travels as a JSON string (or, for JSON, as itself):
export const scalars = {
  // Opaque global id (base64 of type and key). Never parse it; compare whole.
  ID: 'string',
  // A calendar date without a time, ISO 8601 `YYYY-MM-DD` (e.g. `2026-11-26`).
  // Not a JS Date: `new Date('2026-11-26')` is midnight UTC, a different day
  // west of Greenwich.
  Date: 'string',
  // A moment in time, RFC 3339 with an offset (e.g. `2026-11-26T09:30:00Z`);
  // the server answers in UTC. `new Date(value)` reads it correctly.
  DateTime: 'string',
  // Any JSON value (integrator API only: Vacancy.jobPostingJsonLd). Narrow it
  // before use.
  JSON: 'unknown',
} as const;

// The custom scalars (everything but the built-in ID), as Relay wants them.
export const customScalars = Object.fromEntries(
  Object.entries(scalars).filter(([name]) => name !== 'ID'),
);
