import { createHash } from 'node:crypto';
// The runner's side of the native git credential helper (the trampoline):
// its NUL framing, turned into the Node helper's message and answered with
// the bytes the trampoline prints — and everything that is not a right frame
// refused. The trampoline itself, compiled and run by git: test/integration/git-trampoline.test.ts.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  credentialConfig,
  GIT_HELPER_ENV,
  helperConfigValue,
  startCredentialServer,
  trampolinePath,
  type CredentialServer,
} from '../../../../electron/runner/git/credential-helper';
import { MAX_FRAME_BYTES, parseTrampolineFrame, trampolineFrameEnd, trampolineReply } from '../../../../electron/runner/git/trampoline-frame';

/** A frame as the trampoline builds it. */
const frame = (fields: [string, string][], options: { magic?: string; end?: boolean } = {}) =>
  Buffer.concat([Buffer.from(options.magic ?? '\0PDKT1\0', 'latin1'), ...fields.map(([n, v]) => Buffer.from(`${n}=${v}\0`)), Buffer.from(options.end === false ? '' : '\0', 'latin1')]);
const CAP = 'c'.repeat(43);
const gitInput = 'protocol=https\nhost=git.example.com\npath=org/repo.git\nusername=someone\npassword=sent-back\nwwwauth[]=Basic\n\nhost=after-the-blank-line\n';

describe('the trampoline’s frame', () => {
  it('becomes the Node helper’s message: action from argv, git’s forwarded keys only, up to the blank line', () => {
    expect(parseTrampolineFrame(frame([['arg', 'get'], ['capability', CAP], ['stdin', gitInput]])))
      .toEqual({ action: 'get', environment: false, message: { v: 1, capability: CAP, action: 'get', protocol: 'https', host: 'git.example.com', path: 'org/repo.git', username: 'someone' } });
    const args: [string, string][] = ['--environment', 'env_1', '--endpoint', '/s', '--secret-file', '/f', 'erase'].map((a) => ['arg', a]);
    expect(parseTrampolineFrame(frame([...args, ['secret', 's'.repeat(43)], ['stdin', 'protocol=https\nhost=h\n']])))
      .toEqual({ action: 'erase', environment: true, message: { v: 1, environment: 'env_1', secret: 's'.repeat(43), action: 'erase', protocol: 'https', host: 'h' } });
    // erase: the refused password only as its SHA-256; get never forwards one.
    const erased = parseTrampolineFrame(frame([...args, ['secret', 's'.repeat(43)], ['stdin', 'protocol=https\nhost=h\npassword=refused\n']]));
    expect(erased?.message).toEqual({ v: 1, environment: 'env_1', secret: 's'.repeat(43), action: 'erase', protocol: 'https', host: 'h', passwordSha256: createHash('sha256').update('refused').digest('hex') });
    expect(JSON.stringify(parseTrampolineFrame(frame([['arg', 'get'], ['capability', CAP], ['stdin', 'protocol=https\nhost=h\npassword=refused\n']]))!.message)).not.toContain('refused');
  });

  it('ends at its final NUL NUL, and is not complete before it', () => {
    const whole = frame([['arg', 'get'], ['capability', CAP], ['stdin', '']]);
    expect(trampolineFrameEnd(whole)).toBe(whole.length);
    expect(trampolineFrameEnd(whole.subarray(0, whole.length - 1))).toBeNull();
    expect(trampolineFrameEnd(whole.subarray(0, 3))).toBeNull();
    expect(() => trampolineFrameEnd(Buffer.from('\0PDKX1\0'))).toThrow();
    expect(() => trampolineFrameEnd(Buffer.from('{"v":1}\n'))).toThrow();
  });

  it('refuses frames that are not right', () => {
    const env = ['--environment', 'env_1', 'get'].map((a): [string, string] => ['arg', a]);
    const bad: Buffer[] = [
      frame([]),
      frame([['capability', CAP], ['stdin', '']]), // no action
      frame([['arg', 'get'], ['capability', CAP]]), // no stdin
      frame([['arg', 'get'], ['stdin', '']]), // neither capability nor secret
      frame([['arg', 'get'], ['capability', CAP], ['capability', CAP], ['stdin', '']]), // twice
      frame([['arg', 'get'], ['capability', CAP], ['secret', CAP], ['stdin', '']]), // both
      frame([['arg', 'get'], ['capability', CAP], ['token', 'x'], ['stdin', '']]), // unknown field
      frame([['arg', 'get'], ['=x', ''], ['capability', CAP], ['stdin', '']]), // no name
      frame([['arg', 'x'], ['arg', 'get'], ['capability', CAP], ['stdin', '']]), // options not in pairs
      frame([['arg', 'x'], ['arg', 'y'], ['arg', 'get'], ['capability', CAP], ['stdin', '']]), // not an --option
      frame([['arg', '--endpoint'], ['arg', '/s'], ['arg', 'get'], ['capability', CAP], ['stdin', '']]), // options without --environment
      frame([...env, ['capability', CAP], ['stdin', '']]), // environment mode with a capability
      frame([...env, ['stdin', '']]), // environment mode without a secret
      frame([...Array.from({ length: 17 }, (): [string, string] => ['arg', 'get']), ['capability', CAP], ['stdin', '']]),
      frame([['arg', 'get'], ['capability', CAP], ['stdin', '']], { end: false }),
      Buffer.concat([frame([['arg', 'get'], ['capability', CAP], ['stdin', '']]), Buffer.from('more')]),
      frame([['arg', 'get'], ['capability', CAP], ['stdin', 'x'.repeat(MAX_FRAME_BYTES)]]),
    ];
    for (const data of bad) expect(parseTrampolineFrame(data), JSON.stringify(data.toString('latin1').slice(0, 120))).toBeNull();
  });

  it('answers as the Node helper prints: a credential for get, a sentence and quit=1 for an environment, else nothing', () => {
    const get = { action: 'get', environment: false, message: {} };
    const env = { ...get, environment: true };
    expect(trampolineReply(get, { username: 'u', password: 'p' }).toString()).toBe('username=u\npassword=p\n\0');
    expect(trampolineReply({ ...get, action: 'erase' }, { username: 'u', password: 'p' }).toString()).toBe('\0');
    expect(trampolineReply(get, { username: 'u', password: 'p\nhost=evil' }).toString()).toBe('\0');
    expect(trampolineReply(get, { username: 'u', password: 'p\0' }).toString()).toBe('\0');
    expect(trampolineReply(get, { message: 'Reconnect.' }).toString()).toBe('\0');
    expect(trampolineReply(env, { message: 'Reconnect.' }).toString()).toBe('quit=1\n\0Paddock: Reconnect.\n');
    expect(trampolineReply(env, { message: 'a\nb' }).toString()).toBe('\0');
    expect(trampolineReply(env, { message: 'Reconnect\u001b]0;owned\u0007.\u202e\u200b' }).toString()).toBe('quit=1\n\0Paddock: Reconnect]0;owned.\n');
    expect(trampolineReply(env, {}).toString()).toBe('\0');
  });
});

