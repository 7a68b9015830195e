import {
  CompiledQuery,
  SqliteAdapter,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  type SqliteDialectConfig,
} from 'kysely';

/**
 * Kysely's SQLite dialect with two changes that make several processes on one file safe:
 *
 * - every transaction starts with `BEGIN IMMEDIATE`: it takes the write lock at the start (waiting
 *   up to `busy_timeout`), so a read-then-write transaction (next version number) can never fail
 *   half-way with SQLITE_BUSY_SNAPSHOT, which the busy handler cannot wait out;
 * - the adapter reports transactional DDL (SQLite has it), so Kysely's `Migrator` runs the pending
 *   migrations inside one such transaction, after reading which ones already ran: two processes
 *   opening a fresh file at once apply `001_initial` exactly once.
 */
export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}
