// `paddock`, the developer command line: npm run --silent paddock -- <command> …
// A table of commands, each with its flags and help; later issues add theirs
// to `commands`. The logic is runPaddockCli(argv, io), so tests
// run it in-process; the process glue at the bottom runs only when this file
// is the entry point.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseContextUrl, parseHostSpec } from '../../common/context-url';
import type { ConfiguredHost, ContextUrl } from '../../common/context-url';
import { bytesToBase64 } from '../../common/encoding';
import { PaddockError } from '../../common/errors';
import type { ProviderKind } from '../../common/provider-kind';
import { publicKeyFromBase64, sealBox } from '../../common/sealed-box';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** All of standard input as bytes, read to its end; only commands that read it (seal) call this. */
  readStdin?(): Promise<Uint8Array>;
}

export const exitCodes = {
  ok: 0,
  /** The input was read and rejected (parse-url: not a repository URL Paddock can use). */
  rejected: 2,
  /** Wrong command line (sysexits EX_USAGE). */
  usage: 64,
  /** A bug (sysexits EX_SOFTWARE). */
  internal: 70,
} as const;

interface Flag {
  name: string;
  short?: string;
  type: 'string' | 'boolean';
  multiple?: boolean;
  /** How the value is written in help, e.g. "kind=baseUrl". */
  value?: string;
  description: string;
}

type FlagValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

interface Command {
  name: string;
  summary: string;
  usage: string;
  description: string;
  arguments: { name: string; description: string }[];
  flags: Flag[];
  examples: string[];
  run(positionals: string[], values: FlagValues, io: CliIo): Promise<number>;
}

class UsageError extends Error {}

const helpFlag: Flag = { name: 'help', short: 'h', type: 'boolean', description: 'Show this help.' };

const providerNames: Record<ProviderKind, string> = {
  github: 'GitHub',
  gitlab: 'GitLab',
  'bitbucket-cloud': 'Bitbucket Cloud',
  'bitbucket-dc': 'Bitbucket Data Center',
  'azure-devops': 'Azure DevOps Services',
  'azure-devops-server': 'Azure DevOps Server',
};

const ownerLabels: Record<ProviderKind, string> = {
  github: 'Owner',
  gitlab: 'Group',
  'bitbucket-cloud': 'Workspace',
  'bitbucket-dc': 'Project/user',
  'azure-devops': 'Organisation',
  'azure-devops-server': 'Collection',
};

function describeRef(context: ContextUrl): string {
  const ref = context.ref;
  if (!ref) return 'none (the default branch)';
  const text =
    ref.type === 'commit' ? `commit ${ref.sha}` : ref.type === 'pull' ? `pull request ${ref.number}` : `${ref.type} ${ref.name}`;
  return context.refAmbiguous ? `${text} (ambiguous: the name may be longer or a tag; resolve it against the remote's refs)` : text;
}

function summary(context: ContextUrl): string {
  const rows: [string, string][] = [
    ['Provider', `${providerNames[context.provider]} (${context.provider})`],
    ['Host', context.host],
    [ownerLabels[context.provider], context.owner],
    ...(context.project === null ? [] : [['Project', context.project] as [string, string]]),
    ['Repository', context.repo],
    ['Ref', describeRef(context)],
    ['Path', context.path ?? '(none)'],
    ['Clone URL', context.cloneUrl],
  ];
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  return rows.map(([label, value]) => `${label.padEnd(width)}${value}\n`).join('');
}

