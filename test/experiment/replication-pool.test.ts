import { describe, expect, it } from 'vitest';
import { replicationWorkerScript } from '../../src/experiment/index.js';

describe('experiment/replication-pool', () => {
  it('replicationWorkerScript(built .js module) is the compiled replication-worker.js next to it', () => {
    const s = replicationWorkerScript('file:///app/dist/experiment/replication-pool.js');
    expect(String(s.filename)).toBe('file:///app/dist/experiment/replication-worker.js');
    expect(s.options).toEqual({});
  });

  it('replicationWorkerScript(.ts source) evaluates a bootstrap that registers tsx, then imports the .ts entry', () => {
    const s = replicationWorkerScript(
      new URL('../../src/experiment/replication-pool.ts', import.meta.url).href,
    );
    expect(s.options).toEqual({ eval: true });
    expect(String(s.filename)).toMatch(/^import\("file:\/\/.*\/tsx\/dist\/esm\/api\/index\.mjs"\)/);
    expect(String(s.filename)).toContain('/src/experiment/replication-worker.ts');
  });
});
