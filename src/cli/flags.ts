/**
 * The flags of the commands that simulate a scenario file (`run`, `compare`, `sweep`, `capacity`), each
 * defined once: one name, one description, one check. Where the commands differ (what a seed seeds, what
 * a replication is of, the default folder), the difference is a word in `WORDS`, not a second definition.
 * A command's builder is `simulationFlags(y, command, ownFlags)`: the options come out in the order the
 * help lists them, shard flags, the command's own, replications, exports, then the report folder.
 *
 * Contents: `SimulatingCommand`, `simulationFlags` and the arguments it gives (`SimulationArgs`,
 * `ReplicatedArgs`, `ReportFolderArgs`, `ShardFlagArgs`), `shardFlags`, `figureOption`,
 * `ISTIO_CONFIG_OPTION` (the export flags of run and compare: export-flags.ts).
 */
import { availableParallelism } from 'node:os';
import type { Argv } from 'yargs';
import { MESHSIM_VERSION } from '../experiment/version.js';
import { UsageError } from './exit-code.js';
import { exportFlags } from './export-flags.js';
import { modelList, wholeNumber } from './flag-values.js';

export type SimulatingCommand = 'run' | 'compare' | 'sweep' | 'capacity';

/** What `simulationFlags` gives every command's handler. */
export interface SimulationArgs {
  file: string | undefined;
  seed: number | undefined;
  workers: number | undefined;
  out: string | undefined;
  json: boolean;
  allowLarge: boolean;
  checkSlo: boolean;
}

/** What `shardFlags` gives (compare, sweep, capacity). */
export interface ShardFlagArgs {
  shard: string | undefined;
  parts: string | undefined;
  emitJob: boolean;
  shards: number | undefined;
  image: string | undefined;
}

/** The flags of the commands that run models x replications as a job list (compare, sweep, capacity). */
export interface ReplicatedArgs extends SimulationArgs, ShardFlagArgs {
  models: string[] | undefined;
  replications: number | undefined;
}

/** The flags of the commands that write a run or comparison report of one scenario (run, compare). */
export interface ReportFolderArgs {
  force: boolean;
  istioConfig: string[] | undefined;
  openmetrics: boolean;
  metricsBaseTime: number | undefined;
}

/** What each command's help says where the commands really differ; everything else is shared text. */
interface Words {
  /** The scenario file positional. */
  readonly file: string;
  /** What follows `meshsim <command>` in the no-file message's example. */
  readonly fileExample: string;
  /** `Models to <models>, by name, ...` (run takes one --model of its own). */
  readonly models?: string;
  /** `Replications <replications>, at least 2 ...`. */
  readonly replications?: string;
  /** `Seed of <seed> ...`. */
  readonly seed: string;
  /** `Worker threads<workers>; ...`. */
  readonly workers: string;
  /** `Print the <json> as JSON on stdout ...`. */
  readonly json: string;
  /** `Run <large> over its size limits ...`. */
  readonly large: string;
  /** The default report folder under reports/<scenario name>/. */
  readonly folder: string;
  /** Help of --check-slo; undefined where the command has no pass or fail to exit 3 on (refused). */
  readonly checkSlo?: string;
  /** Why --check-slo is refused, where it is. */
  readonly noCheckSlo?: string;
  /** The report kind --force lets --out replace; only commands that write run or comparison reports. */
  readonly replaces?: string;
}

const WORDS: Readonly<Record<SimulatingCommand, Words>> = {
  run: {
    file: 'Scenario file (YAML or JSON)',
    fileExample: 'scenarios/quickstart.yaml',
    seed: 'every random stream',
    workers: ' for the run and its paired baselines (one per fault)',
    json: 'summary',
    large: 'a file',
    folder: 'run-<model>',
    checkSlo:
      "Exit 3 if the run misses an objective of the file's slo: or a thresholds: expression, naming it",
    replaces: 'comparison',
  },
  compare: {
    file: 'Scenario file (YAML or JSON)',
    fileExample: 'scenarios/quickstart.yaml',
    models: 'compare',
    replications: 'per model',
    seed: 'replication 0',
    workers: '',
    json: 'comparison',
    large: 'a file',
    folder: 'compare',
    checkSlo:
      "Exit 3 if any model's mean misses an objective of the file's slo:, or a model's run misses a thresholds: expression, naming it",
    replaces: 'run',
  },
  sweep: {
    file: 'Scenario file (YAML or JSON)',
    fileExample: 'scenarios/quickstart.yaml --set traffic[0].rate=400/s,800/s',
    models: 'compare at each point',
    replications: 'per model and point',
    seed: 'replication 0, shared by every point',
    workers: '',
    json: 'sweep',
    large: "a file's points",
    folder: 'sweep',
    noCheckSlo:
      "a sweep has no pass or fail: its figures are charted per point; check one point's slo: with meshsim compare --check-slo",
  },
  capacity: {
    file: 'Scenario file (YAML or JSON) with an slo:',
    // No library scenario states an slo:; the starter meshsim init writes does.
    fileExample: 'my-mesh.yaml (a file with an slo:, as meshsim init writes)',
    models: 'search',
    replications: 'per step',
    seed: 'replication 0, the same at every step',
    workers: " for each step's replications",
    json: 'result',
    large: "a file's steps",
    folder: 'capacity',
    noCheckSlo:
      "capacity searches for where the file's slo: holds, it has no pass or fail to exit 3 on; check one rate with meshsim compare --check-slo",
  },
};

/** `--istio-config [CLUSTER=]PATH` (repeatable): Istio resource files or folders applied after the scenario's routing. */
export const ISTIO_CONFIG_OPTION = {
  type: 'string',
  array: true,
  nargs: 1,
  describe:
    "Istio resource file or folder (VirtualServices, DestinationRules, Gateways, ServiceEntries; multi-document, List) applied after the scenario routing, in every cluster; CLUSTER=PATH applies it to that cluster's API server only (seen by the istiods that read that cluster under each model); repeatable",
} as const;

