import path from 'node:path';
import { PaddockError } from '../common/errors';

// Which program opens a local environment's folder in the code editor or a
// terminal, per OS (PRODUCT E4). Pure: the platform, the environment (PATH)
// and "is there an executable file here" are given, so every OS's choice is
// tested on any machine. electron/main/desktop.ts starts what these answer.

/** What of the machine the choice looks at. */
export interface ToolLookup {
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  /** Whether an executable file is at this absolute path. */
  isExecutable(file: string): boolean;
}

/** A program to start: no shell ever parses it (`shell: false`), except the arguments of `windowsVerbatim`, quoted here for cmd.exe. */
export interface Launch {
  command: string;
  args: string[];
  cwd?: string;
  /** Windows: the arguments go to the program exactly as written (cmd.exe's own quoting, done here). */
  windowsVerbatim?: boolean;
}

const pathApi = (platform: NodeJS.Platform) => (platform === 'win32' ? path.win32 : path.posix);

/** An environment variable by name; Windows names are case-insensitive (Path, PATH). */
function envValue(lookup: ToolLookup, name: string): string | undefined {
  if (lookup.platform !== 'win32') return lookup.env[name];
  const key = Object.keys(lookup.env).find((k) => k.toUpperCase() === name.toUpperCase());
  return key === undefined ? undefined : lookup.env[key];
}

/** The absolute path of a program on PATH (Windows: with PATHEXT's endings), or null. */
export function findOnPath(name: string, lookup: ToolLookup): string | null {
  const api = pathApi(lookup.platform);
  const separator = lookup.platform === 'win32' ? ';' : ':';
  const directories = (envValue(lookup, 'PATH') ?? '')
    .split(separator)
    .map((d) => d.trim().replace(/^"(.*)"$/, '$1'))
    // A relative entry would find a program in whatever folder the app happens to run in.
    .filter((d) => d !== '' && api.isAbsolute(d));
  const endings =
    lookup.platform === 'win32'
      ? api.extname(name) !== ''
        ? ['']
        : (envValue(lookup, 'PATHEXT') ?? '.COM;.EXE;.BAT;.CMD')
            .split(';')
            .map((e) => e.trim().toLowerCase())
            .filter((e) => e !== '')
      : [''];
  for (const directory of directories) {
    for (const ending of endings) {
      const candidate = api.join(directory, `${name}${ending}`);
      if (lookup.isExecutable(candidate)) return candidate;
    }
  }
  return null;
}

/** Where Visual Studio Code puts its `code` command when it is not on PATH (a macOS app's PATH is not the shell's). */
export function vsCodeInstallPlaces(lookup: ToolLookup): string[] {
  if (lookup.platform === 'darwin') {
    const home = envValue(lookup, 'HOME');
    return [
      '/Applications/Visual Studio Code.app/Contents/Resources/app/bin/code',
      ...(home ? [path.posix.join(home, 'Applications/Visual Studio Code.app/Contents/Resources/app/bin/code')] : []),
    ];
  }
  if (lookup.platform === 'win32') {
    // The user installer's place, then the system installer's.
    const user = envValue(lookup, 'LOCALAPPDATA');
    const system = envValue(lookup, 'ProgramFiles');
    return [
      ...(user ? [path.win32.join(user, 'Programs', 'Microsoft VS Code', 'bin', 'code.cmd')] : []),
      ...(system ? [path.win32.join(system, 'Microsoft VS Code', 'bin', 'code.cmd')] : []),
    ];
  }
  return ['/usr/bin/code', '/snap/bin/code', '/usr/share/code/bin/code'];
}

/** Visual Studio Code's `code` command: on PATH first, then where its installers put it; null when it is not installed. */
export function findVsCode(lookup: ToolLookup): string | null {
  return findOnPath('code', lookup) ?? vsCodeInstallPlaces(lookup).find((place) => lookup.isExecutable(place)) ?? null;
}

/** One argument quoted for cmd.exe (`/s /c "…"`): inside double quotes, with `"` doubled (Windows paths have none). cmd.exe still expands `%NAME%` inside quotes: editorLaunch refuses a `%`. */
export const cmdQuote = (arg: string) => `"${arg.replace(/"/g, '""')}"`;

/**
 * How `code` is started for a folder. Windows' `code.cmd` is a batch file,
 * which only cmd.exe runs: `Code.exe` next to its `bin` folder is started
 * instead when it is there (no shell at all), else cmd.exe with the quoted
 * command line — refused, with a PaddockError, for a path with a `%`.
 * Elsewhere `code` is started directly.
 */
