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
export function editorLaunch(code: string, folder: string, lookup: ToolLookup, editor: Pick<EditorSpec, 'name' | 'windowsExe'> = editorCatalogue[0]!): Launch {
  if (lookup.platform === 'win32' && /\.(cmd|bat)$/i.test(code)) {
    const exe = editor.windowsExe(code);
    if (lookup.isExecutable(exe)) return { command: exe, args: [folder], cwd: folder };
    // cmd.exe would replace `%NAME%` in a path with a variable's value, even inside quotes: such a path is refused.
    if (folder.includes('%') || code.includes('%')) {
      throw new PaddockError(
        'invalid-input',
        `The path ${folder.includes('%') ? folder : code} has a % sign, which the Command Prompt that starts ${editor.name} would change. Open the folder from ${editor.name} instead (File > Open Folder).`,
      );
    }
    const shell = envValue(lookup, 'ComSpec') ?? 'C:\\Windows\\System32\\cmd.exe';
    return { command: shell, args: ['/d', '/s', '/c', `"${cmdQuote(code)} ${cmdQuote(folder)}"`], cwd: folder, windowsVerbatim: true };
  }
  return { command: code, args: [folder], cwd: folder };
}

/**
 * The terminal the automatic choice opens in a folder (terminalCatalogue): macOS Terminal; Windows Terminal, else
 * a Command Prompt started in the folder; on Linux the system's chosen
 * terminal (Debian's `x-terminal-emulator`), then GNOME Terminal, Konsole,
 * Xfce Terminal, xterm, kitty and Alacritty — each told the folder and started in it. Null
 * when none is installed.
 */
