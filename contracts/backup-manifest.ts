import { z } from 'zod';

/** Bumped when a backup's layout changes in a way an older `todo restore` could not read. */
export const BACKUP_FORMAT_VERSION = 1;

/** The files of DATA_DIR a restore needs beside the database, copied into the backup's data-dir/ when present. */
export const DATA_DIR_FILES = ['auth-secret', 'postgres-password'] as const;

export const BackupFormat = z.enum(['logical', 'physical']);
export type BackupFormat = z.infer<typeof BackupFormat>;

/** manifest.json at the top of a backup folder written by `todo backup`. */
export const BackupManifest = z.object({
  format: BackupFormat,
  format_version: z.literal(BACKUP_FORMAT_VERSION),
  /** The server's version as it reports it (server_version), and its number (server_version_num). */
  server_version: z.string(),
  server_version_num: z.number().int(),
  /** The major of the client tools that wrote it; a restore uses tools at least this new. */
  tools_major: z.number().int(),
  /** Where the database came from: the embedded PostgreSQL of a DATA_DIR, or a DATABASE_URL server. */
  source: z.enum(['embedded', 'external']),
  created_at: z.iso.datetime(),
  /** The newest event a reader could see when the backup was taken, and how many events there were. */
  log_head: z.object({ transaction_id: z.string(), position: z.number().int().nonnegative() }),
  event_count: z.number().int().nonnegative(),
  /** The database part: a pg_dump directory archive (logical) or a pg_basebackup data folder (physical). */
  database: z.string(),
  /** DATA_DIR files copied beside it (see DATA_DIR_FILES). */
  data_dir_files: z.array(z.enum(DATA_DIR_FILES)),
  /** Seconds the backup took and its size on disk, for the operator's records. */
  duration_seconds: z.number().nonnegative(),
  size_bytes: z.number().int().nonnegative(),
});
export type BackupManifest = z.infer<typeof BackupManifest>;
