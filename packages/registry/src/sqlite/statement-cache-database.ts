import type SqliteDatabase from 'better-sqlite3';
import type { SqliteDatabase as KyselySqliteDatabase, SqliteStatement } from 'kysely';

/** How many prepared statements a connection keeps (the store's queries are a few dozen texts). */
const DEFAULT_CAPACITY = 256;

/**
 * A better-sqlite3 database as Kysely's SQLite driver sees it, with its prepared statements kept
 * by SQL text: Kysely prepares every query anew, and preparing costs more than running a short
 * query. The store's queries are parameterised, so a few dozen texts cover them; the least recently
 * used statement goes once `capacity` are kept. A statement still iterating (a streamed select) is
 * never handed out twice: that query gets a fresh one. SQLite re-prepares a kept statement itself
 * when the schema changed under it (a migration).
 */
export function statementCacheDatabase(
  db: SqliteDatabase.Database,
  capacity = DEFAULT_CAPACITY,
): KyselySqliteDatabase {
  const kept = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => {
      kept.clear();
      db.close();
    },
    prepare: (sql: string): SqliteStatement => {
      const hit = kept.get(sql);
      if (hit && !hit.busy) {
        kept.delete(sql); // re-inserted last: the map's order is the recency order
        kept.set(sql, hit);
        return hit;
      }
      const stmt = db.prepare(sql);
      if (!hit) {
        kept.set(sql, stmt);
        if (kept.size > capacity) kept.delete(kept.keys().next().value!);
      }
      return stmt;
    },
  };
}
