import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { PaddockError } from '../common/errors';
import { clientRoleSchema, REGISTRATION_TOKEN_PREFIX, type ClientRole } from '../common/runner-api';

export { registrationTokenExpiry } from '../common/runner-api';
import { readJsonFile, withFileLock, writeJsonFile } from './files';

/**
 * One-time registration tokens: `prt1_` + base64url(expiry ms as 8 bytes
 * big-endian ‖ 32 random bytes). The runner keeps only the token's SHA-256.
 * The app identifies a token to the challenge by the first 16 hex digits of
 * that hash, and the challenge proof is keyed with the hash itself, which
 * the app can compute from the token and an impostor cannot.
 */
const registrationSchema = z
  .object({
    hash: z.string().regex(/^[0-9a-f]{64}$/),
    expiresAt: z.string(),
    createdAt: z.string(),
    usedAt: z.string().nullable(),
    usedBy: z.string().nullable(),
    /**
     * The role the workstation that uses it gets. A token made before roles
     * existed and not used yet gives the least: user (the admin makes an
     * admin token with --role admin); workstations already registered stay
     * admins (clients below).
     */
    role: clientRoleSchema.default('user'),
  })
  .strict();
const registrationsFileSchema = z.object({ registrations: z.array(registrationSchema) }).strict();
type Registration = z.infer<typeof registrationSchema>;

const clientSchema = z
  .object({
    clientId: z.string(),
    name: z.string(),
    tokenHash: z.string().regex(/^[0-9a-f]{64}$/),
    createdAt: z.string(),
    /** Clients registered before roles existed could do everything: they stay admins. */
    role: clientRoleSchema.default('admin'),
  })
  .strict();
const clientsFileSchema = z.object({ clients: z.array(clientSchema) }).strict();
export type Client = z.infer<typeof clientSchema>;

export const sha256Hex = (value: string) => createHash('sha256').update(value).digest('hex');
export const tokenIdOf = (token: string) => sha256Hex(token).slice(0, 16);

/** HMAC-SHA256 keyed with SHA-256(token) over nonce ‖ spki ‖ publicKey (each as UTF-8 of its text form). */
export function registrationProof(tokenHashHex: string, nonce: string, spki: string, publicKey: string): string {
  return createHmac('sha256', Buffer.from(tokenHashHex, 'hex')).update(`${nonce}\n${spki}\n${publicKey}`).digest('base64');
}

/** A registration token the runner refuses: 'unauthorized' (unknown), 'token-used' or 'token-expired', with the admin's hint. */
export class RegistrationError extends PaddockError {
  constructor(code: 'unauthorized' | 'token-expired' | 'token-used', message: string) {
    super(code, message);
  }
}

const CREATE_HINT = 'Create a new one on the runner: paddock-runner registration create --data-dir <dir>.';

export class RegistrationBook {
  private readonly registrationsFile: string;
  private readonly clientsFile: string;

  constructor(dataDir: string, private readonly now: () => Date = () => new Date()) {
    this.registrationsFile = path.join(dataDir, 'registrations.json');
    this.clientsFile = path.join(dataDir, 'clients.json');
  }

  private registrations(): Registration[] {
    return readJsonFile(this.registrationsFile, registrationsFileSchema, { registrations: [] }).registrations;
  }

  /** The clients as the file holds them now, for a change made under the file's lock. */
  private readClients(): Client[] {
    return readJsonFile(this.clientsFile, clientsFileSchema, { clients: [] }).clients;
  }

  #cache: { key: string; clients: readonly Client[] } | null = null;

