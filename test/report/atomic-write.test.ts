import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeStaleTemporaries, reportFilesBytes, writeReportFolder } from '../../src/report/index.js';

const root = mkdtempSync(join(tmpdir(), 'meshsim-atomic-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('report/atomic-write', () => {
  it('writeReportFolder(dir, files) replaces a previous report whole and leaves no temporary folder', async () => {
    const dir = join(root, 'r1');
    mkdirSync(dir);
    writeFileSync(join(dir, 'stale.csv'), 'old');
    await writeReportFolder(dir, [
      { name: 'summary.json', content: '{}\n' },
      { name: 'charts/a.svg', content: '<svg/>' },
    ]);
    expect(readdirSync(dir).sort()).toEqual(['charts', 'summary.json']);
    expect(readFileSync(join(dir, 'charts', 'a.svg'), 'utf8')).toBe('<svg/>');
    expect(readdirSync(root)).toEqual(['r1']);
  });

  it('writeReportFolder keeps the previous report when writing fails', async () => {
    const dir = join(root, 'r2');
    mkdirSync(dir);
    writeFileSync(join(dir, 'summary.json'), 'previous');
    // A file name that cannot be created (a path through an existing file) makes the write fail midway.
    await expect(
      writeReportFolder(dir, [
        { name: 'a.csv', content: 'x' },
        { name: 'a.csv/b.csv', content: 'y' },
      ]),
    ).rejects.toThrow();
    expect(readFileSync(join(dir, 'summary.json'), 'utf8')).toBe('previous');
    expect(readdirSync(root).filter((f) => f.startsWith('.meshsim-tmp'))).toEqual([]);
  });

  it('writeReportFolder refuses, before writing a byte, chunks whose stated size exceeds the free space', async () => {
    const dir = join(root, 'r-full');
    mkdirSync(dir);
    writeFileSync(join(dir, 'summary.json'), 'previous');
    let read = false;
    const huge = {
      *[Symbol.iterator]() {
        read = true;
        yield new Uint8Array(1);
      },
      // More than any disk holds: the check must refuse it whatever this machine has free.
      maxBytes: 2 ** 62,
    };
    const refusal = writeReportFolder(dir, [
      { name: 'summary.json', content: '{}\n' },
      { name: 'openmetrics.txt', content: huge },
    ]);
    await expect(refusal).rejects.toThrow(/ MiB free; this report needs up to [0-9.]+ MiB\. Free some space/);
    await expect(refusal).rejects.toMatchObject({ name: 'ReportWriteError', code: 'ENOSPC' });
    expect(read).toBe(false);
    expect(readFileSync(join(dir, 'summary.json'), 'utf8')).toBe('previous');
    expect(readdirSync(root).filter((f) => f.startsWith('.meshsim-tmp'))).toEqual([]);
  });

  it('reportFilesBytes counts text, bytes and the stated bound of chunks', () => {
    const chunks = { *[Symbol.iterator]() {}, maxBytes: 1000 };
    expect(
      reportFilesBytes([
        { name: 'a', content: 'é' },
        { name: 'b', content: new Uint8Array(7) },
        { name: 'c', content: chunks },
      ]),
    ).toBe(2 + 7 + 1000);
  });

  it('folder and file modes follow the umask (no 0700 temporary folder renamed into place)', async () => {
    const old = process.umask(0o027);
    try {
      const dir = join(root, 'modes');
      await writeReportFolder(dir, [{ name: 'charts/a.svg', content: '<svg/>' }]);
      expect(statSync(dir).mode & 0o777).toBe(0o750);
      expect(statSync(join(dir, 'charts')).mode & 0o777).toBe(0o750);
      expect(statSync(join(dir, 'charts', 'a.svg')).mode & 0o777).toBe(0o640);
    } finally {
      process.umask(old);
    }
  });

  it("removeStaleTemporaries removes a dead owner's folder, keeps a live one and anything without owner.json", async () => {
    const parent = join(root, 'stale');
    mkdirSync(parent);
    const make = (name: string, owner: object | undefined) => {
      mkdirSync(join(parent, name, 'report'), { recursive: true });
      if (owner !== undefined) writeFileSync(join(parent, name, 'owner.json'), JSON.stringify(owner));
    };
    // pid 2**22 + 1 is above Linux's pid_max ceiling: no process has it.
    make('.meshsim-tmp-a-dead', { pid: 2 ** 22 + 1, start: '1', host: hostname(), out: 'a' });
    const ownStart = readFileSync(`/proc/${process.pid}/stat`, 'utf8');
    const start = ownStart.slice(ownStart.lastIndexOf(')') + 2).split(' ')[19];
    make('.meshsim-tmp-b-live', { pid: process.pid, start, host: hostname(), out: 'b' });
    // Same pid, another start time: the pid was reused, the owner is gone.
    make('.meshsim-tmp-c-reused', { pid: process.pid, start: '0', host: hostname(), out: 'c' });
    make('.meshsim-tmp-d-nameonly', undefined);
    make('.meshsim-tmp-e-otherhost', {
      pid: 2 ** 22 + 1,
      start: '1',
      host: `${hostname()}-elsewhere`,
      out: 'e',
    });
    expect(await removeStaleTemporaries(parent)).toEqual([]);
    expect(readdirSync(parent).sort()).toEqual([
      '.meshsim-tmp-b-live',
      '.meshsim-tmp-d-nameonly',
      '.meshsim-tmp-e-otherhost',
    ]);
  });
});
