/** The metric families a Prometheus text exposition declares (`# TYPE name type`), by name. */
export function declaredFamilies(exposition: string): Map<string, string> {
  const families = new Map<string, string>();
  for (const match of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    const [, name, type] = match;
    if (name && type) families.set(name, type);
  }
  return families;
}

const SERIES_SUFFIXES: Readonly<Record<string, readonly string[]>> = {
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['_sum', '_count'],
};

/** Whether a series name a query selects belongs to one of the families (a histogram's `_bucket` to the histogram). */
export function isExported(name: string, families: ReadonlyMap<string, string>): boolean {
  if (families.has(name)) return true;
  for (const [family, type] of families) {
    if ((SERIES_SUFFIXES[type] ?? []).some((suffix) => name === `${family}${suffix}`)) return true;
  }
  return false;
}
