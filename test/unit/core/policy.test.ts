import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { policySecretBinding } from '../../../electron/common/policy';
import { openClientSecret } from '../../../electron/common/provider-config';
import { runPaddockCli } from '../../../electron/core/cli/paddock';
import { loadPolicy, maxPolicyBytes, policyFilePath, type LoadPolicyOptions } from '../../../electron/core/policy/load';

const examples = path.resolve(__dirname, '../../../build/policy-examples');
const publicKey = '+xGWqCjUD4yQtfIze4DZQAsl7dgaGIqsLvwowfXOB3U=';
/** The secret key of the example runner in build/policy-examples (an example key, used nowhere else). */
const secretKey = 'DOx5ver72WrX9Zx6BlYw+eHZ0JxdnFa6atfVkt3JleM=';
const spki = 'sha256/BiOhglMXW34xZLpPDPkrTDB5JesaFxypZQQbMBZ0WIA=';
const canary = 'CANARY-policy-secret-4d1b9e';

const remoteRunner = (id: string, n: number) => ({
  id,
  name: `Runner ${id}`,
  url: `https://runner${n}.example.com:8443`,
  spki,
  publicKey,
  runnerUid: `r_0000000${n}-1690-4f7c-8687-a8e0a77b1c51`,
});
const sealed = 'A'.repeat(64) + 'BBBB';

function enoent(): never {
  throw Object.assign(new Error('ENOENT: no such file or directory'), { code: 'ENOENT' });
}

function options(files: Record<string, string>, extra: Partial<LoadPolicyOptions> = {}): LoadPolicyOptions {
  return {
    platform: 'linux',
    env: { PADDOCK_POLICY_FILE: '/tmp/test-policy.json' },
    isDevelopmentBuild: true,
    readFile: (file) => files[file] ?? enoent(),
    ...extra,
  };
}

const load = (policy: unknown) => loadPolicy(options({ '/tmp/test-policy.json': typeof policy === 'string' ? policy : JSON.stringify(policy) }));

describe('where the policy file is', () => {
  const packaged = { env: {}, isDevelopmentBuild: false };
  it.each([
    ['win32', 'C:\\ProgramData\\Paddock\\policy.json'],
    ['darwin', '/Library/Application Support/Paddock/policy.json'],
    ['linux', '/etc/paddock/policy.json'],
    ['freebsd', '/etc/paddock/policy.json'],
  ])('%s: %s', (platform, expected) => {
    expect(policyFilePath({ platform, ...packaged })).toBe(expected);
  });

  it('Windows: the ProgramData folder the caller read from the registry, never the environment variable', () => {
    expect(policyFilePath({ platform: 'win32', ...packaged, programData: 'D:\\ProgramData' })).toBe('D:\\ProgramData\\Paddock\\policy.json');
    expect(policyFilePath({ platform: 'win32', env: { ProgramData: 'C:\\Users\\me\\fake', PROGRAMDATA: 'C:\\Users\\me\\fake' }, isDevelopmentBuild: false })).toBe(
      'C:\\ProgramData\\Paddock\\policy.json',
    );
  });

  it('PADDOCK_POLICY_FILE is honoured only by development builds', () => {
    const env = { PADDOCK_POLICY_FILE: '/home/me/policy.json' };
    expect(policyFilePath({ platform: 'linux', env, isDevelopmentBuild: true })).toBe('/home/me/policy.json');
    expect(policyFilePath({ platform: 'linux', env, isDevelopmentBuild: false })).toBe('/etc/paddock/policy.json');
    expect(policyFilePath({ platform: 'win32', env, isDevelopmentBuild: false })).toBe('C:\\ProgramData\\Paddock\\policy.json');
    expect(policyFilePath({ platform: 'linux', env: { PADDOCK_POLICY_FILE: ' ' }, isDevelopmentBuild: true })).toBe('/etc/paddock/policy.json');
  });

  it('a packaged build reads the machine-wide file even when the override points elsewhere', async () => {
    const read: string[] = [];
    const result = await loadPolicy({
      platform: 'darwin',
      env: { PADDOCK_POLICY_FILE: '/tmp/loose.json' },
      isDevelopmentBuild: false,
      readFile: (file) => {
        read.push(file);
        return enoent();
      },
    });
    expect(read).toEqual(['/Library/Application Support/Paddock/policy.json']);
    expect(result.path).toBe('/Library/Application Support/Paddock/policy.json');
  });
});

