/**
 * `meshsim models [FILE]`: each deployment model explained in a paragraph, with when to choose it; with a
 * scenario file, also how each of its models wires that scenario's clusters (who serves whom, istiods,
 * where config must be applied).
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import type { DeploymentModel } from '../../mesh/index.js';
import { EXTERNAL_CONTROL_PLANE, configSources, istiodCount } from '../../mesh/deployment-model.js';
import { ExitCode } from '../exit-code.js';
import { loadOrThrow } from '../load-or-exit.js';
import { MODEL_EXPLANATIONS, NETWORK_EXPLANATIONS } from '../model-explanations.js';
import { asInvoked } from '../invoked-as.js';

interface ModelsArgs {
  file: string | undefined;
  json: boolean;
}

/** Wraps a paragraph at `width` columns with `indent` on every line. */
function paragraph(text: string, indent: string, width = 100): string {
  const lines: string[] = [];
  let line = indent;
  for (const word of text.split(' ')) {
    if (line.trim() !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent + word;
    } else line = line.trim() === '' ? indent + word : `${line} ${word}`;
  }
  lines.push(line);
  return lines.join('\n');
}

interface Wiring {
  readonly name: string;
  readonly controlPlane: string;
  readonly network: string;
  readonly servedBy: Readonly<Record<string, string>>;
  readonly istiods: number;
  readonly configPlaces: readonly string[];
}

function wirings(models: readonly DeploymentModel[]): Wiring[] {
  return models.map((m) => ({
    name: m.name,
    controlPlane: m.controlPlane,
    network: m.network,
    servedBy: m.servedBy,
    istiods: istiodCount(m),
    configPlaces: configSources(m),
  }));
}

function wiringText(w: Wiring): string {
  const served = Object.entries(w.servedBy)
    .map(
      ([cluster, server]) =>
        `${cluster} by ${server === EXTERNAL_CONTROL_PLANE ? 'the external istiod' : `istiod in ${server}`}`,
    )
    .join(', ');
  return [
    `  ${w.name} (controlPlane: ${w.controlPlane}, network: ${w.network})`,
    paragraph(`proxies served: ${served}.`, '    '),
    paragraph(
      `${w.istiods} istiod${w.istiods === 1 ? '' : 's'}; a routing rule is applied in ${w.configPlaces.length} place${w.configPlaces.length === 1 ? '' : 's'} (${w.configPlaces.join(', ')}).`,
      '    ',
    ),
  ].join('\n');
}

export const modelsCommand: CommandModule<object, ModelsArgs> = {
  command: 'models [file]',
  describe:
    'Explain each deployment model and when to choose it (with a file: how its models wire the clusters)',
  builder: (y: Argv) =>
    y
      .positional('file', {
        type: 'string',
        describe: 'A scenario file, to show how its models wire its clusters',
      })
      .option('json', {
        type: 'boolean',
        default: false,
        describe: 'Print the explanations as JSON on stdout',
      })
      .example('$0 models', 'Every deployment model in a paragraph, with when to choose it')
      .example('$0 models scenarios/quickstart.yaml', "Also: who serves whom in the quickstart's models")
      .example('$0 models --json | jq ".models[].name"', 'For a pipeline') as unknown as Argv<ModelsArgs>,
  handler: async (args: ArgumentsCamelCase<ModelsArgs>) => {
    const scenario = args.file === undefined ? undefined : await loadOrThrow(args.file, { allowLarge: true });
    const wired = scenario === undefined ? undefined : wirings(scenario.models);
    if (args.json) {
      const doc = {
        models: Object.values(MODEL_EXPLANATIONS),
        networks: NETWORK_EXPLANATIONS,
        ...(wired === undefined ? {} : { scenario: scenario?.name, wiring: wired }),
      };
      process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
      process.exitCode = ExitCode.OK;
      return;
    }
    const out = ["Istio multi-cluster deployment models (the controlPlane: of a scenario's models:)", ''];
    for (const m of Object.values(MODEL_EXPLANATIONS)) {
      out.push(m.name, paragraph(m.what, '  '), paragraph(`When: ${m.choose}`, '  '), '');
    }
    out.push('Network models (the network: of a model)', '');
    for (const text of Object.values(NETWORK_EXPLANATIONS)) out.push(paragraph(text, '  '), '');
    if (scenario !== undefined && wired !== undefined) {
      out.push(`In ${scenario.file} (${scenario.name}):`, ...wired.map(wiringText), '');
    }
    out.push('Measure them on your own topology: meshsim compare <file> (meshsim init writes a starter).');
    process.stdout.write(asInvoked(`${out.join('\n')}\n`));
    process.exitCode = ExitCode.OK;
  },
};
