import type { Logger } from 'pino';
import type { EventLog } from '../contracts/ports/event-log.ts';
import { createAuditProjection } from '../projections/read-models/audit/audit.projection.ts';
import { createNotificationProjection } from '../projections/read-models/notification/notification.projection.ts';
import { createRecurringReactor } from '../projections/reactors/recurring/recurring.reactor.ts';
import type { Projector } from '../projections/runtime/projector.ts';
import { createTaskViewProjection } from '../projections/read-models/task-view/task-view.projection.ts';
import type { CommandHandler } from '../write-side/commands/command-handler.ts';

/** What the consumers of the log may be given: the log, the command handler (only reactors get it: they
 *  talk to the write side through commands), a clock and a logger. */
export interface ProjectorDeps {
  readonly log: EventLog;
  readonly commands: CommandHandler;
  readonly clock: () => Date;
  readonly logger: Logger;
}

/** Every log consumer the log runtime runs in `all` (read models and reactors): the runtime's and the CLI's single list. */
export function buildProjectors(deps: ProjectorDeps): Projector[] {
  return [createTaskViewProjection(deps.log), createAuditProjection(deps.log), createRecurringReactor(deps), createNotificationProjection(deps.log, deps.logger)];
}

export function projectorNamed(projectors: readonly Projector[], name: string): Projector {
  const projector = projectors.find((p) => p.name === name);
  if (!projector) throw new Error(`no projection named "${name}"; one of: ${projectors.map((p) => p.name).join(', ')}`);
  return projector;
}
