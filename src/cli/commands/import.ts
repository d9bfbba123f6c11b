/**
 * `meshsim import kubernetes --cluster NAME=PATH[,PATH...] ... [--istio-config PATH...] --out FILE`: a
 * scenario from per-cluster Kubernetes manifests (scenario/import/kubernetes.ts). The result is loaded
 * before it is written, so a written file always validates; what was skipped or guessed is printed on
 * stderr and stated in the file's comments. An existing file is never overwritten.
 */
import { writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { UsageError } from '../exit-code.js';

interface ImportArgs {
  source: string;
  file: string | undefined;
  cluster: string[] | undefined;
  istioConfig: string[] | undefined;
  out: string | undefined;
}

export const importCommand: CommandModule<object, ImportArgs> = {
  command: 'import <source> [file]',
  describe:
    'Turn Kubernetes manifests (import kubernetes) or an isotope service graph (import isotope FILE) into a scenario',
  builder: (y: Argv) =>
    y
      .positional('source', {
        type: 'string',
        choices: ['kubernetes', 'isotope'],
        describe: 'What to import from',
      })
      .positional('file', { type: 'string', describe: 'isotope: the service graph file' })
      .option('cluster', {
        type: 'string',
        array: true,
        nargs: 1,
        describe:
          'NAME=PATH[,PATH...]: a cluster and its manifest files or folders (kubectl get -o yaml dumps too); repeatable',
      })
      .option('istio-config', {
        type: 'string',
        array: true,
        nargs: 1,
        describe: 'Istio resource file or folder the scenario includes (routing.include); repeatable',
      })
      .option('out', { type: 'string', describe: 'Scenario file to write (never overwritten)' })
      .example(
        '$0 import kubernetes --cluster east=k8s/east/ --cluster west=k8s/west/ --istio-config istio/ --out mesh.yaml',
        'Two clusters and their Istio routing as one scenario',
      )
      .example(
        '$0 import isotope tree-13-services.yaml --out tree.yaml',
        'An istio/tools isotope topology',
      ) as unknown as Argv<ImportArgs>,
  handler: async (args: ArgumentsCamelCase<ImportArgs>) => {
    const scenario = await import('../../scenario/index.js');
    if (args.out === undefined)
      throw new UsageError('meshsim import: --out FILE is required (the scenario to write).');
    const result = args.source === 'isotope' ? isotope(args, scenario) : kubernetes(args, args.out, scenario);
    for (const n of result.notes) process.stderr.write(`note: ${n}\n`);
    if (result.yaml === undefined)
      throw new UsageError(
        `${result.issues.map(scenario.formatIssue).join('\n')}\nmeshsim import: nothing was written.`,
      );
    const check = scenario.loadScenarioText(result.yaml, resolve(args.out));
    for (const w of check.warnings) process.stderr.write(`${scenario.formatIssue(w)}\n`);
    if (!check.ok)
      throw new UsageError(
        `${check.issues.map(scenario.formatIssue).join('\n')}\nmeshsim import: the imported scenario does not validate (above); nothing was written.`,
      );
    try {
      await writeFile(args.out, result.yaml, { flag: 'wx' });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UsageError(
        code === 'EEXIST'
          ? `meshsim import: ${args.out} exists; nothing was written. Name another file.`
          : `meshsim import: cannot write ${args.out} (${code}); nothing was written.`,
      );
    }
    const m = check.scenario.mesh;
    process.stdout.write(`${args.out}: ${m.services.length} services in ${m.clusters.length} clusters\n`);
  },
};

type ScenarioModule = typeof import('../../scenario/index.js');
type Imported = ReturnType<ScenarioModule['importIsotope']>;

function isotope(args: ImportArgs, s: ScenarioModule): Imported {
  if (args.file === undefined) throw new UsageError('meshsim import isotope: name the service graph file.');
  const read = s.readManifestFiles(args.file);
  if (!read.ok) throw new UsageError(`meshsim import isotope: cannot read ${read.error}`);
  if (read.files.length !== 1)
    throw new UsageError(`meshsim import isotope: ${args.file}: expected one file`);
  return s.importIsotope((read.files[0] as { text: string }).text, args.file);
}

function kubernetes(args: ImportArgs, out: string, s: ScenarioModule): Imported {
  const clusters = (args.cluster ?? []).map((c) => {
    const m = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)=(.+)$/.exec(c);
    if (m === null)
      throw new UsageError(
        `meshsim import: --cluster ${c}: expected NAME=PATH[,PATH...], e.g. --cluster east=k8s/east/`,
      );
    const files = (m[3] ?? '').split(',').flatMap((p) => {
      const read = s.readManifestFiles(p);
      if (!read.ok) throw new UsageError(`meshsim import: --cluster ${c}: cannot read ${read.error}`);
      return read.files;
    });
    return { cluster: m[1] ?? '', files };
  });
  if (clusters.length === 0)
    throw new UsageError('meshsim import kubernetes: give at least one --cluster NAME=PATH.');
  const outDir = dirname(resolve(out));
  const includes = (args.istioConfig ?? []).map((p) => relative(outDir, resolve(p)) || '.');
  return s.importKubernetes(clusters, includes);
}
