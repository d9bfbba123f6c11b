/**
 * `meshsim merge`: every shard's parts of one experiment put back together, through the same assembly as a
 * one-machine run (experiment.ts), so the result has the same bytes. The experiment is rebuilt from what
 * the parts carry (its kind, options and checked scenarios); its plan digest must match theirs, which it
 * does only for the same scenario, options and meshsim version.
 *
 * Contents: `mergeParts`, `Merged`.
 */
import type { Scenario } from '../scenario/index.js';
import { CapacityProblem, capacityExperiment, type CapacityResult } from './capacity.js';
import type { ComparisonResult } from './comparison.js';
import { compareExperiment } from './compare.js';
import { assembleExperiment, type Experiment } from './experiment.js';
import { partsPlanDigest, type PartsFile } from './parts-file.js';
import { PartsProblem, checkParts, type LoadedPart } from './parts-folder.js';
import { sweepPoints, type SweepSet } from './sweep-grid.js';
import { sweepExperiment, type SweepResult } from './sweep.js';

export type Merged =
  | {
      readonly kind: 'compare';
      /** The scenario the parts were run on (as checked when the shards started). */
      readonly scenario: Scenario;
      readonly result: ComparisonResult;
    }
  | { readonly kind: 'sweep'; readonly scenario: Scenario; readonly result: SweepResult }
  | { readonly kind: 'capacity'; readonly scenario: Scenario; readonly result: CapacityResult };

function rebuild(part: PartsFile, path: string): Experiment<unknown> {
  const fail = (m: string) => new PartsProblem(`${path}: ${m}`);
  const scenario = part.scenarios[0];
  if (scenario === undefined) throw new PartsProblem(`${path}: no scenario in the part`);
  switch (part.kind) {
    case 'compare': {
      const r = part.request as { models: string[] | null; replications: number; seed: number };
      const built = compareExperiment(scenario, {
        ...(r.models === null ? {} : { models: r.models }),
        replications: r.replications,
        seed: r.seed,
      });
      if (!built.ok) throw new PartsProblem(`${path}: ${built.problem.message}`);
      return built.experiment;
    }
    case 'sweep': {
      const r = part.request as {
        sets: SweepSet[];
        models: string[] | null;
        replications: number;
        seed: number;
      };
      const built = sweepExperiment(part.scenarios, sweepPoints(r.sets), {
        sets: r.sets,
        ...(r.models === null ? {} : { models: r.models }),
        replications: r.replications,
        seed: r.seed,
      });
      if (!built.ok) throw fail(built.problem.message);
      return built.experiment;
    }
    case 'capacity': {
      const r = part.request as {
        vary: string | null;
        range: [number, number] | null;
        precision: { absolute: number } | { relative: number };
        models: string[];
        replications: number;
        seed: number;
        text: string;
        allowLarge: boolean;
      };
      try {
        return capacityExperiment(scenario, r.text, {
          ...(r.vary === null ? {} : { vary: r.vary }),
          ...(r.range === null ? {} : { range: r.range }),
          precision: r.precision,
          models: r.models,
          replications: r.replications,
          seed: r.seed,
          allowLarge: r.allowLarge,
        });
      } catch (e) {
        if (e instanceof CapacityProblem) throw fail(e.message);
        throw e;
      }
    }
    default:
      throw new PartsProblem(`${path}: parts of a ${part.kind} cannot be merged by this meshsim`);
  }
}

/** The experiment's result from its shards' parts; a `PartsProblem` names what is wrong. */
export function mergeParts(parts: readonly LoadedPart[]): Merged {
  const { first, results } = checkParts(parts);
  const experiment = rebuild(first.part, first.path);
  const digest = partsPlanDigest(experiment.kind, experiment.request, experiment.scenarios, experiment.jobs);
  if (digest !== first.part.plan || experiment.jobs !== first.part.jobs)
    throw new PartsProblem(
      `${first.path}: its plan does not rebuild to the same jobs here (${experiment.jobs} jobs, not ${first.part.jobs}); was it written by another meshsim?`,
    );
  const scenario = experiment.scenarios[0] as Scenario;
  const result = assembleExperiment(experiment, results);
  if (experiment.kind === 'sweep') return { kind: 'sweep', scenario, result: result as SweepResult };
  if (experiment.kind === 'capacity') return { kind: 'capacity', scenario, result: result as CapacityResult };
  return { kind: 'compare', scenario, result: result as ComparisonResult };
}
