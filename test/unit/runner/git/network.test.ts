import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { GIT_CA_BUNDLE_FILE, gitNetworkSettings, prepareGitNetwork, PROXY_VARIABLES, writeGitCaBundle } from '../../../../electron/runner/git/network';
import { gitEnvironment, redactGitLine, runGit } from '../../../../electron/runner/git/process';

const password = 'canary-pw-7f3a%2Fx';
const proxyUrl = `http://alice:${password}@proxy.corp.example:3128`;
const inherited: NodeJS.ProcessEnv = {
  PATH: '/usr/bin',
  HOME: '/home/alice',
  HTTPS_PROXY: 'http://inherited.example:8080',
  http_proxy: 'http://inherited.example:8080',
  ALL_PROXY: 'socks5://inherited.example:1080',
  NO_PROXY: 'inherited.example',
  no_proxy: 'inherited.example',
  GIT_SSL_CAINFO: '/etc/inherited.pem',
};
/** git's own reading of the configuration an environment carries. */
const gitConfig = (env: Record<string, string>, key: string) => {
  try {
    return execFileSync('git', ['config', '--get-all', key], { env: { ...env, PATH: process.env.PATH ?? '', GIT_CONFIG_NOSYSTEM: '1', HOME: '/nonexistent' }, encoding: 'utf8' });
  } catch {
    return null;
  }
};

