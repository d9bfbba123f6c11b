/**
 * The Dockerfile, checked as far as a machine without a Docker engine can (issue 16, point 4): no daemon
 * runs here and no registry serves `node:20-slim`, so `docker build` itself is NOT exercised. What is:
 *
 * - the Dockerfile parses into its two stages, and every `COPY` source (but `--from=` another stage) is a
 *   tracked file or folder of a clean checkout (`git ls-files`) and is not excluded by `.dockerignore`,
 *   which would make `docker build` fail with "not found";
 * - each stage's commands are replayed in order in a temporary folder standing for its WORKDIR, from the
 *   tracked files only: the build stage's `npm ci --ignore-scripts` and `npm run build`; the runtime
 *   stage's `npm ci --omit=dev --ignore-scripts` (its `npm cache clean --force` is skipped: it only shrinks
 *   the image, and here it would empty the machine's npm cache), then its `COPY --from=build` and `COPY`;
 * - the pruned tree holds no dev dependency, and the ENTRYPOINT, run as the image runs it (NODE_ENV=
 *   production, from a WORKDIR of its own), answers `--version` and runs a small scenario through its
 *   worker threads (which must load from dist/ without tsx, a dev dependency).
 *
 * `npm ci` reads the npm cache first (`--prefer-offline`) and the registry only for what is missing, so
 * it works offline on a machine that has installed the project once, and on CI, which reaches the
 * registry. Unverified: the base image (its Node version, its `node` user), `docker build`'s own context
 * handling beyond `.dockerignore`'s top-level entries, file ownership, and running as a non-root user.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.js';

interface Instruction {
  readonly op: string;
  readonly args: string;
  readonly line: number;
}
interface Stage {
  readonly name: string | undefined;
  readonly base: string;
  readonly steps: Instruction[];
}

/** Dockerfile instructions by stage: comments dropped, `\` continuations joined. */
function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    let body = (lines[i] ?? '').trim();
    if (body === '' || body.startsWith('#')) continue;
    while (body.endsWith('\\')) body = `${body.slice(0, -1).trim()} ${(lines[++i] ?? '').trim()}`;
    const m = /^([A-Z]+)\s+(.*)$/.exec(body);
    if (m === null) throw new Error(`Dockerfile:${line}: cannot read "${body}"`);
    const [, op = '', args = ''] = m;
    if (op === 'FROM') {
      const f = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      if (f === null) throw new Error(`Dockerfile:${line}: FROM ${args}`);
      stages.push({ base: f[1] ?? '', name: f[2], steps: [] });
    } else {
      const stage = stages.at(-1);
      if (stage === undefined) throw new Error(`Dockerfile:${line}: ${op} before FROM`);
      stage.steps.push({ op, args, line });
    }
  }
  return stages;
}

/** A COPY's flags, sources and destination (shell form; meshsim's Dockerfile uses no JSON form). */
function copyParts(args: string): { from: string | undefined; sources: string[]; dest: string } {
  const words = args.split(/\s+/);
  const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length);
  const rest = words.filter((w) => !w.startsWith('--'));
  return { from, sources: rest.slice(0, -1), dest: rest.at(-1) ?? '' };
}

const git = (...args: string[]) => execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' });
const tracked = git('ls-files', '-z')
  .split('\0')
  .filter((f) => f !== '' && existsSync(join(REPO_ROOT, f)));
