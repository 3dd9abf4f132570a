import type { Schema } from 'conf';
import { z } from 'zod';
import { preferencesSchema, type Preferences } from '../../common/api';
import { spkiSchema } from '../../common/runner-api';

/**
 * The store's schema version. Bump it when the shape changes and add a step
 * to `storeMigrations`: the step receives the store at the previous version.
 */
export const STORE_SCHEMA_VERSION = 3;

/** Conf keys its migrations by semver; one major version per schema version. */
export const storeProjectVersion = (schemaVersion: number) => `${schemaVersion}.0.0`;

/** A runner as the store keeps it (live health is not stored; credentials are in the OS keychain). */
const storedRunnerBase = {
  id: z.string().min(1).max(100),
  name: z.string().min(1).max(200),
  publicKey: z.string().max(100).nullable(),
  /** The runner's own id (runner.json), learned from the runner. */
  runnerUid: z.string().max(100).nullable(),
  createdAt: z.string(),
  /** The admin policy's id for a runner it provisions; null for runners added here. */
  policyId: z.string().max(100).nullable(),
};
export const storedRunnerSchema = z.discriminatedUnion('kind', [
  z.object({ ...storedRunnerBase, kind: z.literal('local'), url: z.null(), spki: z.null(), clientId: z.null() }).strict(),
  z
    .object({
      ...storedRunnerBase,
      kind: z.literal('remote'),
      url: z.string().regex(/^https:\/\/[^/]+$/).max(2048),
      // A remote runner is always pinned: the store cannot hold one without a fingerprint.
      spki: spkiSchema,
      /** The id the runner gave this workstation at registration; null for a managed runner not registered yet. */
      clientId: z.string().min(1).max(100).nullable(),
    })
    .strict(),
]);
export type StoredRunner = z.infer<typeof storedRunnerSchema>;

export const storeDataSchema = z
  .object({
    schemaVersion: z.number().int().min(1),
    preferences: preferencesSchema,
    runners: z.array(storedRunnerSchema),
    /** Set when the user removed the local runner, so it is not made again at the next start. */
    localRunnerRemoved: z.boolean(),
    /**
     * The runner the user chose for new environments of a host (and Azure
     * DevOps organization) that several runners have access to, by
     * "host" or "host organization". Environments themselves live on their
     * runners (issue 10): the app keeps nothing of them that could disagree.
     */
    runnerForHost: z.record(z.string().min(1).max(2400), z.string().min(1).max(100)),
  })
  .strict();
export type StoreData = z.infer<typeof storeDataSchema>;

/** A new user's preferences (and what a store from before a preference existed gets for it). */
export const defaultPreferences: Preferences = {
  theme: 'system',
  startAtLogin: false,
  keepInTray: true,
  notifications: true,
  editor: 'auto',
  terminal: 'auto',
  network: { proxy: null, noProxy: null, caFile: null },
};

export const storeDefaults: StoreData = {
  schemaVersion: STORE_SCHEMA_VERSION,
  preferences: defaultPreferences,
  runners: [],
  localRunnerRemoved: false,
  runnerForHost: {},
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
  // 2: environments are the runners' (the placeholder list goes); the runner chosen per host is remembered.
  [storeProjectVersion(2)]: (store) => {
    store.delete('environments');
    if (!store.has('runnerForHost')) store.set('runnerForHost', {});
    store.set('schemaVersion', 2);
  },
  // 3: the desktop preferences (issue 11); what a user had set (the theme) stays.
  [storeProjectVersion(3)]: (store) => {
    const previous = store.get('preferences');
    const kept = typeof previous === 'object' && previous !== null ? previous : {};
    store.set('preferences', { ...defaultPreferences, ...kept });
    store.set('schemaVersion', 3);
  },
};