const parseUrl: Command = {
  name: 'parse-url',
  summary: 'Read a repository URL into a context (provider, host, owner, repo, ref, path, clone URL).',
  usage: 'paddock parse-url <url> [--host kind=baseUrl]… [--json]',
  description:
    'Reads a repository, branch, tag, commit, pull request or file URL of GitHub, GitLab, Bitbucket or Azure DevOps, web or SSH, ' +
    'as the app does when a URL is dragged in. github.com, gitlab.com, bitbucket.org, dev.azure.com and *.visualstudio.com work ' +
    'without configuration; self-hosted hosts are given with --host. See docs/context-urls.md.',
  arguments: [{ name: '<url>', description: 'The URL as pasted (surrounding whitespace and <angle brackets> are fine).' }],
  flags: [
    {
      name: 'host',
      type: 'string',
      multiple: true,
      value: 'kind=baseUrl',
      description:
        'A self-hosted provider host; repeatable. kind is github, gitlab, bitbucket-cloud, bitbucket-dc, azure-devops or ' +
        'azure-devops-server; baseUrl may carry a path (GitLab relative root, Azure DevOps Server virtual directory).',
    },
    { name: 'json', type: 'boolean', description: 'Print one JSON object: the context, or {"ok": false, "error": {"code", "message"}}.' },
    helpFlag,
  ],
  examples: [
    'paddock parse-url https://dev.azure.com/contoso/Fabrikam/_git/web --json',
    'paddock parse-url git@ssh.dev.azure.com:v3/contoso/Fabrikam/web',
    'paddock parse-url https://tfs.example.com/tfs/DefaultCollection/Fabrikam/_git/web --host azure-devops-server=https://tfs.example.com/tfs',
  ],
  async run(positionals, values, io) {
    if (positionals.length === 0) throw new UsageError('parse-url needs a URL.');
    if (positionals.length > 1) throw new UsageError(`parse-url takes one URL, got ${positionals.length} arguments (quote a URL that contains spaces or &).`);
    const hosts: ConfiguredHost[] = [];
    for (const spec of (values.host as string[] | undefined) ?? []) {
      const parsed = parseHostSpec(spec);
      if (!parsed.ok) throw new UsageError(`--host ${spec}: ${parsed.message}`);
      hosts.push(parsed.host);
    }
    const result = parseContextUrl(positionals[0] ?? '', hosts);
    if (values.json) {
      io.stdout(`${JSON.stringify(result)}\n`);
    } else if (result.ok) {
      io.stdout(summary(result));
    } else {
      io.stderr(`paddock: cannot use this URL (${result.error.code}): ${result.error.message}\n`);
    }
    return result.ok ? exitCodes.ok : exitCodes.rejected;
  },
};

/** A bad key is a usage error: the message says what is wrong with it. */
function publicKeyFlag(value: string | boolean | (string | boolean)[] | undefined): Uint8Array {
  if (typeof value !== 'string') throw new UsageError("seal needs --public-key, the runner's public key in base64.");
  try {
    const publicKey = publicKeyFromBase64(value);
    sealBox(new Uint8Array(0), publicKey); // refuses keys of small order before stdin is read
    return publicKey;
  } catch (error) {
    if (error instanceof PaddockError && error.code === 'invalid-input') throw new UsageError(`--public-key: ${error.message}`);
    throw error;
  }
}

const seal: Command = {
  name: 'seal',
  summary: "Seal a secret read from stdin to a runner's public key (libsodium sealed box); print it in base64.",
  usage: 'paddock seal --public-key <base64> < secret',
  description:
    'Reads all of standard input as bytes, exactly as given: nothing is trimmed, so a trailing newline is sealed too ' +
    "(use printf '%s', not echo). Seals it to the runner's X25519 public key in libsodium's crypto_box_seal format and prints " +
    'the sealed box in base64 and a newline. Only the runner that holds the matching secret key can open it: this is how admins ' +
    "pre-seal an OAuth client secret for a remote runner in a policy file. The secret is never an argument, so it stays out of " +
    'shell history and process lists. See docs/sealed-boxes.md.',
  arguments: [],
  flags: [
    {
      name: 'public-key',
      type: 'string',
      value: '<base64>',
      description: "The runner's X25519 public key: 32 bytes in standard base64 (44 characters ending in '='), as the runner's settings show it.",
    },
    helpFlag,
  ],
  examples: [
    "printf '%s' \"$CLIENT_SECRET\" | paddock seal --public-key 'hK3v…Zw8='",
    'paddock seal --public-key "$RUNNER_PUBLIC_KEY" < client-secret.txt > client-secret.sealed',
  ],
  async run(positionals, values, io) {
    if (positionals.length > 0) {
      throw new UsageError('seal reads the secret from standard input and takes no arguments (an argument would end up in shell history and process lists).');
    }
    const publicKey = publicKeyFlag(values['public-key']);
    if (!io.readStdin) throw new Error('seal reads standard input, which this caller does not provide.');
    const message = await io.readStdin();
    try {
      io.stdout(`${bytesToBase64(sealBox(message, publicKey))}\n`);
    } finally {
      message.fill(0);
    }
    return exitCodes.ok;
  },
};

