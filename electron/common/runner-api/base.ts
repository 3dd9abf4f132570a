import { z } from 'zod';
import { base64UrlToBytes } from '../encoding';
import { errorDataSchema } from '../errors';

/**
 * The runner API (HTTP/JSON under /v1), shared by the runner and the app's
 * runner client. Bumped when a route changes incompatibly; app and runner
 * refuse each other with a clear message when they differ.
 */
export const RUNNER_API_VERSION = 1;
export const RUNNER_API_VERSION_HEADER = 'paddock-api-version';
/** Bodies larger than this get 413. */
export const RUNNER_MAX_BODY_BYTES = 64 * 1024;

const base64 = (bytes: number) =>
  z
    .string()
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64')
    .refine((value) => Math.floor((value.length * 3) / 4) - (value.match(/=+$/)?.[0].length ?? 0) === bytes, `must be ${bytes} bytes of base64`);

/** An X25519 public key, base64. */
export const publicKeySchema = base64(32);
/** A SHA-256 fingerprint of a certificate's public key (SPKI), as `sha256/<base64>`. */
export const spkiSchema = z.string().regex(/^sha256\/[A-Za-z0-9+/]{43}=$/, 'must be sha256/<base64 of 32 bytes>');
export const nonceSchema = base64(32);
const proofSchema = base64(32);

/** The runner's error body: the app API's error data, codes from the one catalogue (electron/common/errors.ts). */
export const runnerErrorSchema = z.object({ error: errorDataSchema }).strict();
export type RunnerErrorBody = z.infer<typeof runnerErrorSchema>;

/** A workstation's role on a runner (docs/runners.md, "Roles"). The local runner's workstation is its admin. */
export const clientRoleSchema = z.enum(['admin', 'user']);
export type ClientRole = z.infer<typeof clientRoleSchema>;
export const clientIdSchema = z.string().regex(/^(c_[A-Za-z0-9_-]{16,64}|local)$/, 'must be a client id');

export const healthResponseSchema = z
  .object({ status: z.literal('ok'), version: z.string().max(100), apiVersion: z.number().int().positive() })
  .strict();

/** Local mode: the runner proves it knows the app's token before the app sends it. */
export const helloRequestSchema = z.object({ nonce: nonceSchema }).strict();
export const helloResponseSchema = z.object({ proof: proofSchema }).strict();

/** Remote registration, step 1: the runner proves it holds the token (by its hash) and binds its keys. */
export const challengeRequestSchema = z
  .object({ nonce: nonceSchema, tokenId: z.string().regex(/^[0-9a-f]{16}$/, 'must be 16 hex digits') })
  .strict();
export const challengeResponseSchema = z.object({ proof: proofSchema, publicKey: publicKeySchema, spki: spkiSchema }).strict();

