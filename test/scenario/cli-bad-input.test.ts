/**
 * Bad input through the real CLI (`node dist/cli/main.js`; run `npm run build` first): exit status 2, a
 * located message on stderr, no stack trace, and for `run` no report folder. Each process costs
 * about half a second of start-up, so they are spawned asynchronously and the suites run concurrently, and
 * one `validate` checks every fixture at once (the CLI gives a verdict per file).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BAD_DIR,
  BAD_FIXTURES,
  MINIMAL_VALID,
  REPO_ROOT,
  expectedLine,
  type BadFixture,
} from './bad-fixtures.js';

interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** `meshsim ...args`, from the repo root. */
function meshsim(...args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, ['dist/cli/main.js', ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      timeout: 20_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr, ms: performance.now() - start }));
  });
}

const scratch: string[] = [];
/** A fresh, empty directory; `run --out <it>/r` must leave it empty. */
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'meshsim-cli-bad-'));
  scratch.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** stderr has `file:line:col: error [code] path: message` for the row, with its suggestion, and no stack trace. */
function expectLocatedIssue(result: CliResult, f: BadFixture): void {
  const file = `${BAD_DIR}/${f.fixture}`;
  const hint =
    f.suggestion === undefined
      ? ''
      : f.suggestion === null
        ? '(?!.*Did you mean)'
        : `(?=.*Did you mean "${escape(f.suggestion)}"\\?$)`;
  expect(result.stderr).toContain(`${file}:${expectedLine(f)}:`);
  expect(result.stderr).toContain(f.path);
  expect(result.stderr.split('\n')).toContainEqual(
    expect.stringMatching(
      new RegExp(
        `^${escape(file)}:${expectedLine(f)}:\\d+: error \\[${f.code}\\] ${escape(f.path)}: ${hint}\\S`,
      ),
    ),
  );
  expectNoStackTrace(result);
}

function expectNoStackTrace(result: CliResult): void {
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(result.stderr).not.toContain('internal error');
}

const CLI_FIXTURES = [
  'syntax-bad-indent.yaml',
  'duplicate-key.yaml',
  'servics-typo.yaml',
  'serviceTme-typo.yaml',
  'missing-rate.yaml',
  'replicas-string.yaml',
  'bad-duration.yaml',
  'error-rate-over-100.yaml',
  'call-unknown-service.yaml',
  'call-cycle.yaml',
  'lognormal-p99-below-median.yaml',
  'alias-bomb.yaml',
  'too-deep.yaml',
].map((name) => {
  const row = BAD_FIXTURES.find((f) => f.fixture === name);
  if (row === undefined) throw new Error(`no row for ${name} in bad-fixtures.ts`);
  return row;
});

/** `run` is checked on ten of them (a spawn each); `validate` on all (one spawn). */
const RUN_FIXTURES = new Set(
  CLI_FIXTURES.map((f) => f.fixture).filter(
    (name) => !['servics-typo.yaml', 'replicas-string.yaml', 'missing-rate.yaml'].includes(name),
  ),
);

/** One `validate` of every CLI fixture and a valid file: each file gets its own verdict and located issues. */
let validateAll: Promise<CliResult> | undefined;
const validated = () =>
  (validateAll ??= meshsim(
    'validate',
    'scenarios/quickstart.yaml',
    ...CLI_FIXTURES.map((f) => `${BAD_DIR}/${f.fixture}`),
  ));

describe.concurrent('meshsim validate|run on malformed scenarios', { timeout: 30_000 }, () => {
  it('meshsim validate quickstart.yaml <bad fixtures...> exits 2, ok for the valid file only', async () => {
    const result = await validated();
    expect(result.status, result.stderr).toBe(2);
    expect(result.stdout).toBe('scenarios/quickstart.yaml: ok\n');
    expectNoStackTrace(result);
  });

  for (const f of CLI_FIXTURES) {
    const file = `${BAD_DIR}/${f.fixture}`;

    it(`meshsim validate ${file} prints ${file}:${expectedLine(f)}: [${f.code}] ${f.path} and a verdict`, async () => {
      const result = await validated();
      expectLocatedIssue(result, f);
      expect(result.stderr).toMatch(new RegExp(`^${escape(file)}: \\d+ problems?$`, 'm'));
    });

    if (!RUN_FIXTURES.has(f.fixture)) continue;
    it(`meshsim run ${file} --out <tmp>/r exits 2 with ${file}:${expectedLine(f)}: and writes no report`, async () => {
      const dir = tempDir();
      const result = await meshsim('run', file, '--out', join(dir, 'r'));
      expect(result.status, result.stderr).toBe(2);
      expectLocatedIssue(result, f);
      expect(result.stderr).toContain('nothing was run');
      expect(result.stdout).toBe('');
      expect(existsSync(join(dir, 'r'))).toBe(false);
      expect(readdirSync(dir)).toEqual([]);
    });
  }
});

describe.concurrent('meshsim with bad flags or files', { timeout: 30_000 }, () => {
  it('meshsim run scenarios/quickstart.yaml --seed -3 exits 2 naming --seed, and runs nothing', async () => {
    const dir = tempDir();
    const result = await meshsim('run', 'scenarios/quickstart.yaml', '--seed', '-3', '--out', join(dir, 'r'));
    expect(result.status, result.stderr).toBe(2);
    expect(result.stderr).toContain('--seed');
    expect(result.stderr).toContain('-3');
    expectNoStackTrace(result);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('meshsim run (no file) exits 2 with usage help', async () => {
    const result = await meshsim('run');
    expect(result.status, result.stderr).toBe(2);
    // Said the way the test ran it (node dist/cli/main.js), which works without npm link.
    expect(result.stderr).toContain('Run "node dist/cli/main.js --help" for usage.');
    expectNoStackTrace(result);
  });

  it('meshsim run scenarios/quickstart.yaml --sed 3 exits 2 naming the unknown flag', async () => {
    const dir = tempDir();
    const result = await meshsim('run', 'scenarios/quickstart.yaml', '--sed', '3', '--out', join(dir, 'r'));
    expect(result.status, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/unknown argument.*\bsed\b/i);
    expectNoStackTrace(result);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('meshsim run scenarios/no-such-file.yaml exits 2 naming the file', async () => {
    const dir = tempDir();
    const result = await meshsim('run', 'scenarios/no-such-file.yaml', '--out', join(dir, 'r'));
    expect(result.status, result.stderr).toBe(2);
    expect(result.stderr).toContain('scenarios/no-such-file.yaml');
    expect(result.stderr).toContain('no such file');
    expectNoStackTrace(result);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('meshsim validate scenarios/quickstart.yaml exits 0 and prints ok', async () => {
    const result = await meshsim('validate', 'scenarios/quickstart.yaml');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toBe('scenarios/quickstart.yaml: ok\n');
    expect(result.stderr).toBe('');
  });
});

describe('meshsim on hostile input', { timeout: 30_000 }, () => {
  it('meshsim validate alias-bomb.yaml too-deep.yaml returns within 2 seconds of a plain validate', async () => {
    const baseline = await meshsim('validate', MINIMAL_VALID);
    expect(baseline.status, baseline.stderr).toBe(0);
    const hostile = await meshsim('validate', `${BAD_DIR}/alias-bomb.yaml`, `${BAD_DIR}/too-deep.yaml`);
    expect(hostile.status, hostile.stderr).toBe(2);
    expect(hostile.stderr).toContain('[alias-limit]');
    expect(hostile.stderr).toContain('[too-deep]');
    expect(hostile.ms - baseline.ms).toBeLessThan(2000);
  });
});
