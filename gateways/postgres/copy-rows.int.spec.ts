import { describe, expect, it } from 'vitest';
import { testDatabase } from '../../test/support/test-database.ts';
import type { CopyValue } from '../../contracts/ports/sql.ts';

const awkward = ['', 'plain', 'tab\there', 'line\nbreak', 'carriage\rreturn', 'back\\slash', '\\N', 'NULL', 'quote"d', "it's",
  '{braces}', 'comma,separated', 'ünïcødé ✓', ' padded ', '\\\\ two', 'end\\'];

describe('copyRows: COPY … FROM STDIN in a transaction', () => {
  it('writes every value back exactly as given: text with escapes, numbers, NULLs, text[] and json text', async () => {
    const { db } = await testDatabase();
    await db.query('CREATE TABLE copied (id integer PRIMARY KEY, label text, tags text[], doc jsonb, at timestamptz, amount bigint)');
    const rows: (readonly CopyValue[])[] = awkward.map((label, i) => [
      i, label, [label, `${label}-2`], JSON.stringify({ label, nested: [label] }), i % 2 ? null : '2026-03-29T01:30:00.000Z', 2 ** 40 + i,
    ]);
    rows.push([awkward.length, null, [], null, null, null]);
    // More rows than fit one chunk of the stream, so the data crosses several socket writes.
    for (let i = 0; i < 3000; i += 1) rows.push([1000 + i, `row ${i}\t${'x'.repeat(40)}`, ['a', 'b'], '[]', null, i]);

    await db.transaction((tx) => tx.copyRows('copied', ['id', 'label', 'tags', 'doc', 'at', 'amount'], rows));

    const back = await db.query<{ id: number; label: string | null; tags: string[]; doc: unknown; at: Date | null; amount: string | null }>(
      'SELECT id, label, tags, doc, at, amount FROM copied ORDER BY id');
    expect(back.rows).toHaveLength(rows.length);
    for (const [i, label] of awkward.entries()) {
      expect(back.rows[i]).toEqual({
        id: i, label, tags: [label, `${label}-2`], doc: { label, nested: [label] },
        at: i % 2 ? null : new Date('2026-03-29T01:30:00.000Z'), amount: String(2 ** 40 + i),
      });
    }
    expect(back.rows[awkward.length]).toEqual({ id: awkward.length, label: null, tags: [], doc: null, at: null, amount: null });
    expect(back.rows.at(-1)).toMatchObject({ id: 3999, label: `row 2999\t${'x'.repeat(40)}` });
  });

  it('writes nothing when a row is refused: the transaction rolls back and the error reaches the caller', async () => {
    const { db } = await testDatabase();
    await db.query('CREATE TABLE strict (id integer PRIMARY KEY)');
    const copying = db.transaction((tx) => tx.copyRows('strict', ['id'], [[1], [2], [1]]));
    await expect(copying).rejects.toMatchObject({ code: '23505' });
    expect((await db.query('SELECT count(*)::int AS n FROM strict')).rows).toEqual([{ n: 0 }]);
  });

  it('refuses a number COPY cannot write and a name that is not a plain identifier', async () => {
    const { db } = await testDatabase();
    await db.query('CREATE TABLE numbers (n float8)');
    await expect(db.transaction((tx) => tx.copyRows('numbers', ['n'], [[Number.NaN]]))).rejects.toThrow(RangeError);
    await expect(db.transaction((tx) => tx.copyRows('numbers; DROP TABLE numbers', ['n'], [[1]]))).rejects.toThrow(/identifier/);
  });
});
