import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import sodium from 'libsodium-wrappers';
import { beforeAll, describe, expect, it } from 'vitest';
import { commands, exitCodes, mainHelp, runPaddockCli } from '../../../../electron/core/cli/paddock';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

let recipient: { publicKey: Uint8Array; privateKey: Uint8Array };
let publicKeyBase64: string;

beforeAll(async () => {
  await sodium.ready;
  recipient = sodium.crypto_box_keypair();
  publicKeyBase64 = Buffer.from(recipient.publicKey).toString('base64');
});

async function run(argv: string[], stdin?: Uint8Array) {
  let stdout = '';
  let stderr = '';
  let stdinReads = 0;
  const code = await runPaddockCli(argv, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    readStdin: async () => {
      stdinReads++;
      return stdin ? stdin.slice() : new Uint8Array(0);
    },
  });
  return { code, stdout, stderr, stdinReads };
}

/** Opens printed base64 with libsodium, the independent implementation. */
function openOutput(stdout: string): Uint8Array {
  expect(stdout).toMatch(/^[A-Za-z0-9+/]+={0,2}\n$/);
  return sodium.crypto_box_seal_open(new Uint8Array(Buffer.from(stdout.slice(0, -1), 'base64')), recipient.publicKey, recipient.privateKey);
}

describe('paddock seal (in-process)', () => {
  it('seals stdin exactly as read, newlines, NULs and non-UTF-8 bytes included, and prints base64 and a newline', async () => {
    for (const input of [
      Buffer.from('client-secret\n'),
      Buffer.from('  spaced secret \r\n\r\n'),
      Buffer.from([0, 0xff, 0xfe, 0x0a, 0x00]),
      Buffer.from('\ufeffpässwörd'),
    ]) {
      const { code, stdout, stderr } = await run(['seal', '--public-key', publicKeyBase64], new Uint8Array(input));
      expect(code).toBe(exitCodes.ok);
      expect(stderr).toBe('');
      expect(Buffer.from(openOutput(stdout))).toEqual(input);
    }
  });

  it('seals empty input to a 48-byte box', async () => {
    const { code, stdout } = await run(['seal', `--public-key=${publicKeyBase64}`], new Uint8Array(0));
    expect(code).toBe(0);
    expect(Buffer.from(stdout.trim(), 'base64')).toHaveLength(48);
    expect(openOutput(stdout)).toEqual(new Uint8Array(0));
  });

  it('seals any bytes so that libsodium opens them', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), async (input) => {
        const { code, stdout } = await run(['seal', '--public-key', publicKeyBase64], input);
        expect(code).toBe(0);
        expect(openOutput(stdout)).toEqual(input);
      }),
      { numRuns: 100 },
    );
  });

  it.each([
    [[], "seal needs --public-key, the runner's public key in base64."],
    [['--public-key'], "Option '--public-key <value>' argument missing"],
    [['--public-key', 'not base64!'], "--public-key: The public key is not valid base64: a space at position 4 is not in the base64 alphabet."],
    [['--public-key', 'AAAA'], '--public-key: The public key must be 32 bytes (an X25519 key), but it is 3 bytes.'],
    [['--public-key', `${'A'.repeat(43)}=`], '--public-key: The recipient\'s public key is not a usable X25519 key (it is a point of small order'],
    [['--public-key', 'KEY', 'secret-as-argument'], 'seal reads the secret from standard input and takes no arguments'],
    [['--public-key', 'KEY', '--json'], "Unknown option '--json'"],
  ])('exits 64 with a message on stderr, without reading stdin, for %j', async (args, message) => {
    const argv = ['seal', ...args.map((arg) => (arg === 'KEY' ? publicKeyBase64 : arg))];
    const { code, stdout, stderr, stdinReads } = await run(argv, new Uint8Array([1, 2, 3]));
    expect(code).toBe(exitCodes.usage);
    expect(stdout).toBe('');
    expect(stdinReads).toBe(0);
    expect(stderr).toContain(`paddock seal: ${message}`);
    expect(stderr).toContain('Usage: paddock seal --public-key <base64> < secret\n');
  });

  it('is listed in the main help and documents itself with --help', async () => {
    expect(commands.map((command) => command.name)).toContain('seal');
    expect(mainHelp()).toMatch(/^ {2}seal {2,}Seal a secret read from stdin/m);
    for (const argv of [['seal', '--help'], ['help', 'seal'], ['seal', '-h']]) {
      const { code, stdout, stdinReads } = await run(argv);
      expect(code).toBe(0);
      expect(stdinReads).toBe(0);
      expect(stdout).toContain('Usage: paddock seal --public-key <base64> < secret');
      expect(stdout).toContain('--public-key <base64>');
      expect(stdout).toContain('nothing is trimmed');
      expect(stdout).toContain('docs/sealed-boxes.md');
    }
  });
});

describe('paddock seal (as a process)', () => {
  function paddock(argv: string[], input: Buffer) {
    return spawnSync(process.execPath, ['--import', 'tsx', 'electron/core/cli/paddock.ts', ...argv], {
      cwd: root,
      input,
      encoding: 'utf8',
      timeout: 30_000,
    });
  }

  it('reads all of a piped stdin, seals it as is, and libsodium opens the output', () => {
    const input = Buffer.concat([Buffer.from('a client secret with a trailing newline\n'), Buffer.alloc(200_000, 0x5a), Buffer.from([0xff, 0x00, 0x0a])]);
    const result = paddock(['seal', '--public-key', publicKeyBase64], input);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(Buffer.from(openOutput(result.stdout))).toEqual(input);
  });

  it('seals an empty stdin', () => {
    const result = paddock(['seal', '--public-key', publicKeyBase64], Buffer.alloc(0));
    expect(result.status).toBe(0);
    expect(openOutput(result.stdout)).toEqual(new Uint8Array(0));
  });

  it('exits 64 with the reason on stderr for a bad key', () => {
    const result = paddock(['seal', '--public-key', publicKeyBase64.slice(0, -1)], Buffer.from('secret'));
    expect(result.status).toBe(64);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain("paddock seal: --public-key: The public key is not valid base64: its length (43) is not a multiple of 4");
  });
});
