import path from 'node:path';
import { z } from 'zod';
import { clientIdSchema, environmentViewSchema, type EnvironmentView } from '../../common/runner-api';
import { readJsonFile, withFileLock, writeJsonFile } from '../files';

// environments.json: every workstation's environments on this runner, keyed
// by its client id (one workstation never sees another's). No secret is in
// it: the account is named by its token id, never the token.

/** The most environments one workstation keeps on one runner. */
export const MAX_ENVIRONMENTS_PER_CLIENT = 200;

const fileSchema = z
  .object({
    version: z.literal(1),
    clients: z.record(clientIdSchema, z.array(environmentViewSchema).max(MAX_ENVIRONMENTS_PER_CLIENT)),
  })
  .strict();
type EnvironmentsFile = z.infer<typeof fileSchema>;

export class EnvironmentStore {
  readonly #file: string;

  constructor(dataDir: string) {
    this.#file = path.join(dataDir, 'environments.json');
  }

  #read(): EnvironmentsFile {
    return readJsonFile(this.#file, fileSchema, { version: 1, clients: {} });
  }

  /** One workstation's environments, newest first. */
  list(clientId: string): EnvironmentView[] {
    return [...(this.#read().clients[clientId] ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  get(clientId: string, id: string): EnvironmentView | undefined {
    return this.#read().clients[clientId]?.find((environment) => environment.id === id);
  }

  /** Every workstation's environments (start-up recovery, folder names). */
  all(): { clientId: string; environment: EnvironmentView }[] {
    return Object.entries(this.#read().clients).flatMap(([clientId, list]) => list.map((environment) => ({ clientId, environment })));
  }

  /**
   * Adds an environment, or replaces the one with its id. `check` runs under
   * the file's lock with the workstation's current list (to refuse a full
   * list, or a folder another environment took meanwhile).
   */
  put(clientId: string, environment: EnvironmentView, check?: (current: readonly EnvironmentView[]) => void): EnvironmentView {
    const valid = environmentViewSchema.parse(environment);
    withFileLock(this.#file, () => {
      const file = this.#read();
      const current = file.clients[clientId] ?? [];
      check?.(current);
      const others = current.filter((e) => e.id !== valid.id);
      file.clients[clientId] = [...others, valid];
      writeJsonFile(this.#file, file);
    });
    return valid;
  }

  /** Changes one environment under the lock; undefined when it is gone. */
  update(clientId: string, id: string, change: (environment: EnvironmentView) => EnvironmentView): EnvironmentView | undefined {
    return withFileLock(this.#file, () => {
      const file = this.#read();
      const list = file.clients[clientId] ?? [];
      const index = list.findIndex((e) => e.id === id);
      if (index < 0) return undefined;
      const next = environmentViewSchema.parse(change(list[index]!));
      list[index] = next;
      file.clients[clientId] = list;
      writeJsonFile(this.#file, file);
      return next;
    });
  }

  remove(clientId: string, id: string): boolean {
    return withFileLock(this.#file, () => {
      const file = this.#read();
      const list = file.clients[clientId] ?? [];
      const kept = list.filter((e) => e.id !== id);
      if (kept.length === list.length) return false;
      if (kept.length === 0) delete file.clients[clientId];
      else file.clients[clientId] = kept;
      writeJsonFile(this.#file, file);
      return true;
    });
  }

  /** Forgets a workstation's environments (its registration was deleted). The folders are the caller's to remove. */
  removeClient(clientId: string): EnvironmentView[] {
    return withFileLock(this.#file, () => {
      const file = this.#read();
      const list = file.clients[clientId] ?? [];
      delete file.clients[clientId];
      writeJsonFile(this.#file, file);
      return list;
    });
  }
}
