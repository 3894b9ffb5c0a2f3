import { Config } from '../contracts/config.ts';
import { toFieldErrors } from '../contracts/validation.ts';

/** Reads and validates the environment once; a bad variable stops the process with every problem listed. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Config.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = toFieldErrors(parsed.error).map((e) => `  ${e.path}: ${e.message}`);
  throw new Error(`invalid configuration:\n${lines.join('\n')}`);
}
