/** The SQL dialects the metadata store runs on. */
export type MetadataDialect = 'sqlite' | 'postgres';
