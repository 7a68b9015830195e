/** Options of `createKyselyMetadataStore` / `KyselyMetadataStore`. */
export interface KyselyMetadataStoreOptions {
  /**
   * What `describe()` returns and error messages name, e.g. `sqlite:/abs/.myelin/metadata.db`.
   * @defaultValue the dialect name
   */
  description?: string;
  /** Called by `close()` after the Kysely instance is destroyed. @defaultValue undefined */
  onClose?: () => Promise<void> | void;
}