export function terminalLaunch(folder: string, lookup: ToolLookup): Launch | null {
  return chooseTerminal(AUTO_TOOL_ID, folder, lookup).terminal?.launch ?? null;
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

// --- The editors and terminals a user can choose (Settings) ----------------

/** An editor or terminal as Settings lists it: its id (the preference's value), its name, and whether this machine has it. */
export interface DesktopTool {
  id: string;
  name: string;
  installed: boolean;
}

/** A code editor Paddock knows how to start with a folder: a command of the VS Code family (`code`, `codium`, `cursor` …). */
export interface EditorSpec {
  id: string;
  name: string;
  /** The command on PATH. */
  command: string;
  /** Where its installers put the command when it is not on PATH. */
  places(lookup: ToolLookup): string[];
  /** Windows: the program beside the `.cmd` that is started instead of it (no shell at all). */
  windowsExe(cmd: string): string;
}

/** The id of "the system's default app for folders" (the file manager, or what the user made the default). */
export const SYSTEM_EDITOR_ID = 'system';
/** The preference's value for "what Paddock picks": Visual Studio Code when it is installed, else the system's default app; the first terminal found. */
export const AUTO_TOOL_ID = 'auto';

const up = (file: string, levels: number) => {
  let out = file;
  for (let i = 0; i < levels; i++) out = path.win32.dirname(out);
  return out;
};

/** A VS Code-family editor's install places on macOS (the app bundle's bin folder) and Windows (the user and system installers). */
function vsCodeFamilyPlaces(lookup: ToolLookup, macApp: string, windowsFolder: string, command: string, linux: string[]): string[] {
  if (lookup.platform === 'darwin') {
    const home = envValue(lookup, 'HOME');
    const inBundle = `${macApp}.app/Contents/Resources/app/bin/${command}`;
    return [`/Applications/${inBundle}`, ...(home ? [path.posix.join(home, 'Applications', inBundle)] : [])];
  }
  if (lookup.platform === 'win32') {
    const user = envValue(lookup, 'LOCALAPPDATA');
    const system = envValue(lookup, 'ProgramFiles');
    return [
      ...(user ? [path.win32.join(user, 'Programs', windowsFolder, 'bin', `${command}.cmd`)] : []),
      ...(system ? [path.win32.join(system, windowsFolder, 'bin', `${command}.cmd`)] : []),
    ];
  }
  return linux;
}

/** The editors Settings offers, in the order it lists them (the system's default app comes last, always there). */
export const editorCatalogue: readonly EditorSpec[] = [
  {
    id: 'vscode',
    name: 'Visual Studio Code',
    command: 'code',
    places: vsCodeInstallPlaces,
    windowsExe: (cmd) => path.win32.join(up(cmd, 2), 'Code.exe'),
  },
  {
    id: 'vscode-insiders',
    name: 'Visual Studio Code Insiders',
    command: 'code-insiders',
    places: (lookup) =>
      vsCodeFamilyPlaces(lookup, 'Visual Studio Code - Insiders', 'Microsoft VS Code Insiders', 'code-insiders', ['/usr/bin/code-insiders', '/snap/bin/code-insiders']),
    windowsExe: (cmd) => path.win32.join(up(cmd, 2), 'Code - Insiders.exe'),
  },
  {
    id: 'vscodium',
    name: 'VSCodium',
    command: 'codium',
    places: (lookup) => vsCodeFamilyPlaces(lookup, 'VSCodium', 'VSCodium', 'codium', ['/usr/bin/codium', '/snap/bin/codium']),
    windowsExe: (cmd) => path.win32.join(up(cmd, 2), 'VSCodium.exe'),
  },
  {
    id: 'cursor',
    name: 'Cursor',
    command: 'cursor',
    places: (lookup) => {
      if (lookup.platform === 'win32') {
        const user = envValue(lookup, 'LOCALAPPDATA');
        return user ? [path.win32.join(user, 'Programs', 'cursor', 'resources', 'app', 'bin', 'cursor.cmd')] : [];
      }
      return vsCodeFamilyPlaces(lookup, 'Cursor', 'cursor', 'cursor', ['/usr/bin/cursor', '/opt/cursor/cursor']);
    },
    // Cursor's cmd is in resources\app\bin; Cursor.exe is in the install folder, three levels up.
    windowsExe: (cmd) => path.win32.join(up(cmd, 4), 'Cursor.exe'),
  },
];

const systemEditorName = "The system's default app for folders";

/** An editor's command on this machine (PATH first, then its install places), or null. */
export function findEditor(spec: EditorSpec, lookup: ToolLookup): string | null {
  return findOnPath(spec.command, lookup) ?? spec.places(lookup).find((place) => lookup.isExecutable(place)) ?? null;
}

/** Every editor Settings offers on this machine, with whether it is installed; the system's default app last (always there). */
export function listEditors(lookup: ToolLookup): DesktopTool[] {
  return [
    ...editorCatalogue.map((spec) => ({ id: spec.id, name: spec.name, installed: findEditor(spec, lookup) !== null })),
    { id: SYSTEM_EDITOR_ID, name: systemEditorName, installed: true },
  ];
}

/** The editor a choice means on this machine. */
export interface ChosenEditor {
  /** The editor to start, with its command; null: the system's default app for folders. */
  editor: { spec: EditorSpec; command: string } | null;
  /** The name of the chosen editor when it is not installed (and the automatic choice is used instead); else null. */
  missing: string | null;
}

/** 'auto' (and a chosen editor that is gone): Visual Studio Code when it is installed, else the system's default app. */
export function chooseEditor(choice: string, lookup: ToolLookup): ChosenEditor {
  const automatic = (): ChosenEditor['editor'] => {
    const spec = editorCatalogue[0]!;
    const command = findEditor(spec, lookup);
    return command === null ? null : { spec, command };
  };
  if (choice === AUTO_TOOL_ID) return { editor: automatic(), missing: null };
  if (choice === SYSTEM_EDITOR_ID) return { editor: null, missing: null };
  const spec = editorCatalogue.find((s) => s.id === choice);
  const command = spec ? findEditor(spec, lookup) : null;
  if (spec && command !== null) return { editor: { spec, command }, missing: null };
  return { editor: automatic(), missing: spec?.name ?? choice };
}

/** A terminal Paddock knows how to open in a folder. */
export interface TerminalSpec {
  id: string;
  name: string;
  platform: NodeJS.Platform;
  /** Its program on this machine, or null. */
  find(lookup: ToolLookup): string | null;
  /** How it is started in the folder. */
  launch(command: string, folder: string, lookup: ToolLookup): Launch;
}

const linuxTerminal = (id: string, name: string, args: (folder: string) => string[]): TerminalSpec => ({
  id,
  name,
  platform: 'linux',
  find: (lookup) => findOnPath(id, lookup),
  launch: (command, folder) => ({ command, args: args(folder), cwd: folder }),
});

const windowsSystemRoot = (lookup: ToolLookup) => envValue(lookup, 'SystemRoot') ?? 'C:\\Windows';

/** The terminals Settings offers, per OS, in the order the automatic choice tries them. */
export const terminalCatalogue: readonly TerminalSpec[] = [
  // Linux: Debian's x-terminal-emulator is the system's chosen one.
  linuxTerminal('x-terminal-emulator', 'The system’s terminal (x-terminal-emulator)', () => []),
  linuxTerminal('gnome-terminal', 'GNOME Terminal', (folder) => [`--working-directory=${folder}`]),
  linuxTerminal('konsole', 'Konsole', (folder) => ['--workdir', folder]),
  linuxTerminal('xfce4-terminal', 'Xfce Terminal', (folder) => [`--working-directory=${folder}`]),
  linuxTerminal('xterm', 'xterm', () => []),
  linuxTerminal('kitty', 'kitty', (folder) => ['--directory', folder]),
  linuxTerminal('alacritty', 'Alacritty', (folder) => ['--working-directory', folder]),
  {
    id: 'terminal',
    name: 'Terminal',
    platform: 'darwin',
    // Part of every macOS.
    find: () => '/usr/bin/open',
    launch: (command, folder) => ({ command, args: ['-a', 'Terminal', folder], cwd: folder }),
  },
  {
    id: 'iterm',
    name: 'iTerm',
    platform: 'darwin',
    find: (lookup) => {
      const home = envValue(lookup, 'HOME');
      const places = ['/Applications/iTerm.app/Contents/MacOS/iTerm2', ...(home ? [path.posix.join(home, 'Applications/iTerm.app/Contents/MacOS/iTerm2')] : [])];
      return places.some((place) => lookup.isExecutable(place)) ? '/usr/bin/open' : null;
    },
    launch: (command, folder) => ({ command, args: ['-a', 'iTerm', folder], cwd: folder }),
  },
  {
    id: 'windows-terminal',
    name: 'Windows Terminal',
    platform: 'win32',
    find: (lookup) => findOnPath('wt.exe', lookup),
    // Windows Terminal splits its command line on `;` even inside quotes
    // (microsoft/terminal#13264): the folder goes only into the working
    // directory, and `-d .` starts the tab there.
    launch: (command, folder) => ({ command, args: ['-d', '.'], cwd: folder }),
  },
  {
    id: 'cmd',
    name: 'Command Prompt',
    platform: 'win32',
    // Part of every Windows.
    find: (lookup) => envValue(lookup, 'ComSpec') ?? path.win32.join(windowsSystemRoot(lookup), 'System32', 'cmd.exe'),
    // The folder is the working directory: nothing of it passes through cmd.exe's parsing.
    launch: (command, folder) => ({ command, args: ['/K'], cwd: folder }),
  },
  {
    id: 'powershell',
    name: 'Windows PowerShell',
    platform: 'win32',
    find: (lookup) => {
      const system = path.win32.join(windowsSystemRoot(lookup), 'System32', 'WindowsPowerShell', 'v1.0', 'powershell.exe');
      return findOnPath('powershell.exe', lookup) ?? (lookup.isExecutable(system) ? system : null);
    },
    // The folder is the working directory: nothing of it is parsed by PowerShell.
    launch: (command, folder) => ({ command, args: ['-NoExit'], cwd: folder }),
  },
];

/** The catalogue's terminals for this OS (Linux's for the other Unix systems). */
function terminalsFor(lookup: ToolLookup): readonly TerminalSpec[] {
  const platform = lookup.platform === 'darwin' || lookup.platform === 'win32' ? lookup.platform : 'linux';
  return terminalCatalogue.filter((t) => t.platform === platform);
}

/** Every terminal Settings offers on this OS, with whether this machine has it. */
export function listTerminals(lookup: ToolLookup): DesktopTool[] {
  return terminalsFor(lookup).map((t) => ({ id: t.id, name: t.name, installed: t.find(lookup) !== null }));
}

/** The terminal a choice means on this machine. */
export interface ChosenTerminal {
  /** How to start it in the folder, and its name; null when no terminal is installed. */
  terminal: { name: string; launch: Launch } | null;
  /** The name of the chosen terminal when it is not installed (and the automatic choice is used instead); else null. */
  missing: string | null;
}

/** 'auto' (and a chosen terminal that is gone): the first of this OS's terminals that is installed, in the catalogue's order. */
export function chooseTerminal(choice: string, folder: string, lookup: ToolLookup): ChosenTerminal {
  const specs = terminalsFor(lookup);
  const start = (spec: TerminalSpec, command: string) => ({ name: spec.name, launch: spec.launch(command, folder, lookup) });
  const automatic = (): ChosenTerminal['terminal'] => {
    for (const spec of specs) {
      const command = spec.find(lookup);
      if (command !== null) return start(spec, command);
    }
    return null;
  };
  if (choice === AUTO_TOOL_ID) return { terminal: automatic(), missing: null };
  const spec = specs.find((s) => s.id === choice);
  const command = spec?.find(lookup) ?? null;
  if (spec && command !== null) return { terminal: start(spec, command), missing: null };
  return { terminal: automatic(), missing: spec?.name ?? terminalCatalogue.find((s) => s.id === choice)?.name ?? choice };
}

/** The name the automatic choice of terminal opens on this machine, or null when there is none. */
export function automaticTerminalName(lookup: ToolLookup): string | null {
  return terminalsFor(lookup).find((spec) => spec.find(lookup) !== null)?.name ?? null;
}
