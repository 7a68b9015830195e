import { mkdir } from 'node:fs/promises';
import * as z from 'zod';
import { isMyelinError, MyelinError } from '@myelin/errors';
import { openEmbeddedMetadataStore, openPostgresMetadataStore, type MetadataStore } from '@myelin/registry';
import { defineFlavor, type FlavorTable } from './flavor.js';

/** `database: { kind: sqlite, dir }` — the embedded SQLite file in `dir`. */
export const sqliteDatabaseConfigSchema = z.strictObject({ kind: z.literal('sqlite'), dir: z.string().min(1) });

/** `database: { kind: postgres, url }` — one PostgreSQL database shared by every process of the stack. */
export const postgresDatabaseConfigSchema = z.strictObject({
  kind: z.literal('postgres'),
  url: z.string().regex(/^postgres(ql)?:\/\//, 'expected a postgres:// URL'),
});

export type SqliteDatabaseConfig = z.output<typeof sqliteDatabaseConfigSchema>;
export type PostgresDatabaseConfig = z.output<typeof postgresDatabaseConfigSchema>;
/** The stack's `database` section (the metadata store), resolved. */
export type DatabaseConfig = SqliteDatabaseConfig | PostgresDatabaseConfig;

/** The metadata store port's flavors. */
export const METADATA_STORE_FLAVORS: FlavorTable<MetadataStore, void, DatabaseConfig> = [
  defineFlavor({
    kind: 'sqlite',
    configSchema: sqliteDatabaseConfigSchema,
    open: async (config) => {
      try {
        await mkdir(config.dir, { recursive: true });
      } catch (e) {
        throw new MyelinError(
          'MYELIN_ERR_ARTIFACT_IO',
          `cannot create the Myelin folder ${config.dir} (${(e as NodeJS.ErrnoException).code ?? String(e)}); set MYELIN_HOME to a writable folder`,
          { file: config.dir },
          { cause: e },
        );
      }
      return openEmbeddedMetadataStore({ dir: config.dir });
    },
  }),
  defineFlavor({
    kind: 'postgres',
    configSchema: postgresDatabaseConfigSchema,
    open: async (config) => {
      try {
        return await openPostgresMetadataStore({ url: config.url });
      } catch (e) {
        if (isMyelinError(e) && e.code !== 'MYELIN_ERR_INTERNAL') throw e;
        throw new MyelinError(
          'MYELIN_ERR_STACK_UNREACHABLE',
          `database: ${e instanceof Error ? e.message : String(e)}`,
          { path: 'database' },
          { cause: e },
        );
      }
    },
  }),
];
