import type { Logger } from 'pino';
import type { EventLog } from '../contracts/ports/event-log.ts';
import { auditProjector } from '../projections/audit/audit.projector.ts';
import { createNotificationProjector } from '../projections/notification/notification.projector.ts';
import { createRecurringProjector } from '../projections/recurring/recurring.projector.ts';
import type { Projector } from '../projections/runtime/projector.ts';
import { taskViewProjector } from '../projections/task-view/task-view.projector.ts';
import type { CommandHandler } from '../write-side/commands/command-handler.ts';

/** What projectors may be given: the log, the command handler (projectors talk to the write side only
 *  through commands), a clock and a logger. */
export interface ProjectorDeps {
  readonly log: EventLog;
  readonly commands: CommandHandler;
  readonly clock: () => Date;
  readonly logger: Logger;
}

/** Every projector Todo has: the runtime's and the CLI's single list. */
export function buildProjectors(deps: ProjectorDeps): Projector[] {
  return [taskViewProjector, auditProjector, createRecurringProjector(deps), createNotificationProjector(deps.log, deps.logger)];
}

export function projectorNamed(projectors: readonly Projector[], name: string): Projector {
  const projector = projectors.find((p) => p.name === name);
  if (!projector) throw new Error(`no projection named "${name}"; one of: ${projectors.map((p) => p.name).join(', ')}`);
  return projector;
}