describe('choosing the trampoline', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pdk-tramp-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('takes the one PADDOCK_GIT_HELPER names, else the one in the packaged app’s resources, else none (the Node script)', () => {
    const named = path.join(dir, 'my helper');
    fs.writeFileSync(named, '');
    expect(trampolinePath({ [GIT_HELPER_ENV]: named }, undefined, 'linux')).toBe(named);
    expect(() => trampolinePath({ [GIT_HELPER_ENV]: path.join(dir, 'missing') }, undefined, 'linux')).toThrow(/PADDOCK_GIT_HELPER names no git credential helper/);
    expect(() => trampolinePath({ [GIT_HELPER_ENV]: 'relative' }, undefined, 'linux')).toThrow(/absolute path/);
    expect(trampolinePath({}, dir, 'linux')).toBeNull();
    fs.writeFileSync(path.join(dir, 'paddock-git-helper'), '');
    expect(trampolinePath({}, dir, 'linux')).toBe(path.join(dir, 'paddock-git-helper'));
    expect(trampolinePath({}, dir, 'win32')).toBeNull();
    expect(trampolinePath({}, undefined, 'linux')).toBeNull();
  });

  it('is named, quoted, in the same shell wrapper (store answered by the shell)', () => {
    expect(helperConfigValue({ trampoline: "/opt/Pad dock/it's/paddock-git-helper" }, 'linux')).toBe(
      "!f() { test \"$1\" = store && exit 0; '/opt/Pad dock/it'\\''s/paddock-git-helper' \"$@\"; }; f",
    );
    expect(helperConfigValue({ trampoline: 'C:\\Program Files\\Paddock\\resources\\paddock-git-helper.exe' }, 'win32')).toBe(
      "!f() { test \"$1\" = store && exit 0; 'C:/Program Files/Paddock/resources/paddock-git-helper.exe' \"$@\"; }; f",
    );
    expect(credentialConfig({ trampoline: '/t' }, [], 'linux')).toEqual([
      { key: 'credential.helper', value: '' },
      { key: 'credential.helper', value: helperConfigValue({ trampoline: '/t' }, 'linux') },
    ]);
  });
});