/** The figures a sweep charts (`sweep --figure`, and `merge --figure` for a sweep's parts). */
export function figureOption(command: 'sweep' | 'merge') {
  return {
    type: 'string',
    describe: `${command === 'sweep' ? 'Figures to chart against the first --set' : "A sweep's figures to chart"}, comma-separated${command === 'merge' ? ', as sweep --figure' : ''} (default: availability_ratio,latency_p99_ms)`,
  } as const;
}

/**
 * `--shard I/N`, `--parts DIR` and `--emit-job` for the commands whose work is a numbered job list
 * (compare, sweep, capacity); shard-run.ts runs them.
 */
export function shardFlags(y: Argv): Argv {
  return y
    .option('shard', {
      type: 'string',
      describe:
        'Run slice I of N (1-based, e.g. 2/4) and write its parts to --parts for meshsim merge; in a Kubernetes Indexed Job, JOB_COMPLETION_INDEX (0-based) and JOB_COMPLETIONS set it',
    })
    .option('parts', {
      type: 'string',
      describe: 'Folder a shard writes its parts file to (default: parts/<scenario name>)',
    })
    .option('emit-job', {
      type: 'boolean',
      default: false,
      describe:
        'Print a Kubernetes Indexed Job that runs this sharded (with the scenario as a ConfigMap, a results volume and the merge Job) instead of running it',
    })
    .option('shards', {
      nargs: 1,
      describe: "With --emit-job: how many shards (the Job's completions and parallelism; default 4)",
    })
    .coerce('shards', wholeNumber('--shards', 1))
    .option('image', {
      type: 'string',
      describe: `With --emit-job: the container image built from the repository's Dockerfile (default meshsim:${MESHSIM_VERSION})`,
    });
}

/** --models, --replications, --seed, --workers: how many runs, on which seeds, on how many threads. */
function replicationFlags(y: Argv, w: Words): Argv {
  if (w.models !== undefined)
    y = y
      .option('models', {
        type: 'string',
        describe: `Models to ${w.models}, by name, comma-separated (default: every model of the file)`,
      })
      .coerce('models', modelList);
  if (w.replications !== undefined)
    y = y
      .option('replications', {
        nargs: 1,
        describe: `Replications ${w.replications}, at least 2 (default: the file's report.replications, else 10)`,
      })
      .coerce('replications', wholeNumber('--replications', 2, ' (an interval needs two replications)'));
  return y
    .option('seed', { nargs: 1, describe: `Seed of ${w.seed} (default: the file's seed, else 1)` })
    .coerce('seed', wholeNumber('--seed', 0))
    .option('workers', {
      nargs: 1,
      describe: `Worker threads${w.workers}; results are identical for any number (default: the number of cores, here ${availableParallelism()})`,
    })
    .coerce('workers', wholeNumber('--workers', 1));
}

/** --out, --force, --json, --allow-large, --check-slo, --istio-config: where and how the report goes. */
function outputFlags(y: Argv, command: SimulatingCommand, w: Words): Argv {
  y = y.option('out', {
    type: 'string',
    describe: `Report folder: a new path, an empty folder, or a meshsim report folder (one with .meshsim-report.json); anything else is refused, and so is a symbolic link (default: reports/<scenario name>/${w.folder}; none with --json)`,
  });
  if (w.replaces !== undefined)
    y = y.option('force', {
      type: 'boolean',
      default: false,
      describe: `Let --out replace a meshsim report of another kind (a ${w.replaces}); never a folder meshsim did not write`,
    });
  y = y
    .option('json', {
      type: 'boolean',
      default: false,
      describe: `Print the ${w.json} as JSON on stdout, nothing else; writes no folder unless --out is given`,
    })
    .option('allow-large', {
      type: 'boolean',
      default: false,
      describe: `Run ${w.large} over its size limits (report.maxRequests; a safety net against a stray zero)`,
    });
  if (w.checkSlo !== undefined)
    y = y.option('check-slo', { type: 'boolean', default: false, describe: w.checkSlo });
  else {
    // Declared (hidden) so that it is refused in words rather than as an unknown argument.
    const why = w.noCheckSlo ?? '';
    y = y.option('check-slo', { type: 'boolean', default: false, hidden: true }).check((a) => {
      if (a.checkSlo === true) throw new UsageError(`meshsim ${command}: --check-slo: ${why}`);
      return true;
    });
  }
  if (command === 'run' || command === 'compare') y = y.option('istio-config', ISTIO_CONFIG_OPTION);
  return y;
}

/**
 * Every flag of `command` in help order: shard flags (all but run), the scenario file, the command's own
 * flags (`own`), replications, exports (run, compare), the report folder; and the refusal, in plain
 * words, of no file.
 */
export function simulationFlags(
  y: Argv,
  command: SimulatingCommand,
  own: (y: Argv) => Argv = (a) => a,
): Argv {
  const w = WORDS[command];
  const withShards = command === 'run' ? y : shardFlags(y);
  const flags = replicationFlags(own(withShards.positional('file', { type: 'string', describe: w.file })), w);
  const exported = command === 'run' || command === 'compare' ? exportFlags(flags, command) : flags;
  return outputFlags(exported, command, w).check((a) => {
    if (a.file === undefined)
      throw new UsageError(
        `meshsim ${command}: no scenario file given. Name one, e.g. meshsim ${command} ${w.fileExample}, or write a starter with meshsim init.\nRun "meshsim --help" for usage.`,
      );
    return true;
  });
}
