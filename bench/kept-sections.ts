/*
 * docs/benchmarks.md is written by `npm run bench`, except for sections written by hand (a profile's
 * before/after, say), which sit between these markers. A run keeps them, after what it generated.
 */

const BEGIN = '<!-- hand-written: kept by npm run bench -->';
const END = '<!-- end of hand-written section -->';

/** The generated document followed by every hand-written section of the previous one, unchanged. */
export function keepHandWrittenSections(previous: string, generated: string): string {
  const kept: string[] = [];
  let from = 0;
  for (;;) {
    const begin = previous.indexOf(BEGIN, from);
    if (begin === -1) break;
    const end = previous.indexOf(END, begin);
    if (end === -1) break;
    kept.push(previous.slice(begin, end + END.length));
    from = end + END.length;
  }
  return kept.length === 0 ? generated : `${generated.trimEnd()}\n\n${kept.join('\n\n')}\n`;
}
