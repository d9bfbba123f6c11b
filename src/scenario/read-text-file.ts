/**
 * Reading a text file whose size and kind nobody promised: only a regular file is read, its size is
 * checked before reading, and the read itself stops one byte past the cap, so `/dev/zero`, a FIFO with no
 * writer, a socket, a folder, a 2 GB file or a file that grows while read cost a `stat` and at most
 * `maxBytes + 1` bytes, never a hang. The text must be UTF-8: UTF-16/32 and binary files are named as such.
 * Reusable for any file a scenario names (includes).
 *
 * Contents: `readBoundedTextFile`, `readScenarioFileIssue`, `TextFileRead`, `MAX_FILE_BYTES`.
 */
import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import type { ScenarioIssue } from './issue.js';
import { message } from './messages.js';

/**
 * Scenario files larger than this are not hand-written (the 20-cluster library file has 6 KB); refusing
 * them bounds memory and time (the YAML parser reads about 0.6 MB/s on two cores: a few seconds at most).
 */
export const MAX_FILE_BYTES = 1024 * 1024;
export type TextFileRead = { ok: true; text: string } | { ok: false; reason: string };

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MiB`;

/** Why a file of this kind is not read, or undefined for a regular file. */
function notRegular(st: Stats): string | undefined {
  if (st.isFile()) return undefined;
  if (st.isDirectory()) return 'it is a folder, not a file';
  if (st.isFIFO()) return 'it is a named pipe (FIFO), not a regular file; save the scenario to a file first';
  if (st.isSocket()) return 'it is a socket, not a regular file';
  if (st.isCharacterDevice() || st.isBlockDevice())
    return 'it is a device (such as /dev/zero or a terminal), not a regular file';
  return 'it is not a regular file';
}

const CODES: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a part of the path is a file, not a folder',
  ELOOP: 'too many symbolic links on the way',
  ENAMETOOLONG: 'the path is too long',
  ENXIO: 'it is a socket or a device without a reader, not a regular file',
};

function cause(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return (code !== undefined ? CODES[code] : undefined) ?? (e instanceof Error ? e.message : String(e));
}

/** The encoding a byte order mark or a NUL pattern gives away, or undefined for none of UTF-16/32. */
function wideEncoding(b: Uint8Array): string | undefined {
  const [b0, b1, b2, b3] = [b[0], b[1], b[2], b[3]];
  if (b0 === 0xff && b1 === 0xfe && b2 === 0 && b3 === 0)
    return 'UTF-32 (little-endian, with a byte order mark)';
  if (b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff)
    return 'UTF-32 (big-endian, with a byte order mark)';
  if (b0 === 0xff && b1 === 0xfe) return 'UTF-16 (little-endian, with a byte order mark)';
  if (b0 === 0xfe && b1 === 0xff) return 'UTF-16 (big-endian, with a byte order mark)';
  if (b.length >= 4 && b0 !== 0 && b1 === 0 && b2 === 0 && b3 === 0) return 'UTF-32 (little-endian)';
  if (b.length >= 4 && b0 === 0 && b1 === 0 && b2 === 0 && b3 !== 0) return 'UTF-32 (big-endian)';
  if (b.length >= 2 && b0 !== 0 && b1 === 0) return 'UTF-16 (little-endian)';
  if (b.length >= 2 && b0 === 0 && b1 !== 0) return 'UTF-16 (big-endian)';
  return undefined;
}

/**
 * The UTF-8 text of the regular file `path`, at most `maxBytes` bytes, or why not in plain words. Never
 * throws for a file-system reason.
 */
export async function readBoundedTextFile(path: string, maxBytes: number): Promise<TextFileRead> {
  let st: Stats;
  try {
    // stat, not open: opening a FIFO with no writer would wait for one.
    st = await stat(path);
  } catch (e) {
    return { ok: false, reason: cause(e) };
  }
  const kind = notRegular(st);
  if (kind !== undefined) return { ok: false, reason: kind };
  if (st.size > maxBytes) return { ok: false, reason: `larger than ${mib(maxBytes)} (${st.size} bytes)` };
  let buffer: Buffer;
  let length = 0;
  try {
    // O_NONBLOCK: if the path became a FIFO since the stat, open returns at once instead of waiting.
    const fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | (constants.O_NOCTTY ?? 0));
    try {
      const again = notRegular(await fh.stat());
      if (again !== undefined) return { ok: false, reason: again };
      buffer = Buffer.alloc(maxBytes + 1);
      for (;;) {
        const { bytesRead } = await fh.read(buffer, length, buffer.length - length, null);
        if (bytesRead === 0) break;
        length += bytesRead;
        if (length > maxBytes)
          return { ok: false, reason: `larger than ${mib(maxBytes)} (it grew while being read)` };
      }
    } finally {
      await fh.close();
    }
  } catch (e) {
    return { ok: false, reason: cause(e) };
  }
  const bytes = buffer.subarray(0, length);
  const wide = wideEncoding(bytes);
  if (wide !== undefined)
    return {
      ok: false,
      reason: `it is ${wide} text; meshsim reads UTF-8: convert it, e.g. iconv -f UTF-16 -t UTF-8`,
    };
  const nul = bytes.indexOf(0);
  if (nul >= 0) return { ok: false, reason: `it is a binary file, not text (a NUL byte at offset ${nul})` };
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { ok: false, reason: 'it is not UTF-8 text (invalid byte sequences); save it as UTF-8' };
  }
}

/**
 * The text of scenario file `file`, or its one issue. Light on purpose (no parser, no schema): the CLI
 * calls it before loading the scenario pipeline, so a device, a FIFO or a huge file is refused in the time
 * Node takes to start.
 */
export async function readScenarioFileText(
  file: string,
): Promise<{ ok: true; text: string } | { ok: false; issue: ScenarioIssue }> {
  const read = await readBoundedTextFile(file, MAX_FILE_BYTES);
  if (read.ok) return read;
  return {
    ok: false,
    issue: {
      file,
      line: 0,
      column: 0,
      path: [],
      code: 'file-unreadable',
      message: message.fileUnreadable(read.reason),
    },
  };
}
