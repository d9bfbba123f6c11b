/** meshsim's version, read from package.json so reports say which simulator made them. */
import { readFileSync } from 'node:fs';

function readVersion(): string {
  const url = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}

export const MESHSIM_VERSION = readVersion();