describe('the network settings git gets', () => {
  it('proxy "env": credentials in the inherited proxy variables are hidden in git’s lines, a short password only inside its URL', () => {
    const network = gitNetworkSettings({ proxy: 'env' }, null, 'linux', { HTTPS_PROXY: 'http://sam:env-canary-pw@proxy.corp.example:3128', http_proxy: 'http://ab:xy@other.example', NO_PROXY: 'x' });
    expect(network.secrets).toContain('env-canary-pw');
    expect(network.secrets).toContain('http://sam:env-canary-pw@proxy.corp.example:3128');
    expect(network.secrets).toContain('ab:xy');
    expect(network.secrets).not.toContain('xy');
    expect(network.secrets).not.toContain('x');
  });

  it('proxy "env" leaves the inherited proxy variables as they are and adds nothing', () => {
    const network = gitNetworkSettings({ proxy: 'env' }, null, 'linux', { HTTPS_PROXY: 'http://proxy.corp.example:3128' });
    expect(network).toMatchObject({ config: [], env: {}, drop: [], secrets: [] });
    const env = gitEnvironment({ baseEnv: inherited, network, platform: 'linux' });
    expect(env).toMatchObject({ HTTPS_PROXY: inherited.HTTPS_PROXY, http_proxy: inherited.http_proxy, NO_PROXY: 'inherited.example', GIT_SSL_CAINFO: '/etc/inherited.pem' });
    expect(env.GIT_CONFIG_COUNT).toBeUndefined();
  });

  it('an explicit proxy is http.proxy through the environment, the inherited proxy variables dropped, the no-proxy list as NO_PROXY and no_proxy', () => {
    const network = gitNetworkSettings({ proxy: { url: proxyUrl, noProxy: ' localhost,.corp.example ' } }, null, 'linux');
    const env = gitEnvironment({ baseEnv: inherited, network, config: [{ key: 'credential.helper', value: '' }], platform: 'linux' });
    for (const name of PROXY_VARIABLES.filter((n) => !/no_proxy/i.test(n))) expect(env[name]).toBeUndefined();
    expect(env.NO_PROXY).toBe('localhost,.corp.example');
    expect(env.no_proxy).toBe('localhost,.corp.example');
    expect(gitConfig(env, 'http.proxy')).toBe(`${proxyUrl}\n`);
    // The caller's entries stay, before the network's.
    expect(env.GIT_CONFIG_KEY_0).toBe('credential.helper');
    // Not a CA file: git keeps the inherited bundle.
    expect(env.GIT_SSL_CAINFO).toBe('/etc/inherited.pem');
  });

  it('an explicit proxy without a no-proxy list leaves no inherited NO_PROXY behind', () => {
    const env = gitEnvironment({ baseEnv: inherited, network: gitNetworkSettings({ proxy: { url: 'http://proxy:3128' } }, null, 'linux'), platform: 'linux' });
    expect(env.NO_PROXY).toBeUndefined();
    expect(env.no_proxy).toBeUndefined();
    expect(gitConfig(env, 'http.proxy')).toBe('http://proxy:3128\n');
  });

  it('no proxy at all (as the HTTP client without one) is an empty http.proxy, which makes git go direct', () => {
    const env = gitEnvironment({ baseEnv: inherited, network: gitNetworkSettings({}, null, 'linux'), platform: 'linux' });
    expect(env.HTTPS_PROXY).toBeUndefined();
    expect(gitConfig(env, 'http.proxy')).toBe('\n');
  });

  it('on Windows the same entries go through GIT_CONFIG_PARAMETERS, the variables dropped whatever their case', () => {
    const network = gitNetworkSettings({ proxy: { url: proxyUrl, noProxy: 'localhost' } }, 'C:\\Paddock\\git-ca-bundle.pem', 'win32');
    const env = gitEnvironment({ baseEnv: { Path: 'C:\\Windows', Https_Proxy: 'http://inherited:1', Git_SSL_CAInfo: 'C:\\x.pem' }, network, platform: 'win32' });
    expect(Object.keys(env).map((k) => k.toUpperCase())).not.toContain('HTTPS_PROXY');
    expect(Object.keys(env).map((k) => k.toUpperCase())).not.toContain('GIT_SSL_CAINFO');
    expect(env.GIT_CONFIG_COUNT).toBeUndefined();
    expect(gitConfig({ GIT_CONFIG_PARAMETERS: env.GIT_CONFIG_PARAMETERS! }, 'http.proxy')).toBe(`${proxyUrl}\n`);
    expect(gitConfig({ GIT_CONFIG_PARAMETERS: env.GIT_CONFIG_PARAMETERS! }, 'http.schannelUseSSLCAInfo')).toBe('true\n');
  });

  it('a CA bundle is http.sslCAInfo and http.proxySSLCAInfo, and an inherited GIT_SSL_CAINFO (which would win) is not passed', () => {
    const network = gitNetworkSettings({ proxy: 'env', caFile: '/etc/corp.pem' }, '/data/git-ca-bundle.pem', 'linux');
    const env = gitEnvironment({ baseEnv: inherited, network, platform: 'linux' });
    expect(gitConfig(env, 'http.sslCAInfo')).toBe('/data/git-ca-bundle.pem\n');
    expect(gitConfig(env, 'http.proxySSLCAInfo')).toBe('/data/git-ca-bundle.pem\n');
    expect(gitConfig(env, 'http.schannelUseSSLCAInfo')).toBeNull();
    expect(env.GIT_SSL_CAINFO).toBeUndefined();
    // The proxy of the environment stays.
    expect(env.HTTPS_PROXY).toBe(inherited.HTTPS_PROXY);
  });

  it('the proxy’s URL and password, encoded or decoded, are replaced in git’s lines by the URL without credentials', () => {
    const network = gitNetworkSettings({ proxy: { url: proxyUrl } }, null, 'linux');
    expect(network.redacted).toBe('http://proxy.corp.example:3128');
    for (const line of [
      `fatal: unable to access via ${proxyUrl}: 407`,
      `proxy said ${password}`,
      `decoded ${decodeURIComponent(password)}`,
      `user alice:${password}`,
    ]) {
      const out = redactGitLine(line, network);
      expect(out).not.toContain(password);
      expect(out).not.toContain(decodeURIComponent(password));
    }
    expect(redactGitLine(`fatal: unable to access via ${proxyUrl}/`, network)).toMatch(/^fatal: unable to access via http:\/\/proxy\.corp\.example:3128\/?$/);
    expect(redactGitLine('Cloning into hello...', network)).toBe('Cloning into hello...');
  });

  it('runGit replaces them in every stderr line it hands on and keeps for the error', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-git-redact-'));
    try {
      // A stand-in for git that says the proxy URL it was given in its environment.
      const fake = path.join(dir, 'git');
      fs.writeFileSync(fake, '#!/bin/sh\necho "fatal: unable to access via $GIT_CONFIG_VALUE_0 (407)" >&2\nexit 128\n', { mode: 0o755 });
      const network = gitNetworkSettings({ proxy: { url: proxyUrl } }, null, 'linux');
      const lines: string[] = [];
      const result = await runGit({ args: ['ls-remote'], cwd: dir, git: fake, network, platform: 'linux', onProgress: (event) => event.kind === 'text' && lines.push(event.text) });
      expect(result).toMatchObject({ outcome: 'exited', exitCode: 128 });
      expect(result.stderrTail).toEqual(['fatal: unable to access via http://proxy.corp.example:3128 (407)']);
      expect(lines).toEqual(result.stderrTail);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a token as the proxy’s user name alone is a secret too', () => {
    const network = gitNetworkSettings({ proxy: { url: 'http://tok3n-canary@proxy:3128' } }, null, 'linux');
    expect(redactGitLine('said tok3n-canary', network)).toBe('said http://proxy:3128');
  });
});

