/**
 * Instructions per JS function, from callgrind and V8's perf map: where a run's instructions go, by the
 * function V8 compiled (optimized `*` and baseline `^` tiers apart) or the builtin it called. CPU profiles
 * sample time on a loaded machine; this counts, so two trees compare exactly (up to JIT timing).
 *
 *   valgrind --tool=callgrind --dump-instr=yes --callgrind-out-file=/tmp/cg.out \
 *     node --single-threaded --predictable --predictable-gc-schedule --perf-basic-prof --import tsx/esm some-run.ts
 *   node --import tsx/esm test/bench/instructions-by-function.ts /tmp/cg.out /tmp/perf-<pid>.map [top]
 *
 * Each instruction address callgrind reports is looked up among the JIT code ranges of the perf map;
 * addresses outside every range are Node's and V8's C++ (start-up, compilation, GC). A single run includes
 * start-up: compare the mapped JS part, or fit two run lengths (see s20-17r's notes) for totals.
 * `--single-threaded` compiles and collects on the main thread: two runs of one tree then count within
 * 0.05% of each other (3,862.6 M and 3,864.6 M for an 8 s mesh bench), where background compilation
 * finishing at varying points made them differ by ~2% (5,089.6 M and 5,183.6 M for 16 s), more than most
 * changes measured. V8's heap growth still follows wall-clock allocation rates, so runs under different
 * machine load drifted by ~2,000 instructions per request; `--predictable-gc-schedule` fixes the schedule.
 * Without tsx (a bundle made with esbuild) start-up is smaller still.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

interface CodeRange {
  start: number;
  size: number;
  name: string;
}

function readPerfMap(file: string): CodeRange[] {
  const ranges: CodeRange[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^([0-9a-f]+) ([0-9a-f]+) (.*)$/.exec(line);
    if (m !== null)
      ranges.push({
        start: parseInt(m[1] as string, 16),
        size: parseInt(m[2] as string, 16),
        name: m[3] as string,
      });
  }
  return ranges.sort((a, b) => a.start - b.start);
}

/** The code range holding `address`, or undefined (native code). Ranges may overlap after code is freed. */
function rangeOf(ranges: readonly CodeRange[], address: number): CodeRange | undefined {
  let lo = 0;
  let hi = ranges.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((ranges[mid] as CodeRange).start <= address) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  for (let i = best; i >= 0 && i > best - 20; i--) {
    const r = ranges[i] as CodeRange;
    if (address < r.start + r.size) return r;
  }
  return undefined;
}

/** Self instructions per address from a callgrind file written with `--dump-instr=yes`. */
async function selfByAddress(file: string): Promise<Map<number, number>> {
  const byAddress = new Map<number, number>();
  let address = 0;
  let callCost = false;
  const lines = createInterface({ input: createReadStream(file) });
  for await (const line of lines) {
    if (line.startsWith('fn=')) {
      address = 0;
      continue;
    }
    // The cost line after `calls=` is the callee's inclusive cost, not this function's own.
    if (line.startsWith('calls=')) {
      callCost = true;
      continue;
    }
    const c = line.charAt(0);
    if (!(c === '0' || c === '+' || c === '-' || c === '*')) continue;
    const [position, , ir] = line.split(' ');
    if (position === undefined) continue;
    // Absolute positions are hex (0x...); relative ones (+n, -n) are decimal: read as hex, an address drifted
    // off its instruction within a run of relative lines (checked against V8's --print-opt-code listing).
    if (position.startsWith('0x')) address = parseInt(position, 16);
    else if (c === '+') address += parseInt(position.slice(1), 10);
    else if (c === '-') address -= parseInt(position.slice(1), 10);
    if (callCost) {
      callCost = false;
      continue;
    }
    byAddress.set(address, (byAddress.get(address) ?? 0) + Number(ir ?? 0));
  }
  return byAddress;
}

const [cgFile, mapFile, topArg] = process.argv.slice(2);
if (cgFile === undefined || mapFile === undefined) {
  console.error('usage: instructions-by-function.ts CALLGRIND_OUT PERF_MAP [TOP]');
  process.exit(2);
}
const ranges = readPerfMap(mapFile);
const byName = new Map<string, number>();
let total = 0;
let mapped = 0;
for (const [address, ir] of await selfByAddress(cgFile)) {
  const range = rangeOf(ranges, address);
  total += ir;
  if (range !== undefined) mapped += ir;
  const name = range?.name.replace(/file:\/\/\S*?\/(src|test)\//, '$1/') ?? '(native: Node and V8 C++)';
  byName.set(name, (byName.get(name) ?? 0) + ir);
}
console.log(`${total} instructions, ${((100 * mapped) / total).toFixed(1)}% in JIT code and builtins`);
const top = [...byName].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg ?? 60));
for (const [name, ir] of top)
  console.log(`${((100 * ir) / total).toFixed(2).padStart(6)}%  ${String(ir).padStart(12)}  ${name}`);
