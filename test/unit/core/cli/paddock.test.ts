import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { contextUrlResultSchema } from '../../../../electron/common/context-url';
import { commands, exitCodes, runPaddockCli } from '../../../../electron/core/cli/paddock';

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runPaddockCli(argv, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
  return { code, stdout, stderr };
}

describe('paddock parse-url --json', () => {
  it('prints the context as one JSON object and exits 0', async () => {
    const { code, stdout, stderr } = await run('parse-url', 'https://dev.azure.com/contoso/My%20Project/_git/web/pullrequest/12', '--json');
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout.endsWith('\n')).toBe(true);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(stdout)).toEqual({
      ok: true,
      provider: 'azure-devops',
      host: 'dev.azure.com',
      owner: 'contoso',
      project: 'My Project',
      repo: 'web',
      ref: { type: 'pull', number: 12 },
      path: null,
      refAmbiguous: false,
      cloneUrl: 'https://dev.azure.com/contoso/My%20Project/_git/web',
    });
  });

  it('uses --host for self-hosted providers, repeatedly', async () => {
    const { code, stdout } = await run(
      'parse-url',
      'ssh://git@bitbucket.example.com:7999/PROJ/repo.git',
      '--host',
      'azure-devops-server=https://tfs.example.com/tfs',
      '--host=bitbucket-dc=https://bitbucket.example.com',
      '--json',
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ provider: 'bitbucket-dc', owner: 'PROJ', cloneUrl: 'https://bitbucket.example.com/scm/PROJ/repo.git' });
  });

  it.each([
    ['https://tfs.example.com/tfs/DefaultCollection/Fabrikam/_git/web', 'unknown-host'],
    ['javascript:alert(1)', 'unsupported-scheme'],
    ['https://dev.azure.com/contoso/Fabrikam/_workitems/edit/3', 'not-a-repository'],
    ['not a url', 'invalid-url'],
  ])('prints {"ok": false, "error"} and exits 2 for %s', async (url, errorCode) => {
    const { code, stdout, stderr } = await run('parse-url', url, '--json');
    expect(code).toBe(exitCodes.rejected);
    expect(stderr).toBe('');
    const output = JSON.parse(stdout);
    expect(output).toEqual({ ok: false, error: { code: errorCode, message: expect.any(String) } });
    expect(contextUrlResultSchema.safeParse(output).success).toBe(true);
  });
});

describe('paddock parse-url without --json', () => {
  it('prints a readable summary', async () => {
    const { code, stdout } = await run('parse-url', 'https://github.com/octo/hello/tree/feature/x/src');
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        'Provider    GitHub (github)',
        'Host        github.com',
        'Owner       octo',
        'Repository  hello',
        "Ref         branch feature (ambiguous: the name may be longer or a tag; resolve it against the remote's refs)",
        'Path        x/src',
        'Clone URL   https://github.com/octo/hello.git',
        '',
      ].join('\n'),
    );
  });

  it('shows the Azure DevOps organisation and project', async () => {
    const { stdout } = await run('parse-url', 'git@ssh.dev.azure.com:v3/contoso/Fabrikam/web');
    expect(stdout).toContain('Organisation  contoso\n');
    expect(stdout).toContain('Project       Fabrikam\n');
    expect(stdout).toContain('Ref           none (the default branch)\n');
  });

  it('explains a rejected URL on stderr and exits 2', async () => {
    const { code, stdout, stderr } = await run('parse-url', 'file:///etc/passwd');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^paddock: cannot use this URL \(unsupported-scheme\): “file:” URLs/);
  });
});

describe('usage errors exit 64 with a message on stderr', () => {
  it.each([
    [[], /Usage: paddock <command>/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['parse-url'], /parse-url needs a URL/],
    [['parse-url', 'a', 'b'], /takes one URL, got 2 arguments/],
    [['parse-url', 'https://github.com/o/r', '--bogus'], /Unknown option '--bogus'/],
    [['parse-url', 'https://github.com/o/r', '--host'], /--host/],
    [['parse-url', 'https://github.com/o/r', '--host', 'gitea=https://x'], /--host gitea=https:\/\/x: Unknown provider kind "gitea"/],
    [['parse-url', 'https://github.com/o/r', '--host', 'gitlab=ftp://x'], /must be an http:\/\/ or https:\/\/ URL/],
    [['help', 'nope'], /unknown command "nope"/],
  ])('%j', async (argv, message) => {
    const { code, stdout, stderr } = await run(...argv);
    expect(code).toBe(exitCodes.usage);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
  });
});

describe('help', () => {
  it('lists every command', async () => {
    const { code, stdout } = await run('--help');
    expect(code).toBe(0);
    for (const command of commands) expect(stdout).toContain(command.name);
    expect(stdout).toContain('Exit codes: 0 success, 2 input rejected');
  });

  it.each([[['parse-url', '--help']], [['parse-url', '-h']], [['help', 'parse-url']]])('%j documents every flag of parse-url', async (argv) => {
    const { code, stdout } = await run(...argv);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: paddock parse-url <url> [--host kind=baseUrl]… [--json]');
    for (const flag of commands.find((command) => command.name === 'parse-url')?.flags ?? []) expect(stdout).toContain(`--${flag.name}`);
  });
});

describe('the real entry point', () => {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

  function node(...argv: string[]) {
    return spawnSync(process.execPath, ['--import', 'tsx', 'electron/core/cli/paddock.ts', ...argv], { cwd: root, encoding: 'utf8', timeout: 30_000 });
  }

  it('runs as a child process: JSON on stdout, exit 0', () => {
    const child = node('parse-url', 'contoso@vs-ssh.visualstudio.com:v3/contoso/Fabrikam/web', '--json');
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    expect(JSON.parse(child.stdout)).toMatchObject({ provider: 'azure-devops', host: 'contoso.visualstudio.com', project: 'Fabrikam', repo: 'web' });
  });

  it('exits 2 for a rejected URL and 64 for a usage error', () => {
    const rejected = node('parse-url', 'https://git.example.org/a/b', '--json');
    expect(rejected.status).toBe(2);
    expect(JSON.parse(rejected.stdout)).toMatchObject({ ok: false, error: { code: 'unknown-host' } });
    const usage = node('parse-url');
    expect(usage.status).toBe(64);
    expect(usage.stderr).toContain('parse-url needs a URL');
  });
});
