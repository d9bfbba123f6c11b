/**
 * `npm run schema`: writes scenarios/meshsim.schema.json from the zod schema, and the key reference of
 * scenarios/README.md (between its markers) from that JSON Schema. Both are checked by
 * test/scenarios/json-schema.test.ts, which fails when either is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { SCHEMA_FILE, scenarioJsonSchema } from '../../src/scenario/json-schema.js';
import { withKeyReference } from './key-reference.js';
import { REPO_ROOT, SCHEMA_PATH, schemaFileText } from './schema-file.js';

writeFileSync(SCHEMA_PATH, await schemaFileText());
const readme = `${REPO_ROOT}scenarios/README.md`;
writeFileSync(readme, withKeyReference(readFileSync(readme, 'utf8'), scenarioJsonSchema()));
process.stdout.write(`wrote ${SCHEMA_FILE} and the key reference of scenarios/README.md\n`);