describe('reading the file', () => {
  it('a missing file is no policy, not a problem', async () => {
    expect(await loadPolicy(options({}))).toEqual({ path: '/tmp/test-policy.json', found: false, runners: [], providers: [], network: null, problems: [] });
    const notDir = await loadPolicy(options({}, { readFile: () => Promise.reject(Object.assign(new Error('x'), { code: 'ENOTDIR' })) }));
    expect(notDir.found).toBe(false);
    expect(notDir.problems).toEqual([]);
  });

  it('an unreadable file is one problem and nothing applies', async () => {
    const result = await loadPolicy(options({}, { readFile: () => Promise.reject(Object.assign(new Error('EACCES'), { code: 'EACCES' })) }));
    expect(result).toMatchObject({ found: true, runners: [], providers: [] });
    expect(result.problems).toEqual([{ path: '', message: expect.stringMatching(/cannot be read \(permission denied.*no policy applies/) }]);
  });

  it('invalid JSON is one problem, names where, and never quotes the file', async () => {
    const text = `{ "version": 1, "providers": [ { "runner": "local", "oauth": { "clientSecret": "${canary}" } ,, ] }`;
    const result = await load(text);
    expect(result).toMatchObject({ found: true, runners: [], providers: [] });
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]?.message).toMatch(/^The policy file is not valid JSON \((line \d+, column \d+|at character \d+)\), so no policy applies/);
    expect(JSON.stringify(result)).not.toContain(canary);
    expect((await load('')).problems[0]?.message).toMatch(/not valid JSON/);
  });

  it('a byte-order mark is allowed', async () => {
    expect((await load('\uFEFF{ "version": 1 }')).problems).toEqual([]);
  });

  it('a file that is not an object, has another version or is too large is one problem and nothing applies', async () => {
    expect((await load([])).problems).toEqual([{ path: '', message: expect.stringMatching(/must hold a JSON object/) }]);
    expect((await load({ version: 2, runners: [remoteRunner('a', 1)] })).problems).toEqual([{ path: 'version', message: expect.stringMatching(/reads policy version 1; the file has another version/) }]);
    expect((await load({ runners: [] })).problems[0]?.message).toMatch(/gives no "version"/);
    const big = await load(JSON.stringify({ version: 1, pad: 'x'.repeat(maxPolicyBytes) }));
    expect(big.problems).toEqual([{ path: '', message: expect.stringMatching(/larger than 1024 KiB/) }]);
  });

  it('an empty policy applies nothing and reports nothing', async () => {
    expect(await load({ version: 1 })).toEqual({ path: '/tmp/test-policy.json', found: true, runners: [], providers: [], network: null, problems: [] });
  });

  it('unknown top-level keys and lists that are not lists are reported; the rest applies', async () => {
    const result = await load({ version: 1, runner: [], runners: {}, providers: [{ runner: 'local', kind: 'github', host: 'github.com', pat: { enabled: true } }] });
    expect(result.problems).toEqual([
      { path: 'runner', message: expect.stringMatching(/does not know this key/) },
      { path: 'runners', message: expect.stringMatching(/must be a list/) },
    ]);
    expect(result.providers.map((p) => p.host)).toEqual(['https://github.com']);
  });
});

