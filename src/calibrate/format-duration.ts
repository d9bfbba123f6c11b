/** Milliseconds as a duration string of the scenario format, 4 significant digits. */
export function ms(v: number): string {
  const r = Number(v.toPrecision(4));
  return `${r}ms`;
}
