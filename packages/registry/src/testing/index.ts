export { metadataStoreContract, type MetadataStoreFixture } from './metadata-store-contract.js';
export { createTempPostgresDatabase, type TempPostgresDatabase } from './temp-postgres-database.js';
export type { TempPostgresDatabaseOptions } from './temp-postgres-database-options.js';
export { postgresTestSkipReason } from './postgres-test-skip-reason.js';
export { DEFAULT_POSTGRES_ADMIN_URL, postgresAdminUrl } from './postgres-admin-url.js';
export { FakeMlflowServer } from '../mlflow/test-fixtures/fake-mlflow-server.js';
export { runRecordFixture } from './run-record-fixture.js';