describe('entries are checked one by one', () => {
  it('an invalid runner entry is reported with its JSON path and skipped; the rest applies', async () => {
    const result = await load({
      version: 1,
      runners: [remoteRunner('eu', 1), { ...remoteRunner('us', 2), url: 'http://runner2.example.com', spki: 'sha256/x' }, 'oops', remoteRunner('asia', 3)],
    });
    expect(result.runners.map((r) => r.id)).toEqual(['eu', 'asia']);
    expect(result.problems).toEqual([
      { path: 'runners[1].url', message: expect.stringMatching(/must start with https:\/\/.*This runner entry is ignored\.$/) },
      { path: 'runners[1].spki', message: expect.stringMatching(/sha256\/.*This runner entry is ignored\.$/) },
      { path: 'runners[2]', message: expect.stringMatching(/This runner entry is ignored\.$/) },
    ]);
  });

  it('runner entries with the same id, runner or URL: the first applies, the others are reported', async () => {
    const result = await load({
      version: 1,
      runners: [remoteRunner('eu', 1), remoteRunner('eu', 2), { ...remoteRunner('x', 1), url: 'https://other.example.com' }, { ...remoteRunner('y', 4), url: 'https://runner1.example.com:8443/' }],
    });
    expect(result.runners.map((r) => r.id)).toEqual(['eu']);
    expect(result.problems.map((p) => p.path)).toEqual(['runners[1].id', 'runners[2].runnerUid', 'runners[3].url']);
  });

  it('an invalid provider entry is reported with its JSON path and skipped; the rest applies', async () => {
    const result = await load({
      version: 1,
      providers: [
        { runner: 'local', kind: 'github', host: 'github.com', pat: { enabled: true } },
        { runner: 'local', kind: 'azure-devops', host: 'dev.azure.com', organizations: [{ name: 'contoso' }], oauth: { clientId: '', publicClient: true } },
        { runner: 'local', kind: 'gitlab', host: 'gitlab.example.com', oauth: { clientId: 'abc', publicClient: true } },
        42,
      ],
    });
    expect(result.providers.map((p) => `${p.kind} ${p.host}`)).toEqual(['github https://github.com', 'gitlab https://gitlab.example.com']);
    expect(result.problems).toEqual([
      { path: 'providers[1].oauth.clientId', message: 'Give the Client ID of the OAuth app. This provider entry is ignored.' },
      { path: 'providers[3]', message: expect.stringMatching(/must be an object/) },
    ]);
  });

  it('a provider naming an unknown runner, or a runner whose entry is invalid, is reported and skipped', async () => {
    const result = await load({
      version: 1,
      runners: [remoteRunner('eu', 1), { ...remoteRunner('us', 2), publicKey: 'nope' }],
      providers: [
        { runner: 'eu', kind: 'github', host: 'github.com', pat: { enabled: true } },
        { runner: 'nowhere', kind: 'github', host: 'github.com', pat: { enabled: true } },
        { runner: 'us', kind: 'github', host: 'github.com', pat: { enabled: true } },
        { kind: 'github', host: 'github.com', pat: { enabled: true } },
      ],
    });
    expect(result.providers.map((p) => p.runner)).toEqual(['eu']);
    expect(result.problems).toEqual([
      { path: 'runners[1].publicKey', message: expect.stringMatching(/X25519/) },
      { path: 'providers[1].runner', message: expect.stringMatching(/^No runner has the id nowhere: use "local"/) },
      { path: 'providers[2].runner', message: expect.stringMatching(/^The runner us is ignored because its entry has problems/) },
      { path: 'providers[3].runner', message: expect.stringMatching(/^Name the runner/) },
    ]);
  });

  it('duplicate hosts on one runner are reported (after normalisation); the same host on two runners is fine', async () => {
    const result = await load({
      version: 1,
      runners: [remoteRunner('eu', 1)],
      providers: [
        { runner: 'local', kind: 'github', host: 'https://GitHub.com/', pat: { enabled: true } },
        { runner: 'local', kind: 'github', host: 'github.com', oauth: { clientId: 'x', clientSecret: canary } },
        { runner: 'eu', kind: 'github', host: 'github.com', pat: { enabled: true } },
      ],
    });
    expect(result.providers.map((p) => `${p.runner} ${p.host}`)).toEqual(['local https://github.com', 'eu https://github.com']);
    expect(result.problems).toEqual([{ path: 'providers[1].host', message: expect.stringMatching(/^providers\[0\] already gives https:\/\/github.com on the runner local/) }]);
    expect(JSON.stringify(result.problems)).not.toContain(canary);
  });

  it('a sealed secret on the local runner and a plaintext secret on a remote runner are reported', async () => {
    const result = await load({
      version: 1,
      runners: [remoteRunner('eu', 1)],
      providers: [
        { runner: 'local', kind: 'github', host: 'github.com', oauth: { clientId: 'x', sealedClientSecret: sealed } },
        { runner: 'eu', kind: 'github', host: 'github.com', oauth: { clientId: 'x', clientSecret: canary } },
        { runner: 'eu', kind: 'github', host: 'github.example.com', oauth: { clientId: 'x', sealedClientSecret: sealed } },
      ],
    });
    expect(result.problems).toEqual([
      { path: 'providers[0].oauth.sealedClientSecret', message: expect.stringMatching(/cannot be used with the local runner/) },
      { path: 'providers[1].oauth.clientSecret', message: expect.stringMatching(/must not stand in plain text.*paddock seal/) },
    ]);
    expect(result.providers).toEqual([expect.objectContaining({ runner: 'eu', host: 'https://github.example.com', oauth: { clientId: 'x', tenant: null, clientSecret: { type: 'sealed', sealed } } })]);
  });

  it('a canary plaintext clientSecret never appears in problems, whatever the mistake', async () => {
    const bad = [
      { runner: 'local', kind: 'azure-devops', host: 'dev.azure.com', organizations: [{ name: 'c' }], oauth: { clientId: 'x', clientSecret: canary } },
      { runner: 'eu', kind: 'github', host: 'github.com', oauth: { clientId: 'x', clientSecret: canary } },
      // normalizeHost quotes an unparseable host: the canary is redacted from it.
      { runner: 'local', kind: 'github', host: `https://${canary}:99999`, oauth: { clientId: canary, clientSecret: canary } },
      { runner: 'local', kind: 'github', host: 'github.com', oauth: { clientId: 'x', clientSecret: canary, publicClient: true } },
      { runner: 'local', kind: canary, host: 'github.com', oauth: { clientId: 'x', clientSecret: canary } },
      { runner: 'local', kind: 'github', host: 'github.com', [canary]: 1, oauth: { clientId: 'x', clientSecret: canary } },
      { runner: canary, kind: 'github', host: 'github.com', oauth: { clientId: 'x', clientSecret: canary } },
      { runner: 'local', kind: 'azure-devops-server', host: 'tfs.example.com', collections: [canary + '/x'], oauth: { clientId: 'x', clientSecret: canary } },
    ];
    const result = await load({ version: 1, runners: [remoteRunner('eu', 1)], providers: bad });
    expect(result.problems.length).toBeGreaterThanOrEqual(bad.length);
    expect(new Set(result.problems.map((p) => p.path.replace(/\].*/, ']'))).size).toBe(bad.length);
    expect(JSON.stringify(result.problems)).not.toContain(canary);
    expect(JSON.stringify(result.problems)).toContain('[redacted]');
    expect(result.providers).toEqual([]);
  });

  it('a valid plaintext secret for the local runner is passed on for the runner to seal, and never into problems', async () => {
    const result = await load({
      version: 1,
      bogus: true,
      providers: [{ runner: 'local', kind: 'bitbucket-cloud', host: 'bitbucket.org', oauth: { clientId: 'key', clientSecret: canary }, pat: { enabled: true } }],
    });
    expect(result.providers[0]?.oauth?.clientSecret).toEqual({ type: 'plain', secret: canary });
    expect(result.problems).toHaveLength(1);
    expect(JSON.stringify(result.problems)).not.toContain(canary);
  });
});

