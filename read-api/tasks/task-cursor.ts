import { z } from 'zod';
import { ORDERS, SORTS, type Order, type Sort } from '../../contracts/queries.ts';

/** Where a page ended: the sort key and id of its last row, bound to the sort it was made for. */
export interface TaskCursor { readonly sort: Sort; readonly order: Order; readonly key: string; readonly id: string }

const Encoded = z.strictObject({ s: z.enum(SORTS), o: z.enum(ORDERS), k: z.string(), i: z.uuid() });

export function encodeCursor(cursor: TaskCursor): string {
  return Buffer.from(JSON.stringify({ s: cursor.sort, o: cursor.order, k: cursor.key, i: cursor.id })).toString('base64url');
}

export function decodeCursor(text: string): TaskCursor | null {
  try {
    const parsed = Encoded.safeParse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    return parsed.success ? { sort: parsed.data.s, order: parsed.data.o, key: parsed.data.k, id: parsed.data.i } : null;
  } catch {
    return null;
  }
}
