export type { MetadataStore } from './metadata-store.js';
export * from './metadata-records.js';
export type * from './metadata-inputs.js';
export { KyselyMetadataStore, createKyselyMetadataStore } from './kysely-metadata-store.js';
export type { KyselyMetadataStoreOptions } from './kysely-metadata-store-options.js';
export type * from './schema/database.js';
export type { MetadataDialect } from './schema/metadata-dialect.js';
export { metadataMigrations, MIGRATION_TABLE, MIGRATION_LOCK_TABLE } from './schema/migrations.js';
export { migrateMetadataStore } from './schema/migrate-metadata-store.js';
export { openEmbeddedMetadataStore, EMBEDDED_DB_FILE } from './sqlite/open-embedded-metadata-store.js';
export type { EmbeddedMetadataStoreOptions } from './sqlite/embedded-metadata-store-options.js';
export { ImmediateSqliteDialect } from './sqlite/immediate-sqlite-dialect.js';
export { newRunId } from './run-id.js';
export {
  readTrials,
  type RecordedTrial,
  type RecordedTrialStatus,
  type RecordedTune,
  type RunTrials,
} from './runs/read-trials.js';
export {
  isTransientDbError,
  isUniqueViolation,
  isForeignKeyViolation,
  retryTransient,
} from './retry-transient.js';
export {
  openPostgresMetadataStore,
  POSTGRES_MIGRATE_LOCK_KEY,
} from './postgres/open-postgres-metadata-store.js';
export type { PostgresMetadataStoreOptions } from './postgres/postgres-metadata-store-options.js';
export {
  OrderedEventsPostgresDialect,
  RUN_EVENTS_LOCK_KEY,
} from './postgres/ordered-events-postgres-dialect.js';
export { maskPostgresUrl } from './postgres/mask-postgres-url.js';
export * from './mlflow/index.js';
export { RetrainStore } from './retrain/retrain-store.js';
export type * from './retrain/retrain-records.js';
export type * from './retrain/retrain-tables.js';
