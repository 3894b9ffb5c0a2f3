import { uuidV5 } from '../../../contracts/uuid-v5.ts';

/**
 * The namespace of occurrence ids. Fixed forever: changing it would give every future occurrence a new id,
 * and a redelivered completion would then create its next task a second time.
 */
export const OCCURRENCE_NAMESPACE = 'd7e495d8-4263-4d5f-a326-ee727f73b510';

/** The id of a series' `occurrence`-th task: the same inputs always name the same task. */
export function occurrenceId(seriesId: string, occurrence: number): string {
  return uuidV5(OCCURRENCE_NAMESPACE, `${seriesId.toLowerCase()}:${occurrence}`);
}
