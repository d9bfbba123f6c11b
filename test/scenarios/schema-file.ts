/**
 * The text of scenarios/meshsim.schema.json as `npm run schema` writes it: the generated JSON Schema,
 * formatted by Prettier with the project's settings (so `npm run lint`, which checks every JSON file with
 * Prettier, accepts it). Shared by the writer and by the test that fails when the shipped file is stale.
 */
import { format, resolveConfig } from 'prettier';
import { fileURLToPath } from 'node:url';
import { SCHEMA_FILE, scenarioJsonSchemaText } from '../../src/scenario/json-schema.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SCHEMA_PATH = `${REPO_ROOT}${SCHEMA_FILE}`;

export async function schemaFileText(): Promise<string> {
  const options = (await resolveConfig(SCHEMA_PATH)) ?? {};
  return format(scenarioJsonSchemaText(), { ...options, filepath: SCHEMA_PATH });
}
