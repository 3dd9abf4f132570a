import type { Schema } from 'conf';
import fs from 'node:fs';
import path from 'node:path';
import type { Notice } from '../../common/api';
import {
  STORE_SCHEMA_VERSION,
  storeDefaults,
  storeJsonSchema,
  storeMigrations,
  storeProjectVersion,
  type StoreData,
} from './schema';

/** The options both conf and electron-store take, as core fills them in. */
export interface StoreBackendOptions {
  /** Absolute directory of the store file. */
  cwd: string;
  /** File name without extension. */
  configName: string;
  projectVersion: string;
  schema: Schema<StoreData>;
  defaults: StoreData;
  migrations: typeof storeMigrations;
  clearInvalidConfig: false;
  accessPropertiesByDotNotation: false;
}

/** The part of conf / electron-store that core uses. */
export interface StoreBackend {
  readonly path: string;
  get<K extends keyof StoreData>(key: K): StoreData[K];
  set<K extends keyof StoreData>(key: K, value: StoreData[K]): void;
}

export type StoreBackendFactory = (options: StoreBackendOptions) => StoreBackend;

/** The app's state store, one interface over electron-store (app) and conf (tests, web host). */
export interface AppStore {
  readonly path: string;
  get<K extends keyof StoreData>(key: K): StoreData[K];
  set<K extends keyof StoreData>(key: K, value: StoreData[K]): void;
  /** Set when the store file could not be read at start and was moved aside. */
  readonly recovery: Notice | undefined;
}

export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
}

export interface OpenStoreOptions {
  directory: string;
  configName?: string;
  createBackend: StoreBackendFactory;
  now?: () => Date;
}

/**
 * Opens the store. A file that cannot be parsed, fails the schema, or fails
 * a migration is moved aside (never emptied in place) and a fresh store is
 * made; the returned store carries a notice that says where the old file is.
 */
export function openStore({ directory, configName = 'paddock', createBackend, now = () => new Date() }: OpenStoreOptions): AppStore {
  const options: StoreBackendOptions = {
    cwd: directory,
    configName,
    projectVersion: storeProjectVersion(STORE_SCHEMA_VERSION),
    schema: storeJsonSchema(),
    defaults: storeDefaults,
    migrations: storeMigrations,
    clearInvalidConfig: false,
    accessPropertiesByDotNotation: false,
  };
  const file = path.join(directory, `${configName}.json`);
  let backend: StoreBackend;
  let recovery: Notice | undefined;
  try {
    backend = createBackend(options);
  } catch (error) {
    if (!fs.existsSync(file)) {
      throw new StoreUnavailableError(`Paddock cannot create its settings file at ${file}: ${describe(error)}`);
    }
    const aside = path.join(directory, `${configName}.unreadable-${now().toISOString().replace(/[:.]/g, '-')}.json`);
    try {
      fs.renameSync(file, aside);
    } catch (renameError) {
      throw new StoreUnavailableError(
        `Paddock cannot read its settings file at ${file} (${describe(error)}) and cannot move it aside (${describe(renameError)}). Fix the file's permissions or move it yourself, then start Paddock again.`,
      );
    }
    backend = createBackend(options);
    recovery = {
      id: `store-recovered:${path.basename(aside)}`,
      level: 'warning',
      message: `Paddock could not read its settings file (${describe(error)}), so it started with fresh settings. The old file was kept as ${aside}.`,
    };
  }
  return {
    get path() {
      return backend.path;
    },
    get: (key) => backend.get(key),
    set: (key, value) => backend.set(key, value),
    recovery,
  };
}

function describe(error: unknown): string {
  // A JSON parse error quotes the file's content; say what is wrong instead.
  if (error instanceof SyntaxError) return 'it is not valid JSON';
  if (error instanceof Error) return error.message.split('\n')[0] ?? error.name;
  return String(error);
}
