import pg from 'pg';

/*
 * Counts the statements this process sends to PostgreSQL, by their first words, at the driver: the bundled
 * server has no pg_stat_statements, and the service runs in the bench's own process, so every query of
 * the command path and of the projectors passes through `pg.Client#query`.
 */

export interface StatementCount {
  readonly total: number;
  /** Statements by kind (`BEGIN`, `INSERT INTO events`, `SELECT pg_advisory_xact_lock`, …), most frequent first. */
  readonly kinds: ReadonlyArray<{ readonly kind: string; readonly count: number }>;
}

/** A statement's first words, enough to tell the command path's and the projectors' statements apart. */
function kindOf(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim().replace(/^WITH \w+ AS \(/i, 'WITH … (');
  const from = /\bFROM ("?[\w.]+"?)/i.exec(flat);
  const where = /\bWHERE \(?("?[\w.]+"?)/i.exec(flat);
  return `${flat.split(' ').slice(0, 3).join(' ').slice(0, 50)}${from ? ` … FROM ${from[1] ?? ''}` : ''}${where ? ` WHERE ${where[1] ?? ''} …` : ''}`;
}

function textOf(config: unknown): string | null {
  if (typeof config === 'string') return config;
  if (typeof config === 'object' && config !== null && 'text' in config && typeof config.text === 'string') return config.text;
  return null; // a COPY stream or a cursor: not a statement we count
}

/** Starts counting; `stop` restores the driver and answers what was counted. */
export function countStatements(): { stop(): StatementCount } {
  const counts = new Map<string, number>();
  // A statement's kind is worked out once per text: the regular expressions per statement were the
  // counter's own cost, and it runs in the service's process, whose CPU the phase measures.
  const kinds = new Map<string, string>();
  const proto = pg.Client.prototype;
  const original = Reflect.get(proto, 'query') as (...args: unknown[]) => unknown;
  // Three parameters, not a rest array, and no Reflect.apply: the wrapper runs for every statement.
  Reflect.set(proto, 'query', function counted(this: pg.Client, config: unknown, values?: unknown, callback?: unknown): unknown {
    const text = textOf(config);
    if (text !== null) {
      let kind = kinds.get(text);
      if (kind === undefined) {
        kind = kindOf(text);
        kinds.set(text, kind);
      }
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
    }
    return original.call(this, config, values, callback);
  });
  return {
    stop() {
      Reflect.set(proto, 'query', original);
      const kinds = [...counts].map(([kind, count]) => ({ kind, count })).sort((a, b) => b.count - a.count);
      return { total: kinds.reduce((sum, k) => sum + k.count, 0), kinds };
    },
  };
}
