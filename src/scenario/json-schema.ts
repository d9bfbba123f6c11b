/**
 * The JSON Schema of scenario files, generated from the zod schema (`z.toJSONSchema`, draft 2020-12, the
 * input side: what users write, before defaults). Shipped as scenarios/meshsim.schema.json so that
 * `# yaml-language-server: $schema=./meshsim.schema.json` gives completion, hover text and errors in
 * editors; `npm run schema` rewrites it and a test fails when the shipped copy is stale.
 *
 * It checks forms only: cross-references (a call to an unknown service), refinements (a lognormal's p99
 * below its median) and the run-size limits are meshsim's own checks (`meshsim validate`).
 *
 * Contents: `scenarioJsonSchema`, `scenarioJsonSchemaText`, `SCHEMA_FILE`.
 */
import { z } from 'zod';
import { ScenarioInputSchema } from './schema.js';

/** Where the schema ships, relative to the repository root (and to the installed package). */
export const SCHEMA_FILE = 'scenarios/meshsim.schema.json';

export function scenarioJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(ScenarioInputSchema, { io: 'input', target: 'draft-2020-12' });
  return {
    ...generated,
    $comment: 'Generated from src/scenario/schema*.ts by `npm run schema`; do not edit.',
  };
}

/** The schema as the shipped file holds it: two-space JSON and a final newline. */
export function scenarioJsonSchemaText(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}
