import { parseArgs } from 'node:util';
import type { Logger } from 'pino';
import { upcastEvent } from '../contracts/events/upcast.ts';
import { countDeadLetters, listDeadLetters, skipDeadLetters } from '../projections/runtime/dead-letters.sql.ts';
import { readProjections } from '../projections/runtime/projection-state.sql.ts';
import { rebuildProjection } from '../projections/runtime/rebuild-projection.ts';
import { acquireRebuildLock } from '../projections/runtime/rebuild-on-start.ts';
import { trackProgress } from '../projections/runtime/rebuild-progress.ts';
import { openSession } from '../gateways/postgres/session.ts';
import { progressOutput } from './rebuild-progress-output.ts';
import { retryDeadLetters } from '../projections/runtime/retry-dead-letters.ts';
import { postgresEventStore } from '../write-side/event-store/event-store.ts';
import { loadConfig } from './config.ts';
import { connectDatabase } from './database.ts';
import { createCommandHandler } from '../write-side/commands/command-handler.ts';
import { buildProjectors, projectorNamed } from './projectors.ts';
import { logFedProjections } from './service-plan.ts';

export const PROJECTIONS_USAGE = `  projections status                      checkpoint, head, lag and dead letters of every projection
  projections dead-letters [NAME]         events a projector could not apply (open dead letters)
  projections dead-letters skip ID...     resolve as skipped: every run of the projector, rebuilds too, passes over the event
  projections retry [NAME] [ID...]        apply dead-lettered events again, from the event on (all, or these ids; --id N too)
  projections rebuild NAME                rebuild into a fresh table from position 0 and swap it in live
`;

function table(rows: ReadonlyArray<Record<string, string | number>>): string {
  const first = rows[0];
  if (!first) return '(none)\n';
  const columns = Object.keys(first);
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return `${[line(columns), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(columns.map((c) => String(r[c]))))].join('\n')}\n`;
}

function parseId(text: string): number {
  const id = Number.parseInt(text, 10);
  if (!Number.isSafeInteger(id) || String(id) !== text) throw new Error(`not a dead letter id: "${text}"`);
  return id;
}

/** `todo projections …`: against DATABASE_URL, or the running instance's embedded database. */
export async function projectionsCommand(args: string[], logger: Logger): Promise<void> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({ args: rest, options: { id: { type: 'string', multiple: true } }, allowPositionals: true });
  const config = loadConfig();
  const database = await connectDatabase(config, logger);
  const logFed = logFedProjections(config.TRANSPORT);
  const { db } = database;
  const store = postgresEventStore(db, upcastEvent);
  // A rebuild replays history: the projectors' info lines about side effects (reminders scheduled, say)
  // would be one per past change, so here they say only what went wrong.
  const projectorLogger = logger.isLevelEnabled('debug') ? logger : logger.child({}, { level: 'warn' });
  const all = buildProjectors({ log: store, commands: createCommandHandler({ store }), clock: () => new Date(), logger: projectorLogger });
  const out = (text: string) => process.stdout.write(text);
  try {
    switch (sub ?? '') {
      case 'status': {
        const [states, head, dead] = await Promise.all([readProjections(db), store.readLogHead(), countDeadLetters(db)]);
        out(table(states.map((s) => ({
          projection: s.name,
          table: s.active_table ?? '-',
          checkpoint: s.checkpoint.position,
          head: head.position,
          lag: Math.max(0, head.position - s.checkpoint.position),
          dead_letters: dead.get(s.name) ?? 0,
          updated_at: s.updated_at,
          schema_version: s.schema_version,
        }))));
        return;
      }
      case 'dead-letters': {
        if (positionals[0] === 'skip') {
          const ids = positionals.slice(1).map(parseId);
          if (ids.length === 0) throw new Error('dead-letters skip needs the id of at least one dead letter');
          const skipped = await skipDeadLetters(db, ids);
          for (const letter of skipped) out(`skipped  ${letter.projection} #${letter.id} task ${letter.stream_id} version ${letter.version}\n`);
          const unknown = ids.filter((id) => !skipped.some((letter) => letter.id === id));
          if (unknown.length > 0) throw new Error(`no dead letter with id ${unknown.join(', ')}`);
          return;
        }
        const letters = await listDeadLetters(db, positionals[0]);
        out(table(letters.map((d) => ({ id: d.id, projection: d.projection, position: d.position, task: d.stream_id, version: d.version, type: d.type, attempts: d.attempts, error: d.error }))));
        return;
      }
      case 'retry': {
        const given = [...(values.id ?? []), ...positionals.slice(1)].map(parseId);
        const ids = given.length > 0 ? given : undefined;
        const projectors = positionals[0] ? [projectorNamed(all, positionals[0])] : all;
        let failed = 0;
        for (const projector of projectors) {
          const feed = logFed.has(projector.name) ? 'log' : 'bus';
          for (const outcome of await retryDeadLetters(db, store, projector, { ...(ids ? { ids } : {}), feed })) {
            out(`${outcome.resolution ?? 'failed'}`.padEnd(9) + `${projector.name} #${outcome.dead_letter.id} task ${outcome.dead_letter.stream_id}${outcome.error ? `: ${outcome.error}` : ''}\n`);
            if (!outcome.ok) failed += 1;
          }
        }
        if (failed > 0) process.exitCode = 1;
        return;
      }
      case 'rebuild': {
        const name = positionals[0];
        if (!name) throw new Error('rebuild needs a projection name');
        const projector = projectorNamed(all, name);
        const session = await openSession(db.url, 'todo-projections-rebuild');
        try {
          await acquireRebuildLock(session, name, { onWaiting: () => process.stderr.write(`waiting for another rebuild of ${name} to finish\n`) });
          const head = await store.readLogHead();
          const progress = trackProgress(name, head.position);
          const output = progressOutput(process.stderr);
          output.start(name, head.position);
          const report = await rebuildProjection(db, store, projector, {
            onProgress: (events) => output.update(progress.update(events)),
            onDeadLettered: (event, error) => process.stderr.write(`dead-lettered and skipped (policy of ${name}): event ${event.event_id} of task ${event.stream_id}: ${error instanceof Error ? error.message : String(error)}\n`),
          });
          output.end();
          out(`rebuilt ${report.projection}: ${report.from_table} → ${report.to_table}, ${report.events} events in ${report.seconds.toFixed(1)} s ` +
            `(${Math.round(report.events / Math.max(report.seconds, 0.001))} events/s)\n`);
        } finally {
          await session.close();
        }
        return;
      }
      default:
        throw new Error(`unknown projections command "${sub ?? ''}"\n${PROJECTIONS_USAGE}`);
    }
  } finally {
    await database.close();
  }
}
