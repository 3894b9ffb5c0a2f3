import { readFile } from 'node:fs/promises';

/*
 * What /proc says about a process (Linux). A pid in a file outlives its process and is reused; these tell
 * whether the process running under it now is the one the file meant. Null where /proc cannot tell.
 */

/** Linux's USER_HZ, the unit of start times in /proc: 100 on every architecture Node runs on. */
const TICKS_PER_SECOND = 100;

/** When the process started, to within a second (the boot time /proc gives is in whole seconds). */
export async function processStartedAt(pid: number): Promise<Date | null> {
  const [stat, system] = await Promise.all([readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null), readFile('/proc/stat', 'utf8').catch(() => null)]);
  if (stat === null || system === null) return null;
  // Fields after the command name (in parentheses, which may contain spaces); starttime is field 22.
  const ticks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
  const bootSeconds = Number(/^btime (\d+)$/m.exec(system)?.[1]);
  if (!Number.isFinite(ticks) || !Number.isFinite(bootSeconds)) return null;
  return new Date((bootSeconds + ticks / TICKS_PER_SECOND) * 1000);
}

/** The process's arguments, its own name first. */
export async function processArguments(pid: number): Promise<string[] | null> {
  const cmdline = await readFile(`/proc/${pid}/cmdline`).catch(() => null);
  if (cmdline === null || cmdline.length === 0) return null;
  return cmdline.toString('utf8').replace(/\0$/, '').split('\0');
}
