/** Hostile config texts, shared by the unit tests and the CLI tests. */

/** "Billion laughs": nine levels of nine aliases each, 9^9 strings once expanded. */
export function aliasBomb(): string {
  const lines = ['l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let level = 1; level < 9; level++) lines.push(`l${level}: &l${level} [${Array(9).fill(`*l${level - 1}`).join(', ')}]`);
  return `${lines.join('\n')}\n`;
}