const isTracked = (p: string) => {
  const path = p.replace(/^\.\//, '').replace(/\/$/, '');
  return tracked.some((f) => f === path || f.startsWith(`${path}/`));
};

/** Copies the tracked files under `source` (a file or folder of the repository) to `to`. */
function copyTracked(source: string, to: string): void {
  const path = source.replace(/^\.\//, '').replace(/\/$/, '');
  for (const f of tracked.filter((t) => t === path || t.startsWith(`${path}/`))) {
    const target = f === path ? to : join(to, f.slice(path.length + 1));
    mkdirSync(dirname(target), { recursive: true });
    cpSync(join(REPO_ROOT, f), target);
  }
}

const dockerfile = parseDockerfile(readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8'));
const ignored = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l !== '' && !l.startsWith('#'));
const tmp = mkdtempSync(join(tmpdir(), 'meshsim-dockerfile-'));
// Removing two node_modules trees takes a while on a loaded machine.
afterAll(() => rmSync(tmp, { recursive: true, force: true }), 120_000);

/** The `npm` words of a RUN, as this test runs them: cache first, no audit, no cache clean. */
function npmCommands(run: string): string[][] {
  return run
    .split('&&')
    .map((c) => c.trim().split(/\s+/))
    .filter((w) => !(w[0] === 'npm' && w[1] === 'cache'))
    .map((w) =>
      w[0] === 'npm' && w[1] === 'ci' ? [...w, '--prefer-offline', '--no-audit', '--no-fund'] : w,
    );
}

/**
 * RUN steps the replay cannot do on this machine, each with why; any other RUN that is not `npm ...` makes
 * the test fail, so a step added to the Dockerfile is replayed or listed here, never skipped unseen.
 */
const NOT_REPLAYED: ReadonlyMap<string, string> = new Map([
  [
    'mkdir /work /results && chown node:node /work /results',
    "root-owned folders and the base image's `node` user: unverified without a Docker engine",
  ],
]);
/** Instructions that do not change the files the replay builds (checked or used apart: ENV, ENTRYPOINT). */
const NO_FILES = new Set(['ENV', 'USER', 'ENTRYPOINT', 'CMD']);

/** Why `step` cannot be replayed, or undefined when it can; throws on an instruction the replay does not know. */
function unreplayable(step: Instruction, workdir: string): string | undefined {
  if ((step.op === 'COPY' || step.op === 'RUN') && workdir !== '/app')
    throw new Error(`Dockerfile:${step.line}: ${step.op} in WORKDIR ${workdir}: the replay maps /app only`);
  if (step.op === 'RUN' && !step.args.startsWith('npm ')) {
    const why = NOT_REPLAYED.get(step.args);
    if (why === undefined)
      throw new Error(
        `Dockerfile:${step.line}: RUN ${step.args}: neither replayed nor listed in NOT_REPLAYED`,
      );
    return why;
  }
  if (!['COPY', 'RUN', 'WORKDIR', ...NO_FILES].includes(step.op))
    throw new Error(`Dockerfile:${step.line}: ${step.op}: an instruction the replay does not know`);
  return undefined;
}

/** Each stage's steps with the WORKDIR they run in, checked by `unreplayable`; the reasons of those skipped. */
function skippedSteps(stage: Stage): string[] {
  let workdir = '/';
  const skipped: string[] = [];
  for (const step of stage.steps) {
    if (step.op === 'WORKDIR') workdir = step.args;
    const why = unreplayable(step, workdir);
    if (why !== undefined) skipped.push(`line ${step.line}: ${why}`);
  }
  return skipped;
}

function replay(stage: Stage, root: string, stages: ReadonlyMap<string, string>): void {
  mkdirSync(root, { recursive: true });
  skippedSteps(stage); // throws on a step the replay would otherwise pass over unseen
  for (const step of stage.steps) {
    if (step.op === 'COPY') {
      const c = copyParts(step.args);
      for (const s of c.sources) {
        const to = c.sources.length > 1 || c.dest.endsWith('/') ? join(root, c.dest, s) : join(root, c.dest);
        if (c.from === undefined) copyTracked(s, to);
        else {
          const from = stages.get(c.from);
          if (from === undefined) throw new Error(`Dockerfile:${step.line}: no stage ${c.from}`);
          cpSync(join(from, s.replace(/^\/app\/?/, '')), to, { recursive: true });
        }
      }
    } else if (step.op === 'RUN' && step.args.startsWith('npm ')) {
      for (const words of npmCommands(step.args)) {
        const r = spawnSync(words[0] as string, words.slice(1), { cwd: root, encoding: 'utf8' });
        if (r.status !== 0)
          throw new Error(
            `Dockerfile:${step.line}: ${words.join(' ')} exited ${r.status}:\n${r.stdout}\n${r.stderr}`,
          );
      }
    }
  }
}

describe('Dockerfile (no Docker engine here: parsed and replayed, not built)', () => {
  it('has a build stage and a runtime stage on the Node major of package.json engines', () => {
    expect(dockerfile.map((s) => [s.name, s.base])).toEqual([
      ['build', 'node:20-slim'],
      [undefined, 'node:20-slim'],
    ]);
    const engines = (
      JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }
    ).engines.node;
    expect(engines).toMatch(/^>=20\./);
  });

  it('every instruction is replayed, or is a RUN listed as not replayable with why (only the folders for the node user)', () => {
    expect(dockerfile.flatMap(skippedSteps)).toEqual([
      expect.stringMatching(/^line \d+: root-owned folders and the base image's `node` user/),
    ]);
    // A RUN step nobody listed fails the check (here, one a future Dockerfile might add).
    expect(() => unreplayable({ op: 'RUN', args: 'apt-get install -y curl', line: 99 }, '/app')).toThrow(
      /neither replayed nor listed/,
    );
    expect(() => unreplayable({ op: 'COPY', args: 'x ./', line: 99 }, '/work')).toThrow(/maps \/app only/);
    expect(() => unreplayable({ op: 'ADD', args: 'x ./', line: 99 }, '/app')).toThrow(/does not know/);
  });

  it('every COPY source is tracked in git and not excluded by .dockerignore', () => {
    const sources = dockerfile.flatMap((s) =>
      s.steps
        .filter((x) => x.op === 'COPY')
        .flatMap((x) => {
          const c = copyParts(x.args);
          return c.from === undefined ? c.sources.map((src) => ({ src, line: x.line })) : [];
        }),
    );
    expect(sources.length).toBeGreaterThan(4);
    for (const { src, line } of sources) {
      expect(isTracked(src), `Dockerfile:${line}: COPY ${src} is not a tracked file or folder`).toBe(true);
      const top = src.replace(/^\.\//, '').split('/')[0];
      expect(ignored, `Dockerfile:${line}: COPY ${src} is excluded by .dockerignore`).not.toContain(top);
    }
  });

  it('replayed stage by stage from the tracked files: npm ci, build, prune; the ENTRYPOINT answers --version and runs a scenario on worker threads', () => {
    const [build, runtime] = dockerfile;
    if (build === undefined || runtime === undefined) throw new Error('two stages expected');
    const buildRoot = join(tmp, 'build', 'app');
    replay(build, buildRoot, new Map());
    expect(existsSync(join(buildRoot, 'dist', 'cli', 'main.js'))).toBe(true);
    const appRoot = join(tmp, 'image', 'app');
    replay(runtime, appRoot, new Map([['build', buildRoot]]));
    // Pruned: production dependencies only.
    for (const dev of ['typescript', 'vitest', 'tsx', 'eslint'])
      expect(existsSync(join(appRoot, 'node_modules', dev)), `${dev} in the image`).toBe(false);
    expect(existsSync(join(appRoot, 'node_modules', 'yaml'))).toBe(true);
    expect(existsSync(join(appRoot, 'src'))).toBe(false);

    const entry = runtime.steps.find((s) => s.op === 'ENTRYPOINT');
    const argv = JSON.parse(entry?.args ?? '[]') as string[];
    expect(argv).toEqual(['node', '/app/dist/cli/main.js']);
    const env = runtime.steps.filter((s) => s.op === 'ENV').map((s) => s.args.split('=') as [string, string]);
    const work = join(tmp, 'image', 'work');
    mkdirSync(work, { recursive: true });
    cpSync(join(REPO_ROOT, 'test/fixtures/experiment/outage.yaml'), join(work, 'outage.yaml'));
    const image = (args: string[]) =>
      spawnSync(process.execPath, [join(appRoot, 'dist/cli/main.js'), ...args], {
        cwd: work,
        encoding: 'utf8',
        env: { PATH: process.env['PATH'] ?? '', HOME: work, ...Object.fromEntries(env) },
      });
    const version = image(['--version']);
    expect(version.status, version.stderr).toBe(0);
    expect(version.stdout.trim()).toBe(
      (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version,
    );
    // The image's CMD: no arguments shows the help.
    const cmd = JSON.parse(runtime.steps.find((s) => s.op === 'CMD')?.args ?? '[]') as string[];
    const help = image(cmd);
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toContain('meshsim compare');
    const run = image(['run', 'outage.yaml', '--json', '--workers', '2']);
    expect(run.status, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as { contractVersion: number; faults: unknown[] };
    expect(summary.contractVersion).toBe(2);
    expect(summary.faults.length).toBeGreaterThan(0);
  }, 300_000);
});