/** Every command, in the order help lists them. */
export const commands: readonly Command[] = [parseUrl, seal];

function flagLabel(flag: Flag): string {
  const long = `--${flag.name}${flag.value ? ` ${flag.value}` : ''}`;
  return flag.short ? `-${flag.short}, ${long}` : `    ${long}`;
}

function table(rows: [string, string][]): string {
  const width = Math.max(...rows.map(([left]) => left.length)) + 3;
  return rows.map(([left, right]) => `  ${left.padEnd(width)}${right}\n`).join('');
}

const exitCodeHelp = `Exit codes: ${exitCodes.ok} success, ${exitCodes.rejected} input rejected (e.g. not a repository URL), ${exitCodes.usage} usage error.\n`;

export function mainHelp(): string {
  return (
    'paddock: Paddock’s developer command line.\n\n' +
    'Usage: paddock <command> [arguments] [flags]\n' +
    '       npm run --silent paddock -- <command> [arguments] [flags]\n\n' +
    'Commands:\n' +
    table(commands.map((command) => [command.name, command.summary])) +
    '\nRun "paddock <command> --help" for a command’s arguments and flags.\n' +
    exitCodeHelp
  );
}

export function commandHelp(command: Command): string {
  return (
    `Usage: ${command.usage}\n\n${command.description}\n\n` +
    (command.arguments.length ? `Arguments:\n${table(command.arguments.map((argument) => [argument.name, argument.description]))}\n` : '') +
    `Flags:\n${table(command.flags.map((flag) => [flagLabel(flag), flag.description]))}\n` +
    `Examples:\n${command.examples.map((example) => `  ${example}\n`).join('')}\n` +
    exitCodeHelp
  );
}

/** Runs the command line; returns the exit code. Never calls process.exit. */
export async function runPaddockCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr(mainHelp());
    return exitCodes.usage;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    const command = topic === undefined ? undefined : commands.find((candidate) => candidate.name === topic);
    if (topic !== undefined && !command) {
      io.stderr(`paddock: unknown command "${topic}".\n\n${mainHelp()}`);
      return exitCodes.usage;
    }
    io.stdout(command ? commandHelp(command) : mainHelp());
    return exitCodes.ok;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) {
    io.stderr(`paddock: unknown command "${name}".\n\n${mainHelp()}`);
    return exitCodes.usage;
  }
  try {
    const { values, positionals } = parseArgs({
      args: [...rest],
      options: Object.fromEntries(
        command.flags.map((flag) => [flag.name, { type: flag.type, multiple: flag.multiple ?? false, ...(flag.short ? { short: flag.short } : {}) }]),
      ),
      allowPositionals: true,
      strict: true,
    });
    if (values.help) {
      io.stdout(commandHelp(command));
      return exitCodes.ok;
    }
    return await command.run(positionals, values, io);
  } catch (error) {
    const isUsage = error instanceof UsageError || (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'));
    if (!isUsage) throw error;
    io.stderr(`paddock ${command.name}: ${error.message}\nUsage: ${command.usage}\nRun "paddock ${command.name} --help" for details.\n`);
    return exitCodes.usage;
  }
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

/** Standard input to its end, as bytes, copied out of Node's buffers, which are then erased. */
async function readStdin(): Promise<Uint8Array> {
  if (process.stdin.isTTY) process.stderr.write('paddock: reading standard input; end it with Ctrl-D (what you type is shown: prefer a pipe or a file).\n');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const bytes = new Uint8Array(chunks.reduce((total, chunk) => total + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
    chunk.fill(0);
  }
  return bytes;
}

if (isEntryPoint()) {
  runPaddockCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readStdin,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`paddock: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = exitCodes.internal;
    },
  );
}
