import type { Problem } from '../../contracts/problem.ts';
import { problem } from '../../contracts/problem.ts';
import { assertNever } from '../../domain/common/result.ts';
import type { CommandError } from '../commands/command-handler.ts';

/** Every way a command can fail, as the problem+json the client gets. */
export function commandProblem(error: CommandError): Problem {
  switch (error.code) {
    case 'validation':
      return problem('validation', 400, 'The task is not valid', { detail: error.errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors: [...error.errors] });
    case 'not_found':
      return problem('not_found', 404, 'No such task', { detail: `task ${error.task_id} does not exist` });
    case 'already_exists':
      return problem('already_exists', 409, 'A task with this id already exists', { detail: `task ${error.task_id} already exists` });
    case 'version_conflict':
      return problem('version_conflict', 409, 'The task was changed concurrently', {
        detail: `the task is now at version ${error.current_version}; reload it and try again`,
        current_version: error.current_version,
      });
    case 'precondition_failed':
      return problem('precondition_failed', 412, 'If-Match does not match the current version', {
        detail: `the task is at version ${error.current_version}`,
        current_version: error.current_version,
      });
    case 'idempotency_key_reused':
      return problem('idempotency_key_reused', 422, 'Idempotency-Key reused for a different request', {
        detail: 'a key answers the request it was first used with; use a new key for a new request',
      });
    default:
      return assertNever(error);
  }
}
