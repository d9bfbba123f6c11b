/**
 * scenarios/README.md lists exactly the Istio fields istio/fields.ts accepts-and-ignores and refuses, and
 * the Gateway and ServiceEntry fields istio/edge-kinds.ts accepts and ignores.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EDGE_IGNORED } from '../../src/scenario/istio/edge-kinds.js';
import { IGNORED, REJECTED } from '../../src/scenario/istio/fields.js';
import { REPO_ROOT } from '../helpers/cli.js';

const readme = readFileSync(`${REPO_ROOT}scenarios/README.md`, 'utf8');

function rows(table: Record<string, Record<string, string>>): string[] {
  return Object.entries(table).flatMap(([object, fields]) =>
    Object.entries(fields).map(([field, why]) => `| ${object} | \`${field}\` | ${why} |`),
  );
}

function tableAfter(heading: string): string[] {
  const start = readme.indexOf(heading);
  expect(start).toBeGreaterThan(0);
  const lines = readme.slice(start).split('\n');
  const first = lines.findIndex((l) => l.startsWith('| Message'));
  const out: string[] = [];
  for (let i = first + 2; i < lines.length && lines[i]?.startsWith('|') === true; i++)
    out.push(lines[i] as string);
  return out;
}

describe('scenarios/README.md Istio field groups', () => {
  it('the accepted-and-ignored table is the code table', () => {
    expect(tableAfter('**Accepted and ignored**')).toEqual(
      rows(IGNORED as Record<string, Record<string, string>>),
    );
  });
  it('the Gateway and ServiceEntry table is the code table', () => {
    expect(tableAfter('**Gateway and ServiceEntry**')).toEqual(
      rows(EDGE_IGNORED as unknown as Record<string, Record<string, string>>),
    );
  });
  it('the refused table is the code table', () => {
    expect(tableAfter('**Refused**')).toEqual(rows(REJECTED as Record<string, Record<string, string>>));
  });
});
