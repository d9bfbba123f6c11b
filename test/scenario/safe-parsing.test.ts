/**
 * Hostile scenario files get a clean, located error within bounded time and memory: alias bombs, deep
 * nesting (flow and block), enormous numbers, huge strings and keys, too many keys, oversized files and
 * wrong types. Each input is checked in-process against a time limit, and all of them again in a child
 * process whose V8 heap is capped at 256 MB, so that a memory blow-up fails the test rather than the
 * machine. (The child loads the built loader: run `npm run build` first, as for the CLI tests.)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScenarioText, type IssueCode } from '../../src/scenario/index.js';
import { MAX_FILE_BYTES } from '../../src/scenario/load.js';
import { REPO_ROOT, fixtureText } from './bad-fixtures.js';

const MINIMAL = fixtureText('../../scenario/minimal.yaml');
const HEAP_LIMIT_MB = 256;

interface Hostile {
  name: string;
  text: string;
  code: IssueCode;
  /** The code when read from a file, where it differs (binary bytes are refused by the reader: issue 11). */
  fileCode?: IssueCode;
  /** Wall-clock limit for one load, in ms (on a two-core machine; generous against CI noise). */
  maxMs: number;
}

const replace = (from: string, to: string) => MINIMAL.replace(from, to);
const nested = (open: string, close: string, n: number) => open.repeat(n) + close.repeat(n);

const HOSTILE: readonly Hostile[] = [
  {
    name: 'billion laughs (9 levels of 10 aliases)',
    text: fixtureText('alias-bomb.yaml'),
    code: 'alias-limit',
    maxMs: 1000,
  },
  {
    name: 'an alias of a 1,000-item list used 200 times',
    text: `${MINIMAL}x: &a [${'y,'.repeat(1000)}]\n${Array.from({ length: 200 }, (_, i) => `z${i}: *a`).join('\n')}\n`,
    code: 'alias-limit',
    maxMs: 1000,
  },
  {
    name: '100,000 unclosed [',
    text: `name: x\nzones: ${'['.repeat(100_000)}`,
    code: 'too-deep',
    maxMs: 500,
  },
  {
    name: '50,000 nested lists',
    text: replace('zones: [us-east-a, us-east-b]', `zones: ${nested('[', ']', 50_000)}`),
    code: 'too-deep',
    maxMs: 500,
  },
  {
    name: '50,000 nested flow mappings',
    text: `a: ${'{a: '.repeat(50_000)}1${'}'.repeat(50_000)}`,
    code: 'too-deep',
    maxMs: 500,
  },
  {
    name: '1,400 nested block mappings (almost 1 MiB of indentation)',
    text: `a:\n${Array.from({ length: 1400 }, (_, i) => `${' '.repeat(i + 1)}b:`).join('\n')} 1\n`,
    code: 'too-deep',
    maxMs: 3000,
  },
  {
    name: 'replicas: 1e308',
    text: replace('replicas: 2', 'replicas: 1e308'),
    code: 'out-of-range',
    maxMs: 500,
  },
  {
    name: 'replicas: 1e400 (infinity)',
    text: replace('replicas: 2', 'replicas: 1e400'),
    code: 'out-of-range',
    maxMs: 500,
  },
  {
    name: 'replicas: .inf',
    text: replace('replicas: 2', 'replicas: .inf'),
    code: 'out-of-range',
    maxMs: 500,
  },
  {
    name: 'replicas: .nan',
    text: replace('replicas: 2', 'replicas: .nan'),
    code: 'out-of-range',
    maxMs: 500,
  },
  {
    name: 'a 400-digit seed',
    text: `${MINIMAL}seed: ${'9'.repeat(400)}\n`,
    code: 'out-of-range',
    maxMs: 500,
  },
  {
    name: 'a rate of 10^30/s',
    text: replace('rate: 100/s', `rate: 1${'0'.repeat(30)}/s`),
    code: 'out-of-range',
    maxMs: 500,
  },
  {
    name: 'a duration of 10^25 hours',
    text: replace('duration: 10s', `duration: 1${'0'.repeat(25)}h`),
    code: 'out-of-range',
    maxMs: 500,
  },
  {
    name: 'a 900,000-character description',
    text: `${MINIMAL}description: "${'x'.repeat(900_000)}"\n`,
    code: 'out-of-range',
    maxMs: 2000,
  },
  {
    // YAML caps implicit keys at 1024 characters: the parser refuses it.
    name: 'a 900,000-character quoted key',
    text: `${MINIMAL}"${'k'.repeat(900_000)}": 1\n`,
    code: 'syntax',
    maxMs: 2000,
  },
  {
    name: 'a 900,000-character duration',
    text: replace('duration: 10s', `duration: "${'1'.repeat(900_000)}s"`),
    code: 'out-of-range',
    maxMs: 2000,
  },
  {
    name: '50,000 unknown keys (100 listed, then a count)',
    text: `${MINIMAL}${Array.from({ length: 50_000 }, (_, i) => `k${i}: 1`).join('\n')}\n`,
    code: 'unknown-key',
    maxMs: 5000,
  },
  {
    name: 'a file over the size limit',
    text: `${MINIMAL}#${'x'.repeat(MAX_FILE_BYTES)}\n`,
    code: 'file-unreadable',
    maxMs: 200,
  },
  {
    name: 'services: 5',
    text: replace('services:\n', 'services: 5\nx-services:\n'),
    code: 'wrong-type',
    maxMs: 500,
  },
  {
    name: 'clusters: a text',
    text: replace('clusters:\n', 'clusters: "east"\nx-clusters:\n'),
    code: 'wrong-type',
    maxMs: 500,
  },
  { name: 'a top-level number', text: '42\n', code: 'wrong-type', maxMs: 200 },
  { name: 'an empty file', text: '', code: 'wrong-type', maxMs: 200 },
  {
    // Read as one long plain scalar: not the mapping a scenario is.
    name: '64 KB of binary noise',
    text: Array.from({ length: 65_536 }, (_, i) => String.fromCharCode((i * 7919) % 256)).join(''),
    code: 'wrong-type',
    fileCode: 'file-unreadable',
    maxMs: 2000,
  },
];

