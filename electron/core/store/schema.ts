import type { Schema } from 'conf';
import { z } from 'zod';
import { environmentSchema, preferencesSchema, runnerSchema } from '../../common/api';

/**
 * The store's schema version. Bump it when the shape changes and add a step
 * to `storeMigrations`: the step receives the store at the previous version.
 */
export const STORE_SCHEMA_VERSION = 1;

/** Conf keys its migrations by semver; one major version per schema version. */
export const storeProjectVersion = (schemaVersion: number) => `${schemaVersion}.0.0`;

export const storeDataSchema = z
  .object({
    schemaVersion: z.number().int().min(1),
    preferences: preferencesSchema,
    runners: z.array(runnerSchema),
    environments: z.array(environmentSchema),
  })
  .strict();
export type StoreData = z.infer<typeof storeDataSchema>;

export const storeDefaults: StoreData = {
  schemaVersion: STORE_SCHEMA_VERSION,
  preferences: { theme: 'system' },
  runners: [],
  environments: [],
};

/** The JSON Schema electron-store and conf validate every read and write with. */
export function storeJsonSchema(): Schema<StoreData> {
  const schema = z.toJSONSchema(storeDataSchema, { target: 'draft-7', io: 'input' }) as {
    properties: Schema<StoreData>;
  };
  return schema.properties;
}

/** The minimal surface of a conf/electron-store migration context. */
export interface MigrationContext {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  has(key: string): boolean;
  delete(key: string): void;
}

/**
 * Migration steps by the semver of the schema version they lead to. Version
 * 1.0.0 is the first schema: the step stamps the version into stores made
 * before any version was written (and into new ones).
 */
export const storeMigrations: Record<string, (store: MigrationContext) => void> = {
  [storeProjectVersion(1)]: (store) => {
    if (!store.has('schemaVersion')) store.set('schemaVersion', 1);
  },
};
