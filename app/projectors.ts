import type { Projector } from '../projections/runtime/projector.ts';
import { taskViewProjector } from '../projections/task-view/task-view.projector.ts';

/** Every projector Todo has, by name: the CLI's and the runtime's single list. */
export const PROJECTORS: readonly Projector[] = [taskViewProjector];

export function projectorNamed(name: string): Projector {
  const projector = PROJECTORS.find((p) => p.name === name);
  if (!projector) throw new Error(`no projection named "${name}"; one of: ${PROJECTORS.map((p) => p.name).join(', ')}`);
  return projector;
}