describe('the examples in build/policy-examples', () => {
  const files = readdirSync(examples).filter((name) => name.endsWith('.json'));

  it('there are examples for each case', () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
  });

  it.each(files)('%s loads with no problems', async (name) => {
    const text = readFileSync(path.join(examples, name), 'utf8');
    const result = await loadPolicy(options({ '/tmp/test-policy.json': text }));
    expect(result.problems).toEqual([]);
    const json = JSON.parse(text) as { runners?: unknown[]; providers?: unknown[] };
    expect(result.runners).toHaveLength(json.runners?.length ?? 0);
    expect(result.providers).toHaveLength(json.providers?.length ?? 0);
  });
});

describe('sealing for a remote runner, as docs/policy.md says', () => {
  it('the envelope sealed with `paddock seal` loads, opens on the runner and matches the entry’s binding', async () => {
    const runner = remoteRunner('eu', 1);
    const envelope = { runnerId: runner.runnerUid, kind: 'github', host: 'https://github.example.com', clientId: 'Iv1.abc', tenant: null, secret: canary };
    let stdout = '';
    const code = await runPaddockCli(['seal', '--public-key', publicKey], {
      stdout: (text) => (stdout += text),
      stderr: () => undefined,
      readStdin: async () => new TextEncoder().encode(`${JSON.stringify(envelope)}\n`),
    });
    expect(code).toBe(0);
    const sealedSecret = stdout.trim();
    const result = await load({
      version: 1,
      runners: [runner],
      providers: [{ runner: 'eu', kind: 'github', host: 'GitHub.example.com/', oauth: { clientId: 'Iv1.abc', sealedClientSecret: sealedSecret } }],
    });
    expect(result.problems).toEqual([]);
    const [provider] = result.providers;
    const [policyRunner] = result.runners;
    if (!provider || !policyRunner || provider.oauth?.clientSecret.type !== 'sealed') throw new Error('expected a sealed entry');
    const binding = policySecretBinding(provider, policyRunner);
    if (!binding) throw new Error('expected a binding');
    const keys = { publicKey: Buffer.from(publicKey, 'base64'), secretKey: Buffer.from(secretKey, 'base64') };
    const opened = openClientSecret(provider.oauth.clientSecret.sealed, keys, binding);
    expect(opened).toEqual({ ok: true, envelope });
    expect(openClientSecret(provider.oauth.clientSecret.sealed, keys, { ...binding, clientId: 'Iv1.other' }).ok).toBe(false);
  });

  it('docs/policy.md names every example', () => {
    const docs = readFileSync(path.resolve(__dirname, '../../../docs/policy.md'), 'utf8');
    for (const name of readdirSync(examples)) expect(docs).toContain(`build/policy-examples/${name}`);
  });
});

describe('network settings (D4)', () => {
  const load = (json: unknown) =>
    loadPolicy({ platform: 'linux', env: {}, isDevelopmentBuild: false, readFile: () => JSON.stringify(json) });

  it('reads a CA bundle and a proxy for the local runner', async () => {
    const policy = await load({ version: 1, network: { caFile: '/etc/ssl/corp-ca.pem', proxy: 'http://proxy.example.com:3128', noProxy: 'localhost,.corp.example.com' } });
    expect(policy.network).toEqual({ caFile: '/etc/ssl/corp-ca.pem', proxy: 'http://proxy.example.com:3128', noProxy: 'localhost,.corp.example.com' });
    expect(policy.problems).toEqual([]);
  });

  it('reports invalid network settings and ignores them, applying the rest', async () => {
    const policy = await load({ version: 1, network: { proxy: 'ftp://nope' }, providers: [{ runner: 'local', kind: 'github', host: 'https://github.com', pat: { enabled: true } }] });
    expect(policy.network).toBeNull();
    expect(policy.problems).toEqual([{ path: 'network.proxy', message: expect.stringMatching(/http:\/\/ or https:\/\//) }]);
    expect(policy.providers).toHaveLength(1);
  });
});