export function editorLaunch(code: string, folder: string, lookup: ToolLookup): Launch {
  if (lookup.platform === 'win32' && /\.(cmd|bat)$/i.test(code)) {
    const exe = path.win32.join(path.win32.dirname(path.win32.dirname(code)), 'Code.exe');
    if (lookup.isExecutable(exe)) return { command: exe, args: [folder], cwd: folder };
    // cmd.exe would replace `%NAME%` in a path with a variable's value, even inside quotes: such a path is refused.
    if (folder.includes('%') || code.includes('%')) {
      throw new PaddockError(
        'invalid-input',
        `The path ${folder.includes('%') ? folder : code} has a % sign, which the Command Prompt that starts Visual Studio Code would change. Open the folder from Visual Studio Code instead (File > Open Folder).`,
      );
    }
    const shell = envValue(lookup, 'ComSpec') ?? 'C:\\Windows\\System32\\cmd.exe';
    return { command: shell, args: ['/d', '/s', '/c', `"${cmdQuote(code)} ${cmdQuote(folder)}"`], cwd: folder, windowsVerbatim: true };
  }
  return { command: code, args: [folder], cwd: folder };
}

/**
 * The terminal to open in a folder: macOS Terminal; Windows Terminal, else
 * a Command Prompt started in the folder; on Linux the system's chosen
 * terminal (Debian's `x-terminal-emulator`), then GNOME Terminal, Konsole,
 * Xfce Terminal and xterm — each told the folder and started in it. Null
 * when none is installed.
 */
export function terminalLaunch(folder: string, lookup: ToolLookup): Launch | null {
  if (lookup.platform === 'darwin') return { command: '/usr/bin/open', args: ['-a', 'Terminal', folder], cwd: folder };
  if (lookup.platform === 'win32') {
    const wt = findOnPath('wt.exe', lookup);
    // Windows Terminal splits its command line on `;` even inside quotes
    // (microsoft/terminal#13264): the folder goes only into the working
    // directory, and `-d .` starts the tab there.
    if (wt) return { command: wt, args: ['-d', '.'], cwd: folder };
    const shell = envValue(lookup, 'ComSpec') ?? 'C:\\Windows\\System32\\cmd.exe';
    // The folder is the working directory: nothing of it passes through cmd.exe's parsing.
    return { command: shell, args: ['/K'], cwd: folder };
  }
  const linux: { name: string; args: string[] }[] = [
    { name: 'x-terminal-emulator', args: [] },
    { name: 'gnome-terminal', args: [`--working-directory=${folder}`] },
    { name: 'konsole', args: ['--workdir', folder] },
    { name: 'xfce4-terminal', args: [`--working-directory=${folder}`] },
    { name: 'xterm', args: [] },
  ];
  for (const terminal of linux) {
    const command = findOnPath(terminal.name, lookup);
    if (command) return { command, args: terminal.args, cwd: folder };
  }
  return null;
}

/** Folder endings macOS treats as a bundle: opening such a folder starts or installs it instead of showing it. */
export const macBundleEndings = [
  '.app', '.bundle', '.framework', '.plugin', '.prefpane', '.kext', '.pkg', '.mpkg', '.xpc', '.appex', '.qlgenerator', '.saver', '.service', '.wdgt', '.component', '.mdimporter',
] as const;

/**
 * Whether opening this folder with the system would run something rather
 * than show it: on macOS, a folder whose name ends like a bundle's (any
 * case: macOS's disks ignore it) or that holds `Contents/Info.plist`. A
 * repository named `tool.app`, or a sub-folder `evil.app`, is such a
 * folder. `isFile` says whether a file is at a path.
 */
export function opensAsProgram(folder: string, platform: NodeJS.Platform, isFile: (file: string) => boolean): boolean {
  if (platform !== 'darwin') return false;
  const name = path.posix.basename(folder).toLowerCase();
  if (macBundleEndings.some((ending) => name.endsWith(ending))) return true;
  return isFile(path.posix.join(folder, 'Contents', 'Info.plist'));
}

/** Windows: with this set, cmd.exe (and what it starts) looks for a program on PATH only, not first in the folder it runs in. */
export const noCurrentFolderPrograms = 'NoDefaultCurrentDirectoryInExePath';

/**
 * The environment a program started in a working copy gets: Paddock's,
 * without what would make an Electron program run as Node. On Windows
 * `NoDefaultCurrentDirectoryInExePath=1` too: else the Command Prompt
 * would run a repository's own `git.bat` for `git`, before the one on PATH.
 */
export function childEnvironment(env: Readonly<Record<string, string | undefined>>, platform: NodeJS.Platform): Record<string, string> {
  const dropped = new Set(['ELECTRON_RUN_AS_NODE', ...(platform === 'win32' ? [noCurrentFolderPrograms.toUpperCase()] : [])]);
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined && !dropped.has(key.toUpperCase())) out[key] = value;
  if (platform === 'win32') out[noCurrentFolderPrograms] = '1';
  return out;
}
