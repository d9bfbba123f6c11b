/**
 * Check before simulating (issue 11, point 2): a read-only parent (a read-only bind mount: root ignores
 * modes, not EROFS), a full disk (a small tmpfs) and a missing parent end with exit 2 and the path named,
 * before any simulation: the test hook MESHSIM_TEST_STOP_AT=simulate would SIGKILL the process at the
 * start of simulation, so an exit 2 proves the check came first. Errors at write time (ENOSPC, EROFS) are
 * exit-2 messages with the path and the cause in plain words (writeReportFolder on the same mounts).
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ReportWriteError, writeReportFolder } from '../../src/report/index.js';
import { scratch } from '../cli/spawn-meshsim.js';
import { meshsimEnv, traceless } from './cli-spawn.js';
import { canMount, readOnlyFolder, smallTmpfs } from './mounts.js';

const SCENARIO = 'test/scenario/minimal.yaml';
const tmp = scratch('location');
afterAll(tmp.cleanup);
const STOP = { MESHSIM_TEST_STOP_AT: 'simulate' };

describe.concurrent('the output location is checked before simulating', { timeout: 120_000 }, () => {
  it('CI can mount (it runs as root): the mount tests below are not skipped there', () => {
    if (process.env['CI'] !== undefined) expect(canMount).toBe(true);
    // Outside CI, say so plainly when the mounts cannot be made.
    if (!canMount)
      console.warn('output-location: not root or no mount(8): read-only and full-disk tests skipped');
  });

  it('a missing parent: exit 2 naming it, for run and compare', async () => {
    for (const cmd of [['run'], ['compare', '--replications', '2']]) {
      const out = join(tmp.dir, 'no', 'such', 'parent', 'r');
      const r = await meshsimEnv([...cmd, SCENARIO, '--out', out], { env: STOP });
      expect(r.signal, r.stderr).toBeNull();
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`the parent folder ${join(tmp.dir, 'no', 'such', 'parent')} does not exist`);
      expect(traceless(r.stderr)).toBe(true);
    }
  });

  it('a parent that is a file: exit 2 naming it', async () => {
    writeFileSync(join(tmp.dir, 'afile'), 'x');
    const r = await meshsimEnv(['run', SCENARIO, '--out', join(tmp.dir, 'afile', 'r')], { env: STOP });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain(`${join(tmp.dir, 'afile')} is not a folder`);
  });

  it('a valid location passes the checks and reaches the simulation (the hook stops it there)', async () => {
    const r = await meshsimEnv(['run', SCENARIO, '--out', join(tmp.dir, 'fine')], { env: STOP });
    expect(r.signal).toBe('SIGKILL');
    expect(readdirSync(tmp.dir).filter((n) => n.startsWith('.meshsim-tmp'))).toEqual([]);
  });

  it.runIf(canMount)('a read-only parent (bind mount, ro): exit 2, "read-only", the path named', async () => {
    const ro = readOnlyFolder();
    try {
      for (const cmd of [['run'], ['compare', '--replications', '2']]) {
        const r = await meshsimEnv([...cmd, SCENARIO, '--out', join(ro.dir, 'r')], { env: STOP });
        expect(r.signal, r.stderr).toBeNull();
        expect(r.status).toBe(2);
        expect(r.stderr).toContain(`cannot write in ${ro.dir}: the file system is read-only`);
        expect(traceless(r.stderr)).toBe(true);
      }
      // An existing meshsim-free empty folder on it: the same.
      const r = await meshsimEnv(['run', SCENARIO, '--out', join(ro.dir, 'existing')], { env: STOP });
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toContain('read-only');
    } finally {
      ro.cleanup();
    }
  });

  it.runIf(canMount)('a full disk (tmpfs of 256 KiB): exit 2 with the free space and the need', async () => {
    const fs = smallTmpfs('256k');
    try {
      const r = await meshsimEnv(['compare', SCENARIO, '--replications', '2', '--out', join(fs.dir, 'r')], {
        env: STOP,
      });
      expect(r.signal, r.stderr).toBeNull();
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(
        new RegExp(`${fs.dir} has 0\\.\\d MiB free; a report of this size needs about \\d+\\.\\d MiB`),
      );
      expect(readdirSync(fs.dir)).toEqual([]);
    } finally {
      fs.cleanup();
    }
  });

  it.runIf(canMount)(
    '--openmetrics is counted before simulating: room for the report, not for openmetrics.txt (~11 MB on the quickstart): exit 2',
    async () => {
      const fs = smallTmpfs('4m');
      try {
        const quickstart = 'scenarios/quickstart.yaml';
        const plain = await meshsimEnv(['run', quickstart, '--out', join(fs.dir, 'r')], { env: STOP });
        expect(plain.signal, plain.stderr).toBe('SIGKILL');
        for (const cmd of [['run'], ['compare', '--replications', '2']]) {
          const r = await meshsimEnv([...cmd, quickstart, '--openmetrics', '--out', join(fs.dir, 'r')], {
            env: STOP,
          });
          expect(r.signal, r.stderr).toBeNull();
          expect(r.status).toBe(2);
          expect(r.stderr).toMatch(
            new RegExp(`${fs.dir} has \\d\\.\\d MiB free; a report of this size needs about \\d+\\.\\d MiB`),
          );
          expect(traceless(r.stderr)).toBe(true);
        }
        expect(readdirSync(fs.dir)).toEqual([]);
      } finally {
        fs.cleanup();
      }
    },
  );
});

describe.runIf(canMount)('file-system errors at write time are plain, with the path', () => {
  it('ENOSPC known before writing: the free-space check refuses, naming both sizes; nothing is written', async () => {
    const fs = smallTmpfs('128k');
    try {
      const out = join(fs.dir, 'r');
      const big = 'x'.repeat(64 * 1024);
      const e = await writeReportFolder(out, [
        { name: 'a.txt', content: big },
        { name: 'b.txt', content: big },
        { name: 'c.txt', content: big },
      ]).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ReportWriteError);
      expect((e as ReportWriteError).code).toBe('ENOSPC');
      expect((e as Error).message).toMatch(
        new RegExp(
          `cannot write the report ${out}: ${fs.dir} has [0-9.]+ MiB free; this report needs up to 0\\.2 MiB`,
        ),
      );
      expect(readdirSync(fs.dir)).toEqual([]);
    } finally {
      fs.cleanup();
    }
  });

  it('ENOSPC while writing (the bytes fit, the pages do not): ReportWriteError names the report and the cause; the disk is left clean', async () => {
    // tmpfs gives every file at least one 4 KiB page: 64 files of 100 bytes pass the free-space check
    // (6.4 KB) and still need 256 KiB, so the write itself fails, after the check.
    const fs = smallTmpfs('128k');
    try {
      const out = join(fs.dir, 'r');
      const files = Array.from({ length: 64 }, (_, i) => ({
        name: `f${String(i).padStart(2, '0')}.txt`,
        content: 'x'.repeat(100),
      }));
      const e = await writeReportFolder(out, files).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ReportWriteError);
      expect((e as ReportWriteError).code).toBe('ENOSPC');
      expect((e as Error).message).toMatch(
        new RegExp(
          `cannot write the report ${out}: no space left on the device \\(at ${out}/f[0-9]+\\.txt\\)`,
        ),
      );
      expect(readdirSync(fs.dir)).toEqual([]);
    } finally {
      fs.cleanup();
    }
  });

  it('EROFS: ReportWriteError says read-only', async () => {
    const ro = readOnlyFolder();
    try {
      const e = await writeReportFolder(join(ro.dir, 'r'), [{ name: 'a.txt', content: 'a' }]).catch(
        (x: unknown) => x,
      );
      expect(e).toBeInstanceOf(ReportWriteError);
      expect((e as ReportWriteError).code).toBe('EROFS');
      expect((e as Error).message).toContain('the file system is read-only');
    } finally {
      ro.cleanup();
    }
  });
});
