/**
 * `meshsim calibrate`: writes a scenario whose traffic and services come from Istio telemetry — a
 * Prometheus's HTTP API over a time range, the answers saved from it, or a Kiali graph JSON — either an
 * update of a base scenario (`--scenario`) or a new one. The inference lives in src/calibrate; this file
 * reads flags and files, validates the result and writes it. The written file always validates; an
 * existing file is never overwritten; bad input exits 2 naming the flag, file and field.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { UsageError } from '../exit-code.js';
import { isoTime } from '../flag-values.js';
import { loadOrThrow } from '../load-or-exit.js';

interface CalibrateArgs {
  prometheus: string | undefined;
  start: number | undefined;
  end: number | undefined;
  fromJson: string | undefined;
  kiali: string | undefined;
  scenario: string | undefined;
  name: string | undefined;
  saveQueries: string | undefined;
  out: string | undefined;
}

async function readJson(file: string, flag: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new UsageError(
      `meshsim calibrate: ${flag} ${file}: cannot read (${(e as NodeJS.ErrnoException).code})`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`meshsim calibrate: ${flag} ${file}: not JSON (${(e as Error).message})`);
  }
}

async function writeNew(file: string, text: string, what: string): Promise<void> {
  try {
    await writeFile(file, text, { flag: 'wx' });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'EEXIST'
        ? `meshsim calibrate: ${file} exists; ${what} not written. Name another file.`
        : `meshsim calibrate: cannot write ${file} (${code}); ${what} not written.`,
    );
  }
}

export const calibrateCommand: CommandModule<object, CalibrateArgs> = {
  command: 'calibrate',
  describe:
    'Write a scenario whose traffic rates, call probabilities, error rates and service times come from Istio telemetry (Prometheus or Kiali)',
  builder: (y: Argv) =>
    y
      .option('prometheus', {
        type: 'string',
        describe: 'Prometheus base URL (its HTTP API), e.g. http://127.0.0.1:9090; needs --start and --end',
      })
      .option('start', { nargs: 1, describe: 'Start of the range, ISO 8601 UTC' })
      .coerce('start', isoTime('--start'))
      .option('end', { nargs: 1, describe: 'End of the range, ISO 8601 UTC' })
      .coerce('end', isoTime('--end'))
      .option('from-json', {
        type: 'string',
        describe: 'Saved query answers instead of a live Prometheus (the file --save-queries writes)',
      })
      .option('kiali', {
        type: 'string',
        describe: 'A Kiali graph JSON (rates and response codes only: service times are not calibrated)',
      })
      .option('scenario', {
        type: 'string',
        describe:
          'Base scenario to update (its clusters, network, routing, faults, call order kept); without it a new scenario is built',
      })
      .option('name', { type: 'string', describe: 'Name of a new scenario (default: the --out file name)' })
      .option('save-queries', {
        type: 'string',
        describe: "With --prometheus: also write the queries' answers to this file, for --from-json later",
      })
      .option('out', { type: 'string', describe: 'Scenario file to write (never overwritten)' })
      .example(
        '$0 calibrate --prometheus http://127.0.0.1:9090 --start 2026-01-01T10:00:00Z --end 2026-01-01T11:00:00Z --scenario mesh.yaml --out mesh-calibrated.yaml',
        "Update mesh.yaml's rates, probabilities, error rates and service times from an hour of telemetry",
      )
      .example(
        '$0 calibrate --prometheus http://127.0.0.1:9090 --start 2026-01-01T10:00:00Z --end 2026-01-01T11:00:00Z --save-queries hour.json --out new.yaml',
        'Build a new scenario (assumptions marked in comments) and keep the answers',
      )
      .example('$0 calibrate --from-json hour.json --scenario mesh.yaml --out again.yaml', 'Again, offline')
      .example(
        '$0 calibrate --kiali graph.json --scenario mesh.yaml --out rates.yaml',
        'Rates and error rates from a Kiali graph',
      )
      .epilogue(
        "Latency is fitted to the histogram buckets by maximum likelihood (never to interpolated quantiles); callees first, a caller's own time with its calls' taken out. What telemetry cannot tell (call order and parallelism without --scenario, concurrency, regions) is written as ASSUMED in the file's comments.",
      ) as unknown as Argv<CalibrateArgs>,
  handler: async (args: ArgumentsCamelCase<CalibrateArgs>) => {
    const cal = await import('../../calibrate/index.js');
    const sources = [args.prometheus, args.fromJson, args.kiali].filter((s) => s !== undefined);
    if (sources.length !== 1)
      throw new UsageError(
        'meshsim calibrate: give one source: --prometheus URL (with --start and --end), --from-json FILE or --kiali FILE.',
      );
    if (args.out === undefined)
      throw new UsageError('meshsim calibrate: --out FILE is required (the scenario to write).');
    if (
      args.prometheus === undefined &&
      (args.start !== undefined || args.end !== undefined || args.saveQueries !== undefined)
    )
      throw new UsageError('meshsim calibrate: --start, --end and --save-queries go with --prometheus only.');
    // Refused before any query: nothing is written unless everything is.
    for (const [flag, file] of [
      ['--out', args.out],
      ['--save-queries', args.saveQueries],
    ] as const)
      if (file !== undefined && existsSync(file))
        throw new UsageError(
          `meshsim calibrate: ${flag} ${file} exists; nothing was written. Name another file.`,
        );
    const base = args.scenario === undefined ? undefined : await loadOrThrow(args.scenario);
    let observations;
    let when = '';
    let answers: string | undefined;
    try {
      if (args.prometheus !== undefined) {
        if (args.start === undefined || args.end === undefined)
          throw new UsageError('meshsim calibrate: --prometheus needs --start and --end (ISO 8601 UTC).');
        if (!(args.end > args.start)) throw new UsageError('meshsim calibrate: --end must be after --start.');
        let url: URL;
        try {
          url = new URL(args.prometheus);
        } catch {
          throw new UsageError(
            `meshsim calibrate: --prometheus ${args.prometheus}: not a URL (e.g. http://127.0.0.1:9090)`,
          );
        }
        if (url.protocol !== 'http:' && url.protocol !== 'https:')
          throw new UsageError(
            `meshsim calibrate: --prometheus ${args.prometheus}: expected http:// or https://`,
          );
        const saved = await cal.queryPrometheus(
          args.prometheus,
          args.end / 1000,
          (args.end - args.start) / 1000,
        );
        const origin = `${args.prometheus} (${new Date(args.start).toISOString()} to ${new Date(args.end).toISOString()})`;
        answers = cal.savedQueriesText(saved, origin);
        observations = cal.observationsFromSaved({ ...saved, origin }, args.prometheus);
        when = new Date(args.end).toISOString();
      } else if (args.fromJson !== undefined) {
        const saved = await readJson(args.fromJson, '--from-json');
        observations = cal.observationsFromSaved(saved, args.fromJson);
        // The same header as the live run that saved them: the range's end.
        const time = (saved as { time?: unknown }).time;
        if (typeof time === 'number' && Number.isFinite(time)) when = new Date(time * 1000).toISOString();
      } else {
        const file = args.kiali as string;
        observations = cal.observationsFromKiali(await readJson(file, '--kiali'), file);
      }
      if (observations.edges.every((e) => e.requests <= 0))
        throw new cal.CalibrationInputError(
          `${observations.origin}: no istio_requests_total increase in the range: nothing to calibrate from (check the range and that Istio's telemetry is scraped)`,
        );
      const calibration = cal.inferCalibration(
        observations,
        base === undefined ? undefined : cal.baseShape(base.mesh),
      );
      const written =
        base === undefined || args.scenario === undefined
          ? cal.buildScenarioText(
              calibration,
              args.name ?? basename(args.out).replace(/\.(ya?ml|json)$/, ''),
              when,
            )
          : cal.updateScenarioText(calibration, await readFile(args.scenario, 'utf8'), args.scenario, when);
      for (const n of written.notes) process.stderr.write(`note: ${n}\n`);
      const scenario = await import('../../scenario/index.js');
      const check = scenario.loadScenarioText(written.text, resolve(args.out));
      for (const w of check.warnings) process.stderr.write(`${scenario.formatIssue(w)}\n`);
      if (!check.ok)
        throw new UsageError(
          `${check.issues.map(scenario.formatIssue).join('\n')}\nmeshsim calibrate: the calibrated scenario does not validate (above); nothing was written.`,
        );
      // The answers first (kept even if the scenario's write then fails, which only a race can cause).
      if (args.saveQueries !== undefined && answers !== undefined)
        await writeNew(args.saveQueries, answers, 'the saved answers');
      await writeNew(args.out, written.text, 'the scenario');
      const entry = calibration.traffic.map((t) => `${t.name} ${t.ratePerS.toFixed(2)}/s`).join(', ');
      process.stdout.write(
        `${args.out}: ${calibration.services.length} services, traffic ${entry} (from ${observations.origin})\n`,
      );
    } catch (e) {
      if (e instanceof cal.CalibrationInputError) throw new UsageError(`meshsim calibrate: ${e.message}`);
      throw e;
    }
  },
};