describe('scenario/safe parsing', () => {
  for (const h of HOSTILE) {
    it(`loadScenarioText(${h.name}) reports ${h.code} within ${h.maxMs} ms`, () => {
      const start = performance.now();
      const result = loadScenarioText(h.text, 'hostile.yaml');
      const ms = performance.now() - start;
      expect(result.ok).toBe(false);
      const issues = result.ok ? [] : result.issues;
      expect(issues.map((i) => i.code)).toContain(h.code);
      expect(issues.length).toBeLessThanOrEqual(101);
      for (const i of issues) expect(i.message.length, i.message.slice(0, 200)).toBeLessThan(1000);
      expect(ms).toBeLessThan(h.maxMs);
    });
  }

  const dir = mkdtempSync(join(tmpdir(), 'meshsim-hostile-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`every hostile input, loaded in a child process with a ${HEAP_LIMIT_MB} MB heap, fails cleanly without running out of memory`, () => {
    const files = HOSTILE.map((h, i) => {
      const file = join(dir, `hostile-${i}.yaml`);
      writeFileSync(file, h.text);
      return file;
    });
    const probe = `
      const { loadScenarioFile } = await import(${JSON.stringify(`${REPO_ROOT}dist/scenario/index.js`)});
      const out = [];
      for (const file of ${JSON.stringify(files)}) {
        const r = await loadScenarioFile(file);
        out.push({ ok: r.ok, codes: r.ok ? [] : [...new Set(r.issues.map((i) => i.code))] });
      }
      process.stdout.write(JSON.stringify({ out, heapMb: process.memoryUsage().heapUsed / 1e6 }));
    `;
    const child = spawnSync(
      process.execPath,
      [`--max-old-space-size=${HEAP_LIMIT_MB}`, '--input-type=module', '-e', probe],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(child.status, child.stderr).toBe(0);
    const { out } = JSON.parse(child.stdout) as { out: { ok: boolean; codes: string[] }[] };
    expect(
      out.map((r, i) => [
        HOSTILE[i]?.name,
        r.ok,
        r.codes.includes(HOSTILE[i]?.fileCode ?? HOSTILE[i]?.code ?? ''),
      ]),
    ).toEqual(HOSTILE.map((h) => [h.name, false, true]));
  }, 60_000);
});
