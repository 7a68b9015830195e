import type { Generated } from 'kysely';

/**
 * The `mlflow_outbox` table (migration `002_mlflow_outbox`) as Kysely sees it. Times are epoch
 * milliseconds (bigint on PostgreSQL, read back with `Number()`). State of a row:
 * delivered (`delivered_at` set), pending (`next_attempt_at` set), failed (both null: given up
 * after too many tries or a refusal; `myelin mlflow sync` tries failed rows again).
 */
export interface MlflowOutboxTable {
  id: Generated<number>;
  /** `run`, `version` or `alias`. */
  kind: string;
  /** The Myelin id: a run id, `model@version`, or `model:alias#<alias history id>`. */
  entity_id: string;
  /** JSON text: everything the delivery sends, captured when the row was queued. */
  payload: string;
  attempts: number;
  next_attempt_at: number | null;
  /** A flusher's lease: another process leaves the row alone until then. */
  claimed_until: number | null;
  delivered_at: number | null;
  last_error: string | null;
  created_at: number;
}

/** The slice of the database schema the outbox works on. */
export interface MlflowOutboxDatabase {
  mlflow_outbox: MlflowOutboxTable;
}
