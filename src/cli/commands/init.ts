/**
 * `meshsim init [FILE]`: write a starter scenario to edit. Never overwrites a file unless `--force`; the
 * refusal is decided by the file system itself (exclusive create), so there is no window between a check
 * and the write.
 */
import { writeFile } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { ExitCode, UsageError } from '../exit-code.js';
import { invokedAs } from '../invoked-as.js';
import { DEFAULT_INIT_FILE, STARTER_SCENARIO } from '../starter-scenario.js';

/** The JSON Schema shipped with meshsim (`scenarios/` is in the package's files), from dist/cli/commands. */
const SCHEMA = fileURLToPath(new URL('../../../scenarios/meshsim.schema.json', import.meta.url));

/**
 * The editor line that points at meshsim's JSON Schema, relative to where the file is written, so the
 * YAML language server completes keys and checks values as the user edits.
 */
export function schemaLine(file: string): string {
  let path = relative(dirname(resolve(file)), SCHEMA)
    .split(sep)
    .join('/');
  if (!path.startsWith('.')) path = `./${path}`;
  return `# yaml-language-server: $schema=${path}`;
}

interface InitArgs {
  file: string;
  force: boolean;
}

export const initCommand: CommandModule<object, InitArgs> = {
  command: 'init [file]',
  describe: 'Write a starter scenario to edit (three clusters, two regions, a control-plane outage, an SLO)',
  builder: (y: Argv) =>
    y
      .positional('file', { type: 'string', default: DEFAULT_INIT_FILE, describe: 'Where to write it' })
      .option('force', { type: 'boolean', default: false, describe: 'Overwrite the file if it exists' })
      .example('$0 init', `Write ${DEFAULT_INIT_FILE} in this folder`)
      .example('$0 init mesh.yaml && $0 compare mesh.yaml', 'Write one and compare its models')
      .example('$0 init mesh.yaml --force', 'Start again from the starter') as unknown as Argv<InitArgs>,
  handler: async (args: ArgumentsCamelCase<InitArgs>) => {
    try {
      await writeFile(args.file, `${schemaLine(args.file)}\n${STARTER_SCENARIO}`, {
        flag: args.force ? 'w' : 'wx',
      });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') {
        throw new UsageError(
          `meshsim init: ${args.file} exists; nothing was written. Name another file, or add --force to overwrite it.`,
        );
      }
      if (
        code === 'ENOENT' ||
        code === 'EACCES' ||
        code === 'EISDIR' ||
        code === 'ENOTDIR' ||
        code === 'EROFS'
      ) {
        throw new UsageError(`meshsim init: cannot write ${args.file} (${code}); nothing was written.`);
      }
      throw e;
    }
    const me = invokedAs();
    process.stdout.write(
      `wrote ${args.file}: a starter scenario. Next:\n  ${me} validate ${args.file}\n  ${me} run ${args.file}\n  ${me} compare ${args.file}\n`,
    );
    process.exitCode = ExitCode.OK;
  },
};
