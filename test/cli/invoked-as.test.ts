/**
 * Printed commands say the command the user ran (issue 14, point 9): `meshsim` only when an installed
 * bin on PATH ran it; `npx meshsim` through npx or a project's node_modules/.bin; else `node <script>`.
 */
import { describe, expect, it } from 'vitest';
import { asInvoked, invokedAs } from '../../src/cli/invoked-as.js';

describe('cli/invoked-as', () => {
  it('invokedAs: a global bin is meshsim; npx or node_modules/.bin is npx meshsim; a script is node <path>', () => {
    expect(invokedAs(['node', '/usr/local/bin/meshsim'], '/home/a', {})).toBe('meshsim');
    expect(invokedAs(['node', '/p/node_modules/.bin/meshsim'], '/p', {})).toBe('npx meshsim');
    expect(
      invokedAs(['node', '/home/a/.npm/_npx/1/node_modules/.bin/meshsim'], '/p', { npm_command: 'exec' }),
    ).toBe('npx meshsim');
    expect(invokedAs(['node', '/r/dist/cli/main.js'], '/r', {})).toBe('node dist/cli/main.js');
    expect(invokedAs(['node', '/r/dist/cli/main.js'], '/elsewhere', {})).toBe('node /r/dist/cli/main.js');
  });

  it('asInvoked rewrites every command meshsim prints to paste, and nothing else', () => {
    const me = 'node dist/cli/main.js';
    const printed = [
      'rerun: meshsim run a.yaml --seed 3',
      'meshsim run: no scenario file given. Name one, e.g. meshsim run scenarios/quickstart.yaml, or write a starter with meshsim init.',
      'Run "meshsim --help" for usage.',
      'the baseline without fault 0 of run of model x with seed 1 failed: boom; rerun alone: meshsim run a.yaml --seed 1',
      'ran out of memory ... That run alone: meshsim run a.yaml --seed 1',
      'Once every shard is done: meshsim merge parts/q',
      'meshsim: --check-slo: a shard has no result to check; give --check-slo to meshsim merge',
      'Measure them on your own topology: meshsim compare <file> (meshsim init writes a starter).',
      'refused: this meshsim report folder also holds files meshsim did not write',
    ].join('\n');
    expect(asInvoked(printed, me)).toBe(
      [
        'rerun: node dist/cli/main.js run a.yaml --seed 3',
        'meshsim run: no scenario file given. Name one, e.g. node dist/cli/main.js run scenarios/quickstart.yaml, or write a starter with node dist/cli/main.js init.',
        'Run "node dist/cli/main.js --help" for usage.',
        'the baseline without fault 0 of run of model x with seed 1 failed: boom; rerun alone: node dist/cli/main.js run a.yaml --seed 1',
        'ran out of memory ... That run alone: node dist/cli/main.js run a.yaml --seed 1',
        'Once every shard is done: node dist/cli/main.js merge parts/q',
        'meshsim: --check-slo: a shard has no result to check; give --check-slo to node dist/cli/main.js merge',
        'Measure them on your own topology: node dist/cli/main.js compare <file> (node dist/cli/main.js init writes a starter).',
        'refused: this meshsim report folder also holds files meshsim did not write',
      ].join('\n'),
    );
    expect(asInvoked(printed, 'meshsim')).toBe(printed);
  });
});
