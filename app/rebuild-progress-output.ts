import { everyInterval, type RebuildProgress } from '../projections/runtime/rebuild-progress.ts';

export interface ProgressStream { readonly isTTY?: boolean; write(text: string): unknown }

export function progressText(progress: RebuildProgress): string {
  const eta = progress.eta_seconds === null ? '' : `, about ${progress.eta_seconds} s left`;
  return `${progress.projection}: ${progress.events} of ~${progress.total} events (${progress.percent}%), ${progress.events_per_second} events/s${eta}`;
}

/**
 * The CLI's rebuild progress: on a terminal, one line redrawn in place (carriage return, clear to the end
 * of the line) a few times a second; piped into a file or another program, plain lines every `pipedEveryMs`
 * and a last one at the end, with neither carriage returns nor escape sequences.
 */
export function progressOutput(stream: ProgressStream, options: { now?: () => number; pipedEveryMs?: number } = {}) {
  const tty = stream.isTTY === true;
  const due = everyInterval(tty ? 100 : (options.pipedEveryMs ?? 2000), options.now);
  let last: RebuildProgress | undefined;
  let drawn: RebuildProgress | undefined;
  const draw = (progress: RebuildProgress) => {
    drawn = progress;
    stream.write(tty ? `\r${progressText(progress)}\u001b[K` : `${progressText(progress)}\n`);
  };
  return {
    start(projection: string, total: number) {
      stream.write(`rebuilding ${projection}: ~${total} events to replay\n`);
    },
    update(progress: RebuildProgress) {
      last = progress;
      if (due()) draw(progress);
    },
    /** After the swap: the total was an estimate, so the last line says 100% with the events really replayed. */
    end() {
      if (last && !(last === drawn && last.percent === 100)) draw({ ...last, percent: 100, eta_seconds: 0 });
      if (tty) stream.write('\n');
    },
  };
}
