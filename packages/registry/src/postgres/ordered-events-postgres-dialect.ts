import {
  CompiledQuery,
  InsertQueryNode,
  PostgresDialect,
  PostgresDriver,
  type DatabaseConnection,
  type Driver,
  type PostgresDialectConfig,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

/** The advisory lock every transaction takes right before it inserts into `run_events`. */
export const RUN_EVENTS_LOCK_KEY = '7012487160382015523';

/**
 * Kysely's PostgreSQL dialect with one change that makes `listEvents({ afterId })` a safe cursor.
 *
 * `run_events.id` comes from an identity sequence, and on a server database two transactions can
 * commit in the opposite order of their ids: a reader that has seen id 11 and then asks for ids
 * after 11 would never see id 10, committed a moment later. So just before any insert into
 * `run_events` the connection takes a transaction-level advisory lock
 * (`pg_advisory_xact_lock(RUN_EVENTS_LOCK_KEY)`), held until commit: event inserts are serialised
 * across every process on the database, and an id is only drawn once every smaller one is committed
 * (a transaction is visible before its locks are released) or rolled back. The cost is that event
 * appends commit one at a time. A transaction takes the lock once, at its first event insert
 * (group commit puts several writes, events among them, in one transaction).
 *
 * The lock is taken by the connection, not the store, so the store's code stays dialect-neutral;
 * the insert is recognised by its query tree (`InsertQueryNode` into `run_events`), not its text.
 */
export class OrderedEventsPostgresDialect extends PostgresDialect {
  readonly #config: PostgresDialectConfig;

  constructor(config: PostgresDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new OrderedEventsPostgresDriver(new PostgresDriver(this.#config));
  }
}

const LOCK_EVENTS = CompiledQuery.raw(`select pg_advisory_xact_lock(${RUN_EVENTS_LOCK_KEY})`);

function isRunEventsInsert(query: CompiledQuery): boolean {
  const node = query.query;
  return InsertQueryNode.is(node) && node.into?.table.identifier.name === 'run_events';
}

/** What Kysely's `PostgresDriver` hands out and takes back (its class is not exported). */
type PgConnection = Parameters<PostgresDriver['releaseConnection']>[0];

/** A connection that takes the event lock before an insert into `run_events`. */
class OrderedEventsConnection implements DatabaseConnection {
  readonly inner: PgConnection;
  /** Inside a transaction begun by the driver (the lock then lasts until it ends). */
  inTransaction = false;
  /** The open transaction holds the event lock already. */
  eventsLocked = false;

  constructor(inner: PgConnection) {
    this.inner = inner;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (isRunEventsInsert(query) && !this.eventsLocked) {
      await this.inner.executeQuery(LOCK_EVENTS);
      this.eventsLocked = this.inTransaction;
    }
    return this.inner.executeQuery<R>(query);
  }

  /** The transaction ended (or began): the lock, if it was held, is gone. */
  endTransaction(inTransaction: boolean): void {
    this.inTransaction = inTransaction;
    this.eventsLocked = false;
  }

  streamQuery<R>(query: CompiledQuery, chunkSize: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(query, chunkSize);
  }
}

/** Delegates to Kysely's `PostgresDriver`, handing out (and unwrapping) `OrderedEventsConnection`s. */
class OrderedEventsPostgresDriver implements Driver {
  readonly #inner: PostgresDriver;
  readonly #wrapped = new WeakMap<PgConnection, OrderedEventsConnection>();

  constructor(inner: PostgresDriver) {
    this.#inner = inner;
  }

  init(): Promise<void> {
    return this.#inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const inner = (await this.#inner.acquireConnection()) as PgConnection;
    let wrapped = this.#wrapped.get(inner);
    if (!wrapped) {
      wrapped = new OrderedEventsConnection(inner);
      this.#wrapped.set(inner, wrapped);
    }
    return wrapped;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await this.#inner.beginTransaction(unwrap(connection), settings);
    wrapped(connection)?.endTransaction(true);
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await this.#inner.commitTransaction(unwrap(connection));
    } finally {
      wrapped(connection)?.endTransaction(false);
    }
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await this.#inner.rollbackTransaction(unwrap(connection));
    } finally {
      wrapped(connection)?.endTransaction(false);
    }
  }

  savepoint(
    connection: DatabaseConnection,
    name: string,
    compile: Parameters<PostgresDriver['savepoint']>[2],
  ): Promise<void> {
    return this.#inner.savepoint(unwrap(connection), name, compile);
  }

  async rollbackToSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: Parameters<PostgresDriver['rollbackToSavepoint']>[2],
  ): Promise<void> {
    await this.#inner.rollbackToSavepoint(unwrap(connection), name, compile);
    // a lock taken after the savepoint may be gone with it: take it again at the next insert
    const c = wrapped(connection);
    if (c) c.eventsLocked = false;
  }

  releaseSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: Parameters<PostgresDriver['releaseSavepoint']>[2],
  ): Promise<void> {
    return this.#inner.releaseSavepoint(unwrap(connection), name, compile);
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.#inner.releaseConnection(unwrap(connection));
  }

  destroy(): Promise<void> {
    return this.#inner.destroy();
  }
}

function wrapped(connection: DatabaseConnection): OrderedEventsConnection | undefined {
  return connection instanceof OrderedEventsConnection ? connection : undefined;
}

/** Kysely passes back the connections this driver handed out; the inner driver wants its own. */
function unwrap(connection: DatabaseConnection): PgConnection {
  return connection instanceof OrderedEventsConnection ? connection.inner : (connection as PgConnection);
}
