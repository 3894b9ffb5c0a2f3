import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface EnsureOutcome {
  /** What the script printed on stdout (a path, for one that finds a program). */
  readonly out: string;
  /** Null when the tool is there; otherwise why not, in the script's own words. */
  readonly problem: string | null;
}

/**
 * Runs one of scripts/ensure-*.sh, which finds a system tool or installs it (as root, from Debian's
 * packages). What it says on stderr is shown as it happens (an install takes a while) and kept as the
 * explanation should it fail.
 */
export async function runEnsureScript(name: string): Promise<EnsureOutcome> {
  const script = fileURLToPath(new URL(`../../scripts/${name}`, import.meta.url));
  const child = spawn(script, { stdio: ['ignore', 'pipe', 'pipe'] });
  let said = '';
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString('utf8'); });
  child.stderr.on('data', (chunk: Buffer) => {
    process.stderr.write(chunk);
    said += chunk.toString('utf8');
  });
  const outcome = await new Promise<number | Error | null>((resolve) => {
    child.once('error', resolve);
    child.once('close', resolve);
  });
  const problem = outcome === 0 ? null : said.trim() || (outcome instanceof Error ? outcome.message : `${script} exited with ${String(outcome)}`);
  return { out, problem };
}
