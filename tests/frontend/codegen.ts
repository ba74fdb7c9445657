// GraphQL Code Generator: schema and operation types for both APIs, from the
// committed SDLs and the documents in src/operations/ (no Relay directives).
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import type { CodegenConfig } from '@graphql-codegen/cli';
import { customScalars, scalars } from './scalars';

// relay.config.json cannot import scalars.ts: keep its copies honest.
const relay = JSON.parse(readFileSync(new URL('./relay.config.json', import.meta.url), 'utf8'));
for (const [name, project] of Object.entries<{ customScalarTypes?: unknown }>(relay.projects)) {
  if (!isDeepStrictEqual(project.customScalarTypes, customScalars)) {
    throw new Error(
      `relay.config.json: projects.${name}.customScalarTypes is ${JSON.stringify(project.customScalarTypes)}, ` +
        `scalars.ts says ${JSON.stringify(customScalars)}`,
    );
  }
}

const config = {
  scalars,
  // Fail on a scalar the map does not name (a new one needs a decision).
  strictScalars: true,
  // Enums as string-literal unions, so a `switch` can be proven exhaustive.
  enumsAsTypes: true,
  // Readonly results, as a cache hands them out.
  immutableTypes: true,
  useTypeImports: true,
  avoidOptionals: { field: true, inputValue: false, object: true, defaultValue: false },
};

// Per API: the typescript plugin writes the schema's types to schema.ts; the
// typescript-operations plugin (v6 emits enums and inputs itself unless told
// where they live) writes the operations' types to operations.ts, importing
// the schema's types from schema.ts.
const api = (name: string, sdl: string) => ({
  [`src/__generated__/${name}/schema.ts`]: {
    schema: sdl,
    plugins: ['typescript'],
    config,
  },
  [`src/__generated__/${name}/operations.ts`]: {
    schema: sdl,
    documents: `src/operations/${name}/*.graphql`,
    plugins: ['typescript-operations'],
    config: { ...config, importSchemaTypesFrom: `./src/__generated__/${name}/schema.ts` },
  },
});

const codegen: CodegenConfig = {
  overwrite: true,
  generates: {
    ...api('staff', '../../api/schema.graphql'),
    ...api('integrations', '../../api/integrations.graphql'),
  },
};

export default codegen;
