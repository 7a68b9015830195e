import type { Generated } from 'kysely';

/**
 * The `mlflow_outbox` table (migrations `002_mlflow_outbox` and `003_mlflow_outbox_target`) as
 * Kysely sees it: one row per tracking server and thing to mirror. Times are epoch milliseconds
 * (bigint on PostgreSQL, read back with `Number()`). State of a row: delivered (`delivered_at`
 * set), pending (`next_attempt_at` set), failed (both null: given up after too many tries, or
 * `refused` by MLflow; `myelin mlflow sync` tries failed rows again, refused ones with
 * `--retry-refused`).
 */
export interface MlflowOutboxTable {
  id: Generated<number>;
  /** The tracking server the row is delivered to (its normalised URI); `''` for rows from before 003. */
  target: string;
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
  /** JSON list of the items MLflow refused and the delivery skipped (`SkippedItem[]`), or null. */
  skipped: string | null;
  /** 1 when MLflow refused the whole row (a 4xx): trying again changes nothing. */
  refused: number;
  created_at: number;
}

/** The slice of the database schema the outbox works on. */
export interface MlflowOutboxDatabase {
  mlflow_outbox: MlflowOutboxTable;
}