/** Remote registration, step 2: the app reveals the token and gets its own credential. */
export const registrationRequestSchema = z
  .object({
    token: z.string().min(10).max(200),
    // Shown to the runner's admin in a terminal: printable characters only (no escape sequences).
    name: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .regex(/^[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+$/u, 'must contain printable characters only'),
  })
  .strict();
export const registrationResponseSchema = z
  .object({
    clientId: z.string().regex(/^c_[A-Za-z0-9_-]{16,64}$/),
    apiToken: z.string().min(32).max(200),
    publicKey: publicKeySchema,
    /** The role the registration token gave this workstation. */
    role: clientRoleSchema,
  })
  .strict();

export const runnerStatusSchema = z
  .object({
    runnerId: z.string().min(1).max(100),
    version: z.string().max(100),
    apiVersion: z.number().int().positive(),
    mode: z.enum(['local', 'remote']),
    publicKey: publicKeySchema,
    spki: spkiSchema.nullable(),
    secretStore: z.enum(['keychain', 'file']),
    startedAt: z.iso.datetime(),
    /** Problems that leave the runner working but not as it should (shown as "degraded"). */
    warnings: z.array(z.string().max(500)).max(20),
    /** Who is asking: this workstation's client id and role on the runner. */
    client: z.object({ id: clientIdSchema, role: clientRoleSchema }).strict(),
    /**
     * A remote runner's own https callback (`https://<runner>/oauth/callback`),
     * when its TLS certificate is its admin's own (`--tls-cert`), which
     * browsers trust; null (or absent, from older runners) otherwise: a
     * self-signed runner is never shown to a browser.
     */
    oauthCallback: z.url({ protocol: /^https$/ }).max(2100).nullable().optional(),
  })
  .strict();
export type RunnerStatus = z.infer<typeof runnerStatusSchema>;

export const okResponseSchema = z.object({ ok: z.literal(true) }).strict();

/** Registration tokens: `prt1_` + base64url(expiry as 8-byte big-endian ms ‖ 32 random bytes). */
export const REGISTRATION_TOKEN_PREFIX = 'prt1_';
export const REGISTRATION_TOKEN_PATTERN = /^prt1_[A-Za-z0-9_-]{54}$/;

/** The expiry written inside a registration token, or null if it is not one. */
export function registrationTokenExpiry(token: string): Date | null {
  if (!REGISTRATION_TOKEN_PATTERN.test(token)) return null;
  let bytes: Uint8Array;
  try {
    bytes = base64UrlToBytes(token.slice(REGISTRATION_TOKEN_PREFIX.length));
  } catch {
    return null;
  }
  if (bytes.length !== 40) return null;
  const ms = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0));
  return Number.isSafeInteger(ms) ? new Date(ms) : null;
}

/** Messages between the app and a local runner over the process channel (parentPort / IPC). */
export const runnerParentMessageSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('token'),
      token: z.string().min(32).max(200),
      /** The admin policy's proxy URL for the local runner: it may hold a user name and password, so never argv. */
      proxy: z.string().min(1).max(4096).optional(),
    })
    .strict(),
  z.object({ type: z.literal('shutdown') }).strict(),
]);
export type RunnerParentMessage = z.infer<typeof runnerParentMessageSchema>;

export const runnerChildMessageSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('ready'),
      endpoint: z.string().min(1).max(300),
      publicKey: publicKeySchema,
      runnerId: z.string().min(1).max(100),
      version: z.string().max(100),
      apiVersion: z.number().int().positive(),
    })
    .strict(),
  z.object({ type: z.literal('fatal'), code: z.enum(['keychain-unavailable', 'data-dir', 'internal']), message: z.string().max(2000) }).strict(),
]);
export type RunnerChildMessage = z.infer<typeof runnerChildMessageSchema>;

/**
 * How long a stopping runner waits for token refreshes in flight: as long as
 * one refresh may take (electron/runner/token-service.ts REFRESH_TIMEOUT_MS
 * is this value). A provider that rotates refresh tokens has spent the old
 * one once it answers, so the app must not kill the runner before then.
 */
export const RUNNER_STOP_WAIT_MS = 15_000;
/**
 * After the wait: the rest of stopping (cancelled git processes get at most
 * 3 s, the servers close) and the process's exit.
 */
export const RUNNER_STOP_MARGIN_MS = 5_000;
/** How long the app gives its local runner to stop by itself before killing it. */
export const RUNNER_STOP_GRACE_MS = RUNNER_STOP_WAIT_MS + RUNNER_STOP_MARGIN_MS;

/** Exit codes with a meaning for the app. */
export const RUNNER_EXIT = {
  ok: 0,
  usage: 64,
  dataDir: 73,
  /** The OS keychain cannot be reached: the app shows the message and does not restart in a loop. */
  keychainUnavailable: 78,
} as const;

/**
 * The exit codes that mean the runner's configuration is wrong (a flag, the
 * data directory or keys, the keychain): starting it again does not help,
 * so the systemd unit (build/runner/paddock-runner.service,
 * RestartPreventExitStatus, checked by a test) does not restart a server
 * runner on them.
 */
export const RUNNER_CONFIGURATION_EXIT_CODES: readonly number[] = [RUNNER_EXIT.usage, RUNNER_EXIT.dataDir, RUNNER_EXIT.keychainUnavailable];
