/**
 * Reads a scenario file's text as YAML (JSON is YAML too) into plain data, and keeps the parsed document so
 * that any field path can be located at a line and column afterwards.
 *
 * Hostile input is bounded: alias expansion is capped (a "billion laughs" file fails fast), and nesting
 * deeper than any scenario needs is refused before conversion.
 */
import {
  LineCounter,
  isAlias,
  isCollection,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseDocument,
  visit,
  type Document,
  type Node,
} from 'yaml';
import type { IssuePath } from './issue.js';

/** No scenario nests deeper than about 8 levels; 64 leaves room and stops stack-busting input. */
export const MAX_DEPTH = 64;
/** Aliases are legitimate for sharing a distribution; hundreds are not. */
export const MAX_ALIAS_COUNT = 100;

export interface Position {
  line: number;
  column: number;
}

export type YamlRead =
  | { ok: true; data: unknown; source: YamlSource }
  | { ok: false; problems: { code: 'syntax' | 'alias-limit' | 'too-deep'; message: string; at: Position }[] };

export class YamlSource {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /** Where the value at `path` is; for a missing key, where its nearest existing parent is. */
  locate(path: IssuePath): Position {
    let node: unknown = this.doc.contents;
    let best = this.position(node);
    for (const key of path) {
      const next = childOf(node, key);
      if (next === undefined) break;
      node = next.value ?? next.key;
      // A mapping or list under a key starts on the line after it: point at the key the user wrote.
      best = this.position(isCollection(next.value) ? next.key : (next.value ?? next.key)) ?? best;
    }
    return best ?? { line: 1, column: 1 };
  }

  /** Where the key `key` of the map at `path` is written (for unknown keys). */
  locateKey(path: IssuePath, key: string): Position {
    let node: unknown = this.doc.contents;
    for (const p of path) node = childOf(node, p)?.value;
    const entry = childOf(node, key);
    return this.position(entry?.key) ?? this.locate(path);
  }

  private position(node: unknown): Position | undefined {
    const range = (node as Node | undefined)?.range;
    if (range === undefined || range === null) return undefined;
    const { line, col } = this.lines.linePos(range[0]);
    return { line, column: col };
  }
}

function childOf(node: unknown, key: string | number): { key: unknown; value: unknown } | undefined {
  if (isMap(node)) {
    const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(key));
    return pair === undefined ? undefined : { key: pair.key, value: pair.value };
  }
  if (isSeq(node) && typeof key === 'number') {
    const item = node.items[key];
    return item === undefined ? undefined : { key: item, value: item };
  }
  return undefined;
}

/** The first node nested deeper than `limit`, if any. */
function tooDeep(node: unknown, limit: number): unknown {
  // Iterative, so that the depth check itself cannot overflow the stack.
  const stack: [unknown, number][] = [[node, 1]];
  while (stack.length > 0) {
    const [n, d] = stack.pop() as [unknown, number];
    if (d > limit) return n;
    if (isMap(n)) for (const p of n.items) if (isPair(p)) stack.push([p.value, d + 1], [p.key, d + 1]);
    if (isSeq(n)) for (const item of n.items) stack.push([item, d + 1]);
  }
  return undefined;
}

/** Parses `text`; on failure returns every syntax problem with its place. */
export function readYaml(text: string): YamlRead {
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: true,
    strict: true,
  });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => ({
        code: 'syntax' as const,
        message: e.message.split('\n')[0] ?? e.message,
        // Without prettyErrors the yaml package leaves linePos unset: locate the offset ourselves.
        at: positionOf(lines, e.pos[0]),
      })),
    };
  }
  const deep = tooDeep(doc.contents, MAX_DEPTH);
  if (deep !== undefined) {
    return {
      ok: false,
      problems: [
        {
          code: 'too-deep',
          message: `nesting deeper than ${MAX_DEPTH} levels`,
          at: positionOf(lines, (deep as Node | null)?.range?.[0]),
        },
      ],
    };
  }
  try {
    return {
      ok: true,
      data: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }),
      source: new YamlSource(doc, lines),
    };
  } catch (e) {
    // The yaml package signals alias expansion past maxAliasCount with a ReferenceError.
    if (e instanceof ReferenceError) {
      return {
        ok: false,
        problems: [
          {
            code: 'alias-limit',
            message: `YAML aliases expand past ${MAX_ALIAS_COUNT} copies (a "billion laughs" file?)`,
            at: positionOf(lines, explodingAlias(doc, MAX_ALIAS_COUNT)?.range?.[0]),
          },
        ],
      };
    }
    throw e;
  }
}

/**
 * The alias at which the copies made by aliases reach `limit`, to point the user at the explosion; counts
 * each node once (memoized), in document order, so it is linear in the file however large the expansion.
 */
function explodingAlias(doc: Document, limit: number): Node | undefined {
  const anchors = new Map<string, unknown>();
  const sizes = new Map<unknown, number>();
  const size = (node: unknown): number => {
    if (isAlias(node)) return size(anchors.get(node.source));
    const known = sizes.get(node);
    if (known !== undefined) return known;
    sizes.set(node, 0); // an alias inside its own anchor: counted as nothing here
    let n = 1;
    if (isMap(node)) for (const p of node.items) n += size(p.key) + size(p.value);
    if (isSeq(node)) for (const item of node.items) n += size(item);
    sizes.set(node, n);
    return n;
  };
  let copies = 0;
  let found: Node | undefined;
  visit(doc, {
    Node(_, node) {
      if (isAlias(node)) {
        copies += size(node);
        if (copies >= limit) {
          found = node;
          return visit.BREAK;
        }
      } else if (node.anchor !== undefined) anchors.set(node.anchor, node);
      return undefined;
    },
  });
  return found;
}

function positionOf(lines: LineCounter, offset: number | undefined): Position {
  if (offset === undefined || offset < 0) return { line: 1, column: 1 };
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}
