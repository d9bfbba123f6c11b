/**
 * Reads the marks out of a Vega SVG without an XML library: Vega writes each mark as
 * `<g class="mark-<type> role-mark <name>_marks" ...>` holding one element per item (a path, symbol, line or
 * text), with no nested groups for the mark types meshsim's charts use.
 */

/** One mark group: its Vega mark type and the items' opening tags and text. */
export interface MarkGroup {
  readonly type: string;
  readonly items: readonly { readonly tag: string; readonly ariaLabel: string; readonly text: string }[];
}

/** Every group of the named mark (one per facet cell or series), in document order. */
export function markGroups(svg: string, name: string): MarkGroup[] {
  const out: MarkGroup[] = [];
  const open = new RegExp(`<g class="mark-([a-z]+) role-mark ${name}_marks"[^>]*>`, 'g');
  for (const m of svg.matchAll(open)) {
    const start = (m.index ?? 0) + m[0].length;
    const end = svg.indexOf('</g>', start);
    if (end === -1) throw new Error(`unclosed mark group ${name}`);
    const body = svg.slice(start, end);
    if (body.includes('<g')) throw new Error(`mark group ${name} has nested groups`);
    const items = [...body.matchAll(/<(path|line|text|rect|circle)\b([^>]*?)(?:\/>|>([^<]*)<\/\1>)/g)].map(
      (i) => ({
        tag: i[1] ?? '',
        ariaLabel: /aria-label="([^"]*)"/.exec(i[2] ?? '')?.[1] ?? '',
        text: i[3] ?? '',
      }),
    );
    out.push({ type: m[1] ?? '', items });
  }
  return out;
}

/** All items of the named mark across its groups. */
export function markItems(svg: string, name: string): MarkGroup['items'] {
  return markGroups(svg, name).flatMap((g) => g.items);
}

/** Cheap well-formedness check: every element opened is closed, in order. */
export function isBalancedXml(xml: string): boolean {
  const stack: string[] = [];
  for (const m of xml.matchAll(/<(\/?)([a-zA-Z][\w:-]*)[^>]*?(\/?)>/g)) {
    const [, closing, tag, selfClosing] = m;
    if (selfClosing === '/') continue;
    if (closing === '/') {
      if (stack.pop() !== tag) return false;
    } else stack.push(tag ?? '');
  }
  return stack.length === 0;
}
