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
  parseAllDocuments,
  parseDocument,
  visit,
  type Document,
  type Node,
  type Scalar,
} from 'yaml';
import type { IssuePath } from './issue.js';
import { message } from './messages.js';

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
    /** The node paths start from; default the document's root (see `child`). */
    private readonly root: unknown = doc.contents,
  ) {}

  /** The source of the value at `path`, paths then starting there (an item of a Kubernetes List). */
  child(path: IssuePath): YamlSource {
    let node: unknown = this.root;
    for (const key of path) node = childOf(node, key)?.value;
    return new YamlSource(this.doc, this.lines, node ?? this.root);
  }

  /** Where the value at `path` is; for a missing key, where its nearest existing parent is. */
  locate(path: IssuePath): Position {
    let node: unknown = this.root;
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
    let node: unknown = this.root;
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

/** Keys that repeat a key of the same mapping (the later ones), at most `max`; linear in the document. */
function duplicateKeys(root: unknown, max: number): Scalar[] {
  const out: Scalar[] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0 && out.length < max) {
    const n = stack.pop();
    if (isMap(n)) {
      const seen = new Set<string>();
      for (const p of n.items) {
        if (!isPair(p)) continue;
        if (isScalar(p.key)) {
          const k = String(p.key.value);
          if (seen.has(k) && out.length < max) out.push(p.key);
          seen.add(k);
        }
        stack.push(p.value);
      }
    } else if (isSeq(n)) stack.push(...n.items);
  }
  return out.sort((a, b) => (a.range?.[0] ?? 0) - (b.range?.[0] ?? 0));
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

/** Syntax problems listed per file; the first ones are the ones to fix, later ones often follow from them. */
const MAX_SYNTAX_PROBLEMS = 20;

/**
 * Flow nesting ([[[[ or {a: {a: ...) is refused before the parser, whose recursion it would exhaust: the
 * problem at its place, or undefined when the text is shallow enough. Shared by readYaml and readYamlStream.
 */
function flowDepthProblem(
  text: string,
  lines: LineCounter,
): { ok: false; problems: { code: 'too-deep'; message: string; at: Position }[] } | undefined {
  const deepAt = flowTooDeep(text, MAX_DEPTH);
  if (deepAt < 0) return undefined;
  for (const start of lineStarts(text, deepAt)) lines.addNewLine(start);
  return {
    ok: false,
    problems: [{ code: 'too-deep', message: message.tooDeep(MAX_DEPTH), at: positionOf(lines, deepAt) }],
  };
}

/** The parser options of every read: strict, positions counted, and duplicate keys left to our hashed check. */
function parseOptions(lines: LineCounter) {
  return {
    lineCounter: lines,
    prettyErrors: false,
    // The yaml package's own check compares every key with every other (50,000 keys: 47 s); ours hashes.
    uniqueKeys: false,
    strict: true,
  } as const;
}

/** Parses `text`; on failure returns every syntax problem with its place. */
export function readYaml(text: string): YamlRead {
  const lines = new LineCounter();
  const flowDeep = flowDepthProblem(text, lines);
  if (flowDeep !== undefined) return flowDeep;
  const doc = parseDocument(text, parseOptions(lines));
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.slice(0, MAX_SYNTAX_PROBLEMS).map((e) => {
        // Without prettyErrors the yaml package leaves linePos unset: locate the offset ourselves.
        const at = positionOf(lines, e.pos[0]);
        // Deep block nesting can still exhaust the parser's stack; the yaml package reports it as an error.
        if (e.message.includes('Maximum call stack size exceeded'))
          return { code: 'too-deep' as const, message: message.tooDeep(MAX_DEPTH), at };
        return { code: 'syntax' as const, message: e.message.split('\n')[0] ?? e.message, at };
      }),
    };
  }
  const duplicates = duplicateKeys(doc.contents, MAX_SYNTAX_PROBLEMS);
  if (duplicates.length > 0) {
    return {
      ok: false,
      problems: duplicates.map((key) => ({
        code: 'syntax' as const,
        message: message.duplicateKey(String(key.value)),
        at: positionOf(lines, key.range?.[0]),
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
          message: message.tooDeep(MAX_DEPTH),
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

/**
 * The offset where `[` and `{` nesting first passes `limit`, or -1. Quoted scalars (a quote that starts a
 * token) and comments are skipped; an apostrophe inside a plain word (Istio's) is not a quote. A heuristic
 * guard, linear and allocation-free: anything it misses, the parser and tooDeep still catch.
 */
function flowTooDeep(text: string, limit: number): number {
  let depth = 0;
  let tokenStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '[' || c === '{') {
      if (++depth > limit) return i;
    } else if ((c === ']' || c === '}') && depth > 0) depth--;
    else if (c === '#' && tokenStart) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '"' && tokenStart) {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === "'" && tokenStart) {
      for (i++; i < text.length; i++) {
        if (text[i] !== "'") continue;
        if (text[i + 1] === "'")
          i++; // '' is an escaped quote
        else break;
      }
    }
    tokenStart =
      c === ' ' || c === '\t' || c === '\n' || c === '[' || c === '{' || c === ',' || c === ':' || c === '-';
  }
  return -1;
}

/** Offsets of the line starts before `end`, to feed a LineCounter without parsing. */
function* lineStarts(text: string, end: number): Generator<number> {
  yield 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) yield i + 1;
}

function positionOf(lines: LineCounter, offset: number | undefined): Position {
  if (offset === undefined || offset < 0) return { line: 1, column: 1 };
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}

/** One document of a multi-document stream (`---` separated), read with the same bounds as readYaml. */
export interface YamlDocumentRead {
  readonly data: unknown;
  readonly source: YamlSource;
}

/**
 * Parses a multi-document stream (Kubernetes manifests, `kubectl get -o yaml` output): every document's
 * data with its own source map, or every problem with its place. The bounds of readYaml apply to each
 * document (flow nesting over the whole text first, then depth, duplicate keys and aliases per document).
 */
export function readYamlStream(text: string):
  | { ok: true; documents: YamlDocumentRead[] }
  | {
      ok: false;
      problems: { code: 'syntax' | 'alias-limit' | 'too-deep'; message: string; at: Position }[];
    } {
  const lines = new LineCounter();
  const flowDeep = flowDepthProblem(text, lines);
  if (flowDeep !== undefined) return flowDeep;
  const parsed = parseAllDocuments(text, parseOptions(lines));
  const docs = Array.isArray(parsed) ? parsed : [];
  const problems: { code: 'syntax' | 'alias-limit' | 'too-deep'; message: string; at: Position }[] = [];
  const documents: YamlDocumentRead[] = [];
  for (const doc of docs) {
    for (const e of doc.errors.slice(0, MAX_SYNTAX_PROBLEMS))
      problems.push({
        code: 'syntax',
        message: e.message.split('\n')[0] ?? e.message,
        at: positionOf(lines, e.pos[0]),
      });
    if (doc.errors.length > 0) continue;
    for (const key of duplicateKeys(doc.contents, MAX_SYNTAX_PROBLEMS))
      problems.push({
        code: 'syntax',
        message: message.duplicateKey(String(key.value)),
        at: positionOf(lines, key.range?.[0]),
      });
    const deep = tooDeep(doc.contents, MAX_DEPTH);
    if (deep !== undefined) {
      problems.push({
        code: 'too-deep',
        message: message.tooDeep(MAX_DEPTH),
        at: positionOf(lines, (deep as Node | null)?.range?.[0]),
      });
      continue;
    }
    try {
      documents.push({
        data: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }),
        source: new YamlSource(doc, lines),
      });
    } catch (e) {
      if (!(e instanceof ReferenceError)) throw e;
      problems.push({
        code: 'alias-limit',
        message: `YAML aliases expand past ${MAX_ALIAS_COUNT} copies (a "billion laughs" file?)`,
        at: positionOf(lines, explodingAlias(doc, MAX_ALIAS_COUNT)?.range?.[0]),
      });
    }
  }
  return problems.length > 0
    ? { ok: false, problems: problems.slice(0, MAX_SYNTAX_PROBLEMS) }
    : { ok: true, documents };
}
