/**
 * The value encoding of meshsim's parts files (format `meshsim-parts`, version 1; see scenarios/parts-format.md):
 * JSON in which every value a run's plain results hold survives the trip exactly, where `JSON.stringify`
 * alone would lose it. A run part carries `Float64Array`s (per unit and window counts), infinite and
 * not-a-number figures, negative zero and `undefined` fields; plain JSON turns the arrays into objects
 * keyed "0", "1", ... and the numbers into null, and a merged report would then differ from a one-machine
 * run. Each such value is written as a one-key tagged object:
 *
 * | value                      | written as                                   |
 * | -------------------------- | -------------------------------------------- |
 * | `Float64Array`             | `{"$f64": "<base64 of its little-endian bytes>"}` (every bit, NaN payloads too) |
 * | `Infinity`, `-Infinity`    | `{"$num": "Infinity"}`, `{"$num": "-Infinity"}` |
 * | `NaN`, `-0`                | `{"$num": "NaN"}`, `{"$num": "-0"}`         |
 * | `undefined`                | `{"$undefined": true}` (in arrays and as fields: `"x" in o` holds after the trip, as after a worker's structured clone) |
 * | an object with a key starting with `$` | `{"$object": {...}}`               |
 *
 * Any other value
 * (a Map, a class instance, another typed array, a function, a bigint) has no place in a part and throws
 * rather than being dropped.
 *
 * Contents: `encodePartValue`, `decodePartValue`.
 */

/** Encodes `value` as a JSON-safe value (see the table above). */
export function encodePartValue(value: unknown): unknown {
  if (value === undefined) return { $undefined: true };
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return { $num: 'NaN' };
    if (value === Infinity) return { $num: 'Infinity' };
    if (value === -Infinity) return { $num: '-Infinity' };
    if (Object.is(value, -0)) return { $num: '-0' };
    return value;
  }
  if (value instanceof Float64Array) {
    // Little-endian whatever the machine: a part written on one host is merged on another.
    const bytes = new Uint8Array(value.length * 8);
    const view = new DataView(bytes.buffer);
    value.forEach((x, i) => view.setFloat64(i * 8, x, true));
    return { $f64: Buffer.from(bytes).toString('base64') };
  }
  if (Array.isArray(value)) return value.map(encodePartValue);
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    let dollar = false;
    for (const [k, v] of Object.entries(value)) {
      if (k.startsWith('$')) dollar = true;
      out[k] = encodePartValue(v);
    }
    return dollar ? { $object: out } : out;
  }
  throw new TypeError(`encodePartValue: a ${describe(value)} has no encoding in a parts file`);
}

function describe(value: unknown): string {
  if (typeof value !== 'object' || value === null) return typeof value;
  return (value as object).constructor?.name ?? 'object without prototype';
}

/** The inverse of `encodePartValue`; throws on a tag it does not know (a newer or damaged file). */
export function decodePartValue(value: unknown, where = '$'): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v, i) => decodePartValue(v, `${where}[${i}]`));
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o);
  const tag = keys.length === 1 ? (keys[0] as string) : undefined;
  if (tag?.startsWith('$')) {
    const v = o[tag];
    switch (tag) {
      case '$undefined':
        return undefined;
      case '$num': {
        const n = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity, '-0': -0 }[String(v)];
        if (n === undefined) throw new SyntaxError(`${where}: unknown number "${String(v)}"`);
        return n;
      }
      case '$f64': {
        if (typeof v !== 'string') throw new SyntaxError(`${where}: $f64 is not base64 text`);
        const bytes = Buffer.from(v, 'base64');
        if (bytes.length % 8 !== 0) throw new SyntaxError(`${where}: $f64 of ${bytes.length} bytes`);
        const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
        const out = new Float64Array(bytes.length / 8);
        for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(i * 8, true);
        return out;
      }
      case '$object':
        return decodeFields(v as Record<string, unknown>, where);
      default:
        throw new SyntaxError(`${where}: unknown tag "${tag}" (a newer parts format?)`);
    }
  }
  return decodeFields(o, where);
}

function decodeFields(o: Record<string, unknown>, where: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k] = decodePartValue(v, `${where}.${k}`);
  return out;
}