  /**
   * The registered clients, read again only when the file changed (its
   * inode, time or size: every write replaces it), since every
   * authenticated request asks. Read-only: changes go through the file.
   */
  clients(): readonly Client[] {
    let key: string;
    try {
      const stat = fs.statSync(this.clientsFile);
      key = `${stat.ino}:${stat.mtimeMs}:${stat.size}`;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    if (this.#cache?.key === key) return this.#cache.clients;
    const clients = Object.freeze(this.readClients().map((c) => Object.freeze(c)));
    this.#cache = { key, clients };
    return clients;
  }

  create(lifetimeMs: number, role: ClientRole = 'user'): { token: string; expiresAt: Date; role: ClientRole } {
    const expiresAt = new Date(this.now().getTime() + lifetimeMs);
    const bytes = Buffer.alloc(40);
    bytes.writeBigUInt64BE(BigInt(expiresAt.getTime()), 0);
    randomBytes(32).copy(bytes, 8);
    const token = `${REGISTRATION_TOKEN_PREFIX}${bytes.toString('base64url')}`;
    const now = this.now();
    withFileLock(this.registrationsFile, () => {
      // Drop tokens that expired more than a week ago; keep recent ones so a reuse is reported as such.
      const keep = this.registrations().filter((r) => new Date(r.expiresAt).getTime() > now.getTime() - 7 * 24 * 3600 * 1000);
      keep.push({ hash: sha256Hex(token), expiresAt: expiresAt.toISOString(), createdAt: now.toISOString(), usedAt: null, usedBy: null, role });
      writeJsonFile(this.registrationsFile, { registrations: keep });
    });
    return { token, expiresAt, role };
  }

  private usable(registration: Registration | undefined): Registration {
    if (!registration) throw new RegistrationError('unauthorized', `This runner does not know that registration token. ${CREATE_HINT}`);
    if (registration.usedAt) {
      throw new RegistrationError('token-used', `This registration token was already used (${registration.usedAt}); each workstation needs its own. ${CREATE_HINT}`);
    }
    if (new Date(registration.expiresAt).getTime() <= this.now().getTime()) {
      throw new RegistrationError('token-expired', `This registration token expired at ${registration.expiresAt}. ${CREATE_HINT}`);
    }
    return registration;
  }

  /** The hash of a usable token, found by its id (for the challenge). */
  hashForChallenge(tokenId: string): string {
    return this.usable(this.registrations().find((r) => r.hash.startsWith(tokenId))).hash;
  }

  /** Uses the token once and makes a client with its own API token. */
  register(token: string, name: string): { clientId: string; apiToken: string; role: ClientRole } {
    const presented = Buffer.from(sha256Hex(token), 'hex');
    const clientId = `c_${randomBytes(12).toString('base64url')}`;
    const apiToken = `prk_${randomBytes(32).toString('base64url')}`;
    let role: ClientRole = 'user';
    withFileLock(this.registrationsFile, () => {
      const registrations = this.registrations();
      const registration = this.usable(registrations.find((r) => timingSafeEqual(Buffer.from(r.hash, 'hex'), presented)));
      registration.usedAt = this.now().toISOString();
      registration.usedBy = clientId;
      role = registration.role;
      // Mark the token used before the client exists: a crash in between loses a token, never reuses one.
      writeJsonFile(this.registrationsFile, { registrations });
    });
    withFileLock(this.clientsFile, () => {
      const clients = this.readClients();
      clients.push({ clientId, name, tokenHash: sha256Hex(apiToken), createdAt: this.now().toISOString(), role });
      writeJsonFile(this.clientsFile, { clients });
    });
    return { clientId, apiToken, role };
  }

  /** The client whose API token this is, compared in constant time against every client. */
  authenticate(apiToken: string): Client | null {
    const presented = Buffer.from(sha256Hex(apiToken), 'hex');
    let found: Client | null = null;
    for (const client of this.clients()) {
      if (timingSafeEqual(Buffer.from(client.tokenHash, 'hex'), presented) && !found) found = client;
    }
    return found;
  }

  removeClient(clientId: string): void {
    withFileLock(this.clientsFile, () => writeJsonFile(this.clientsFile, { clients: this.readClients().filter((c) => c.clientId !== clientId) }));
  }

  outstanding(): number {
    const now = this.now().getTime();
    return this.registrations().filter((r) => !r.usedAt && new Date(r.expiresAt).getTime() > now).length;
  }

  /** Outstanding (unused, unexpired) tokens per role. */
  outstandingByRole(): Record<ClientRole, number> {
    const now = this.now().getTime();
    const counts: Record<ClientRole, number> = { admin: 0, user: 0 };
    for (const r of this.registrations()) if (!r.usedAt && new Date(r.expiresAt).getTime() > now) counts[r.role]++;
    return counts;
  }
}
