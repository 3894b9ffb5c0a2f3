import { identifier } from '../../contracts/ports/sql.ts';
import type { ProjectionTable } from '../runtime/projector.ts';

/**
 * For the runtime's own specs: a read model must be registered with a table, but the recorders those
 * specs use write into tables of the spec's own; this one stays empty.
 */
export function placeholderTable(base: string): ProjectionTable {
  return {
    base,
    schemaVersion: 1,
    view: `${base}_view`,
    async create(tx, table) {
      await tx.query(`CREATE TABLE ${identifier(table)} ()`);
    },
  };
}
