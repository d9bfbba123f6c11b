import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeReportFolder } from '../../src/report/index.js';

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
});
