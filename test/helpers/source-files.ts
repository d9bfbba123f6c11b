/** Every `.ts` file under `dir`, recursively: the sources that tests reading src/ check line by line. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? typeScriptFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}