function talk(endpoint: string, data: Buffer): Promise<{ answer: Buffer; destroyed: boolean }> {
  return new Promise((resolve) => {
    const socket = net.connect({ path: endpoint });
    const chunks: Buffer[] = [];
    let destroyed = false;
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => (destroyed = true));
    socket.on('close', () => resolve({ answer: Buffer.concat(chunks), destroyed: destroyed || chunks.length === 0 }));
    socket.write(data);
  });
}

describe('the credential server, asked by the trampoline', () => {
  let server: CredentialServer;
  let parent: string;
  const warnings: string[] = [];
  beforeEach(async () => {
    parent = fs.mkdtempSync(path.join(os.tmpdir(), 'pdk-tcs-'));
    server = await startCredentialServer({
      helper: { trampoline: '/t' },
      parentDir: parent,
      logger: { info: () => {}, warn: (m) => void warnings.push(m), error: () => {} },
    });
  });
  afterEach(async () => {
    await server.close();
    fs.rmSync(parent, { recursive: true, force: true });
  });

  it('answers a right frame with the credential’s bytes, through the same checks as the Node helper’s message', async () => {
    const resolve = vi.fn(async () => ({ username: 'x-access-token', password: 'provider-token' }));
    const run = server.register({ origin: { protocol: 'https', host: 'git.example.com' }, resolve });
    const capability = run.env.PADDOCK_CRED_TOKEN!;
    const asked = await talk(server.endpoint, frame([['arg', 'get'], ['capability', capability], ['stdin', gitInput]]));
    expect(asked.answer.toString()).toBe('username=x-access-token\npassword=provider-token\n\0');
    expect(resolve).toHaveBeenCalledWith({ action: 'get', protocol: 'https', host: 'git.example.com', path: 'org/repo.git', username: 'someone', passwordSha256: null });
    // Another host, or an unknown capability: nothing (the schema's and the run's checks apply).
    expect((await talk(server.endpoint, frame([['arg', 'get'], ['capability', capability], ['stdin', 'protocol=https\nhost=elsewhere\n']]))).answer.toString()).toBe('\0');
    expect((await talk(server.endpoint, frame([['arg', 'get'], ['capability', 'x'.repeat(43)], ['stdin', gitInput]]))).answer.toString()).toBe('\0');
    expect((await talk(server.endpoint, frame([['arg', 'get'], ['capability', capability], ['stdin', 'protocol=https\nhost=git.example.com\nusername=a\rb\n']]))).answer.toString()).toBe('\0');
    expect(resolve).toHaveBeenCalledTimes(1);
  });

  it('closes the connection of a frame that is not right, or over the size limit, without answering', async () => {
    const resolve = vi.fn(async () => ({ username: 'u', password: 'p' }));
    const capability = server.register({ origin: { protocol: 'https', host: 'git.example.com' }, resolve }).env.PADDOCK_CRED_TOKEN!;
    for (const data of [
      frame([['arg', 'get'], ['capability', capability], ['unknown', 'x'], ['stdin', gitInput]]),
      frame([['arg', 'get'], ['capability', capability], ['stdin', gitInput]], { magic: '\0PDKT9\0' }),
      Buffer.concat([frame([['arg', 'get'], ['capability', capability], ['stdin', 'x'.repeat(MAX_FRAME_BYTES)]], { end: false })]),
    ]) {
      const asked = await talk(server.endpoint, data);
      expect(asked.answer.length).toBe(0);
      expect(asked.destroyed).toBe(true);
    }
    expect(resolve).not.toHaveBeenCalled();
    expect(warnings.filter((w) => w.includes('frame that is not right or over the size limit'))).toHaveLength(3);
  });
});
