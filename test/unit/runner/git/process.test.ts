import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { configEnvironment, gitEnvironment, shellQuote } from '../../../../electron/runner/git/process';

describe('the environment git gets', () => {
  const base = {
    PATH: '/usr/bin:/bin',
    HOME: '/home/u',
    LANG: 'de_DE.UTF-8',
    HTTPS_PROXY: 'http://proxy:3128',
    http_proxy: 'http://proxy:3128',
    NO_PROXY: '.corp',
    GIT_SSL_CAINFO: '/etc/corp-ca.pem',
    // None of these may reach git.
    GIT_DIR: '/somewhere/.git',
    GIT_TRACE_CURL: '1',
    GIT_SSL_NO_VERIFY: '1',
    GIT_ASKPASS: '/usr/bin/ksshaskpass',
    PADDOCK_RUNNER_TOKEN: 'runner-secret',
    ELECTRON_RUN_AS_NODE: '1',
    NODE_OPTIONS: '--require /tmp/x.js',
  };

  it('is an allowlist of the runner’s variables plus fixed ones: no prompts, English, nothing else inherited', () => {
    expect(gitEnvironment({ baseEnv: base, platform: 'linux' })).toEqual({
      PATH: '/usr/bin:/bin',
      HOME: '/home/u',
      HTTPS_PROXY: 'http://proxy:3128',
      http_proxy: 'http://proxy:3128',
      NO_PROXY: '.corp',
      GIT_SSL_CAINFO: '/etc/corp-ca.pem',
      GIT_TERMINAL_PROMPT: '0',
      GIT_ASKPASS: '',
      SSH_ASKPASS: '',
      GCM_INTERACTIVE: 'never',
      LC_ALL: 'C',
    });
  });

  it('adds the configuration and the caller’s variables last', () => {
    const env = gitEnvironment({ baseEnv: base, platform: 'linux', config: [{ key: 'credential.helper', value: '' }], extra: { PADDOCK_CRED_SOCKET: '/tmp/s', LC_ALL: 'C' } });
    expect(env).toMatchObject({ GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'credential.helper', GIT_CONFIG_VALUE_0: '', PADDOCK_CRED_SOCKET: '/tmp/s' });
  });

  it('on Windows finds variables whatever their case and passes what programs there need', () => {
    const env = gitEnvironment({
      baseEnv: { Path: 'C:\\Windows\\system32;C:\\Program Files\\Git\\cmd', SystemRoot: 'C:\\Windows', USERPROFILE: 'C:\\Users\\u', ComSpec: 'C:\\Windows\\system32\\cmd.exe', 'ProgramFiles(x86)': 'C:\\Program Files (x86)', GIT_DIR: 'x' },
      platform: 'win32',
    });
    expect(env).toEqual({
      PATH: 'C:\\Windows\\system32;C:\\Program Files\\Git\\cmd',
      SYSTEMROOT: 'C:\\Windows',
      USERPROFILE: 'C:\\Users\\u',
      COMSPEC: 'C:\\Windows\\system32\\cmd.exe',
      'PROGRAMFILES(X86)': 'C:\\Program Files (x86)',
      GIT_TERMINAL_PROMPT: '0',
      GIT_ASKPASS: '',
      SSH_ASKPASS: '',
      GCM_INTERACTIVE: 'never',
      LC_ALL: 'C',
    });
  });
});

describe('configuration through the environment', () => {
  const config = [
    { key: 'credential.helper', value: '' },
    { key: 'credential.helper', value: "!'/opt/My App/node' '/opt/My App/it'\\''s.cjs'" },
    { key: 'credential.https://dev.azure.com.useHttpPath', value: 'true' },
  ];

  it('is GIT_CONFIG_COUNT/KEY/VALUE on Unix', () => {
    expect(configEnvironment(config, 'linux')).toEqual({
      GIT_CONFIG_COUNT: '3',
      GIT_CONFIG_KEY_0: 'credential.helper',
      GIT_CONFIG_VALUE_0: '',
      GIT_CONFIG_KEY_1: 'credential.helper',
      GIT_CONFIG_VALUE_1: "!'/opt/My App/node' '/opt/My App/it'\\''s.cjs'",
      GIT_CONFIG_KEY_2: 'credential.https://dev.azure.com.useHttpPath',
      GIT_CONFIG_VALUE_2: 'true',
    });
  });

  it('is GIT_CONFIG_PARAMETERS on Windows (no empty variable), which git reads back entry for entry', () => {
    const env = configEnvironment(config, 'win32');
    expect(Object.keys(env)).toEqual(['GIT_CONFIG_PARAMETERS']);
    expect(Object.values(env).every((v) => v !== '')).toBe(true);
    // The same parsing code runs on every platform: this git reads what a Windows git would.
    const read = (key: string) =>
      execFileSync('git', ['config', '--get-all', key], { env: { PATH: process.env.PATH, GIT_CONFIG_NOSYSTEM: '1', HOME: '/nonexistent', ...env }, encoding: 'utf8' });
    expect(read('credential.helper')).toBe(`\n${config[1]!.value}\n`);
    expect(read('credential.https://dev.azure.com.usehttppath')).toBe('true\n');
  });

  it('git reads the Unix form back entry for entry, the helper reset included', () => {
    const env = configEnvironment(config, 'linux');
    const out = execFileSync('git', ['config', '--get-all', 'credential.helper'], { env: { PATH: process.env.PATH, GIT_CONFIG_NOSYSTEM: '1', HOME: '/nonexistent', ...env }, encoding: 'utf8' });
    expect(out).toBe(`\n${config[1]!.value}\n`);
  });

  it('refuses keys and values that would not reach git as given', () => {
    expect(() => configEnvironment([{ key: 'helper', value: 'x' }])).toThrow(/key/);
    expect(() => configEnvironment([{ key: 'credential.helper', value: 'a\nb' }])).toThrow(/line break/);
    expect(() => configEnvironment([{ key: 'credential.hel per', value: 'a' }])).toThrow(/key/);
    expect(configEnvironment([])).toEqual({});
  });

  it('single-quotes for a POSIX shell, a quote included', () => {
    expect(shellQuote("/a b/it's")).toBe("'/a b/it'\\''s'");
    expect(execFileSync('sh', ['-c', `printf %s ${shellQuote("/a b/it's $HOME `x` \\")}`], { encoding: 'utf8' })).toBe("/a b/it's $HOME `x` \\");
  });
});