describe('the combined CA bundle', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  const tmp = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-git-ca-'));
    dirs.push(dir);
    return dir;
  };
  const [a, b, c] = tls.rootCertificates as [string, string, string];
  const certs = (text: string) => text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];

  it('holds the system roots, Node’s built-in roots and the extra certificates, each once (git’s sslCAInfo replaces its bundle)', () => {
    const dir = tmp();
    const extra = path.join(dir, 'corp.pem');
    fs.writeFileSync(extra, `${c}\n`);
    const file = writeGitCaBundle(dir, extra, { system: [a, b], builtIn: [b.replace(/\n/g, '\r\n'), a] });
    expect(file).toBe(path.join(dir, GIT_CA_BUNDLE_FILE));
    expect(certs(fs.readFileSync(file, 'utf8')).map((p) => p.trim())).toEqual([a.trim(), b.trim(), c.trim()]);
    // git reads it: its certificates parse.
    for (const pem of certs(fs.readFileSync(file, 'utf8'))) expect(() => new X509Certificate(pem)).not.toThrow();
  });

  it('by default takes the roots this machine trusts and Node’s', () => {
    const dir = tmp();
    const extra = path.join(dir, 'corp.pem');
    fs.writeFileSync(extra, `${c}\n`);
    const text = fs.readFileSync(writeGitCaBundle(dir, extra), 'utf8');
    expect(certs(text).length).toBeGreaterThanOrEqual(tls.rootCertificates.length);
    expect(text).toContain(c.trim().split('\n')[1]);
  });

  it('at start: written with a CA file, removed without one, and an unreadable file is a problem, not a crash', () => {
    const dir = tmp();
    const extra = path.join(dir, 'corp.pem');
    fs.writeFileSync(extra, `${c}\n`);
    const withFile = prepareGitNetwork(dir, { proxy: 'env', caFile: extra });
    expect(withFile.problem).toBeNull();
    expect(withFile.network.config).toContainEqual({ key: 'http.sslCAInfo', value: path.join(dir, GIT_CA_BUNDLE_FILE) });
    expect(fs.existsSync(path.join(dir, GIT_CA_BUNDLE_FILE))).toBe(true);
    const without = prepareGitNetwork(dir, { proxy: 'env' });
    expect(without.network.config).toEqual([]);
    expect(fs.existsSync(path.join(dir, GIT_CA_BUNDLE_FILE))).toBe(false);
    const broken = prepareGitNetwork(dir, { proxy: 'env', caFile: path.join(dir, 'missing.pem') });
    expect(broken.problem).toMatch(/cannot be read/);
    expect(broken.network.config).toEqual([]);
  });
});
