// The runner's side of the native git credential helper, the "trampoline"
// (trampoline/paddock-git-helper.c), used where there is no Node to run
// paddock-credential-helper.cjs (the packaged app: runAsNode fuse off).
// The trampoline understands nothing of git's request: it sends its
// arguments, the capability (per-run) or the environment's secret (read from
// its --secret-file) and git's stdin, NUL-framed; this module turns that
// into the very message the Node helper sends (so the same zod schemas and
// checks apply), and the runner's answer into the bytes the trampoline
// copies to its stdout and stderr.
//
// Frame: NUL "PDKT1" NUL, then "name=value" fields each ended by NUL, then
// one more NUL. A NUL framing needs no escaping on either side: git's
// request, argv and the secret hold no NUL (the trampoline refuses one), and
// the answer's values are checked for none (printable below).
import { createHash } from 'node:crypto';

export const TRAMPOLINE_MAGIC = Buffer.from('\0PDKT1\0', 'latin1');
/** The largest frame the trampoline sends (its own limit, 64 KiB). */
export const MAX_FRAME_BYTES = 64 * 1024;
const MAX_ARGS = 16;
const FORWARDED = new Set(['protocol', 'host', 'path', 'username']);

export interface TrampolineRequest {
  /** The message as the Node helper would send it (validated by the server's schema next). */
  readonly message: Record<string, unknown>;
  readonly action: string;
  /** Environment mode (`--environment`): a `message` answer becomes a sentence on stderr and `quit=1`. */
  readonly environment: boolean;
}

/** Whether a connection's first bytes are a trampoline's (a JSON line never starts with NUL). */
export const isTrampolineFrame = (received: Buffer): boolean => received.length > 0 && received[0] === 0;

/**
 * Where the frame ends (the byte after its final NUL), or null while it is
 * not complete. Throws for bytes that are not a frame's beginning.
 */
export function trampolineFrameEnd(received: Buffer): number | null {
  const head = received.subarray(0, TRAMPOLINE_MAGIC.length);
  if (!head.equals(TRAMPOLINE_MAGIC.subarray(0, head.length))) throw new Error('not a trampoline frame');
  if (received.length < TRAMPOLINE_MAGIC.length) return null;
  // Fields are never empty ("name=..."), so the first NUL NUL after the magic's start ends the frame.
  const end = received.indexOf(Buffer.from([0, 0]), TRAMPOLINE_MAGIC.length - 1);
  return end < 0 ? null : end + 2;
}

/** git's request: "key=value" lines up to a blank line, the forwarded keys only (as the Node helper reads it). */
function gitRequest(input: string, action: string): Record<string, string> {
  const request: Record<string, string> = {};
  for (const line of input.split('\n')) {
    if (line === '') break;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq);
    if (FORWARDED.has(key)) request[key] = line.slice(eq + 1);
    // erase: which password was refused, as a hash (as the Node helper sends it).
    if (key === 'password' && action === 'erase') request.passwordSha256 = createHash('sha256').update(line.slice(eq + 1), 'utf8').digest('hex');
  }
  return request;
}

/** `--name value` pairs before the action, or null when they are not pairs. */
function namedOptions(args: readonly string[]): Map<string, string> | null {
  if (args.length % 2 !== 0) return null;
  const named = new Map<string, string>();
  for (let i = 0; i < args.length; i += 2) {
    if (!args[i]!.startsWith('--') || named.has(args[i]!)) return null;
    named.set(args[i]!.slice(2), args[i + 1]!);
  }
  return named;
}

/** A whole frame (up to and with its final NUL) as the Node helper's message, or null for a frame that is not right. */
export function parseTrampolineFrame(frame: Buffer): TrampolineRequest | null {
  if (frame.length > MAX_FRAME_BYTES || trampolineFrameEnd(frame) !== frame.length) return null;
  const body = frame.subarray(TRAMPOLINE_MAGIC.length, frame.length - 1);
  const fields = body.length === 0 ? [] : body.subarray(0, body.length - 1).toString('utf8').split('\0');
  const args: string[] = [];
  const single = new Map<string, string>();
  for (const field of fields) {
    const eq = field.indexOf('=');
    if (eq <= 0) return null;
    const name = field.slice(0, eq);
    const value = field.slice(eq + 1);
    if (name === 'arg') args.push(value);
    else if (['capability', 'secret', 'stdin'].includes(name) && !single.has(name)) single.set(name, value);
    else return null;
  }
  if (args.length === 0 || args.length > MAX_ARGS || !single.has('stdin')) return null;
  const action = args.at(-1)!;
  const named = namedOptions(args.slice(0, -1));
  if (!named) return null;
  const environment = named.get('environment');
  const request = gitRequest(single.get('stdin')!, action);
  if (environment !== undefined) {
    if (!single.has('secret') || single.has('capability')) return null;
    return { action, environment: true, message: { v: 1, environment, secret: single.get('secret'), action, ...request } };
  }
  if (!single.has('capability') || single.has('secret') || named.size > 0) return null;
  return { action, environment: false, message: { v: 1, capability: single.get('capability'), action, ...request } };
}

/** One value git may print back: no line breaks or NUL (they would add keys of their own, or end the frame). */
const printable = (value: unknown): value is string => typeof value === 'string' && value !== '' && value.length <= 16384 && !/[\r\n\0]/.test(value);

/** Control, invisible and direction-changing characters: a terminal must not be steered by a sentence it shows (as the Node helper strips them). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSHOWABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/** The runner's answer as the trampoline prints it: stdout's bytes, NUL, stderr's — the Node helper's output for the same answer. */
export function trampolineReply(request: TrampolineRequest | null, reply: object): Buffer {
  const answer = reply as { username?: unknown; password?: unknown; message?: unknown };
  let stdout = '';
  let stderr = '';
  if (request?.action === 'get' && printable(answer.username) && printable(answer.password)) {
    stdout = `username=${answer.username}\npassword=${answer.password}\n`;
  } else if (request?.environment && request.action === 'get' && printable(answer.message) && answer.message.length <= 1000) {
    stdout = 'quit=1\n';
    stderr = `Paddock: ${answer.message.replace(UNSHOWABLE, '')}\n`;
  }
  return Buffer.from(`${stdout}\0${stderr}`, 'utf8');
}
