import { cursorCodec, int32, oneOf, uuid } from '../../contracts/cursor.ts';
import { ORDERS, SORTS, type Order, type Sort } from '../../contracts/queries.ts';

/**
 * Where a page ended: its last task, at the version it had then, bound to the sort it was made for. The
 * sort key itself is not in the cursor (a title would make its length depend on the content); the next
 * page finds it from the task at that version (see page-anchor.ts).
 */
export interface TaskCursor { readonly sort: Sort; readonly order: Order; readonly task_id: string; readonly version: number }

const codec = cursorCodec(4, { sort: oneOf(SORTS), order: oneOf(ORDERS), task_id: uuid, version: int32 });

export function encodeCursor(cursor: TaskCursor): string {
  return codec.encode(cursor);
}

export function decodeCursor(text: string): TaskCursor | null {
  const cursor = codec.decode(text);
  return cursor && cursor.version >= 1 ? cursor : null;
}
