import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import nacl from 'tweetnacl';
import { z } from 'zod';
import { readJsonFile, writeJsonFile } from './files';
import type { SecretStore, SecretStoreKind } from './secret-store';

/** runner.json: the runner's public identity. Nothing secret is in it. */
const runnerFileSchema = z
  .object({
    runnerId: z.string().regex(/^r_[A-Za-z0-9-]{8,64}$/),
    publicKey: z.string(),
    secretStore: z.enum(['keychain', 'file']),
    createdAt: z.string(),
    /** Where the runner last listened in remote mode, for `status` and `registration create`. */
    remote: z.object({ listen: z.string(), publicUrl: z.string(), certFile: z.string().nullable() }).strict().nullable(),
  })
  .strict();
export type RunnerFile = z.infer<typeof runnerFileSchema>;

const key32 = z.string().refine((value) => Buffer.from(value, 'base64').length === 32, 'must be 32 bytes of base64');
const secretsSchema = z.object({ privateKey: key32, dataKey: key32 }).strict();

export interface RunnerIdentity {
  file: RunnerFile;
  keyPair: nacl.BoxKeyPair;
  /** The key that encrypts everything else the runner keeps (secretbox). */
  dataKey: Uint8Array;
}

export class IdentityError extends Error {
  override readonly name = 'IdentityError';
}

export const runnerFilePath = (dataDir: string) => path.join(dataDir, 'runner.json');

/** runner.json, or null before the first start; a damaged file is an IdentityError (exit 73, not restarted). */
export function readRunnerFile(dataDir: string): RunnerFile | null {
  try {
    return readJsonFile(runnerFilePath(dataDir), runnerFileSchema.nullable(), null);
  } catch (error) {
    throw new IdentityError(`${(error as Error).message} The runner cannot start until it is repaired or its data directory is moved aside.`);
  }
}

export function updateRunnerFile(dataDir: string, change: Partial<RunnerFile>): RunnerFile {
  const current = readRunnerFile(dataDir);
  if (!current) throw new IdentityError(`${dataDir} holds no runner yet.`);
  const next = { ...current, ...change };
  writeJsonFile(runnerFilePath(dataDir), next);
  return next;
}

/**
 * Loads the runner's key pair and data key from its secret store, making
 * them on first start. The private key never leaves the secret store except
 * into this process's memory.
 */
export async function loadOrCreateIdentity(dataDir: string, store: SecretStore): Promise<RunnerIdentity> {
  const existing = readRunnerFile(dataDir);
  if (existing) {
    if (existing.secretStore !== store.kind) {
      throw new IdentityError(
        `This runner keeps its keys in ${existing.secretStore === 'file' ? 'a file' : 'the OS keychain'}; start it with --secret-store ${existing.secretStore}.`,
      );
    }
    const raw = await store.get(existing.runnerId);
    if (!raw) {
      throw new IdentityError(
        `The runner's keys are missing from ${store.location}. Restore them, or move ${dataDir} aside to make a new runner (workstations must register again).`,
      );
    }
    let secrets: z.infer<typeof secretsSchema>;
    try {
      secrets = secretsSchema.parse(JSON.parse(raw));
    } catch {
      throw new IdentityError(`The runner's keys in ${store.location} are damaged. Restore them, or move ${dataDir} aside to make a new runner (workstations must register again).`);
    }
    const secretKey = Buffer.from(secrets.privateKey, 'base64');
    const keyPair = nacl.box.keyPair.fromSecretKey(new Uint8Array(secretKey));
    if (Buffer.from(keyPair.publicKey).toString('base64') !== existing.publicKey) {
      throw new IdentityError(`The private key in ${store.location} does not match runner.json's public key.`);
    }
    return { file: existing, keyPair, dataKey: new Uint8Array(Buffer.from(secrets.dataKey, 'base64')) };
  }

  const keyPair = nacl.box.keyPair();
  const dataKey = new Uint8Array(randomBytes(nacl.secretbox.keyLength));
  const file: RunnerFile = {
    runnerId: `r_${randomUUID()}`,
    publicKey: Buffer.from(keyPair.publicKey).toString('base64'),
    secretStore: store.kind as SecretStoreKind,
    createdAt: new Date().toISOString(),
    remote: null,
  };
  // Secrets first: a runner.json without its keys would be unusable.
  await store.set(
    file.runnerId,
    JSON.stringify({ privateKey: Buffer.from(keyPair.secretKey).toString('base64'), dataKey: Buffer.from(dataKey).toString('base64') }),
  );
  writeJsonFile(runnerFilePath(dataDir), file);
  return { file, keyPair, dataKey };
}
