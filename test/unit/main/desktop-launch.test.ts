import { describe, expect, it } from 'vitest';
import { PaddockError } from '../../../electron/common/errors';
import {
  chooseEditor,
  chooseTerminal,
  childEnvironment,
  cmdQuote,
  editorCatalogue,
  editorLaunch,
  findOnPath,
  findVsCode,
  listEditors,
  listTerminals,
  macBundleEndings,
  opensAsProgram,
  terminalLaunch,
  type ToolLookup,
} from '../../../electron/main/desktop-launch';

/** A machine with these executable files. */
const machine = (platform: NodeJS.Platform, env: Record<string, string>, ...files: string[]): ToolLookup => ({
  platform,
  env,
  isExecutable: (file) => files.includes(file),
});

describe('findOnPath', () => {
  it('finds a program in PATH’s order, skipping relative entries', () => {
    const lookup = machine('linux', { PATH: 'bin:/usr/local/bin::/usr/bin' }, '/usr/bin/code', '/usr/local/bin/code', `${process.cwd()}/bin/xterm`);
    expect(findOnPath('code', lookup)).toBe('/usr/local/bin/code');
    expect(findOnPath('xterm', lookup)).toBeNull();
    expect(findOnPath('konsole', lookup)).toBeNull();
  });

  it('on Windows reads Path in any case and tries PATHEXT’s endings', () => {
    const lookup = machine('win32', { Path: 'C:\\Windows\\System32;"C:\\Users\\alice\\AppData\\Local\\Programs\\Microsoft VS Code\\bin"', PATHEXT: '.COM;.EXE;.BAT;.CMD' }, 'C:\\Users\\alice\\AppData\\Local\\Programs\\Microsoft VS Code\\bin\\code.cmd');
    expect(findOnPath('code', lookup)).toBe('C:\\Users\\alice\\AppData\\Local\\Programs\\Microsoft VS Code\\bin\\code.cmd');
    expect(findOnPath('wt.exe', lookup)).toBeNull();
  });
});

describe('findVsCode', () => {
  it('prefers `code` on PATH', () => {
    expect(findVsCode(machine('linux', { PATH: '/opt/bin' }, '/opt/bin/code', '/usr/bin/code'))).toBe('/opt/bin/code');
  });

  it('finds the macOS app where it is installed, though a macOS app’s PATH does not have it', () => {
    const app = '/Applications/Visual Studio Code.app/Contents/Resources/app/bin/code';
    expect(findVsCode(machine('darwin', { PATH: '/usr/bin:/bin', HOME: '/Users/alice' }, app))).toBe(app);
    const own = '/Users/alice/Applications/Visual Studio Code.app/Contents/Resources/app/bin/code';
    expect(findVsCode(machine('darwin', { PATH: '/usr/bin:/bin', HOME: '/Users/alice' }, own))).toBe(own);
  });

  it('finds the Windows user installer’s code.cmd under LOCALAPPDATA', () => {
    const cmd = 'C:\\Users\\alice\\AppData\\Local\\Programs\\Microsoft VS Code\\bin\\code.cmd';
    expect(findVsCode(machine('win32', { PATH: 'C:\\Windows', LOCALAPPDATA: 'C:\\Users\\alice\\AppData\\Local' }, cmd))).toBe(cmd);
  });

  it('answers null when it is not installed', () => {
    expect(findVsCode(machine('linux', { PATH: '/usr/bin' }))).toBeNull();
    expect(findVsCode(machine('darwin', { PATH: '/usr/bin' }))).toBeNull();
    expect(findVsCode(machine('win32', { PATH: 'C:\\Windows', LOCALAPPDATA: 'C:\\Users\\alice\\AppData\\Local' }))).toBeNull();
  });
});

describe('editorLaunch', () => {
  it('starts `code` with the folder, no shell', () => {
    expect(editorLaunch('/usr/bin/code', '/home/alice/Paddock/it’s & $(x)', machine('linux', {}))).toEqual({
      command: '/usr/bin/code',
      args: ['/home/alice/Paddock/it’s & $(x)'],
      cwd: '/home/alice/Paddock/it’s & $(x)',
    });
  });

  it('on Windows starts Code.exe beside code.cmd’s folder, with no shell at all', () => {
    const cmd = 'C:\\Users\\alice\\AppData\\Local\\Programs\\Microsoft VS Code\\bin\\code.cmd';
    const exe = 'C:\\Users\\alice\\AppData\\Local\\Programs\\Microsoft VS Code\\Code.exe';
    expect(editorLaunch(cmd, 'C:\\Users\\alice\\Paddock\\a & b', machine('win32', {}, exe))).toEqual({ command: exe, args: ['C:\\Users\\alice\\Paddock\\a & b'], cwd: 'C:\\Users\\alice\\Paddock\\a & b' });
  });

  it('on Windows without Code.exe runs code.cmd through cmd.exe, each argument quoted', () => {
    const cmd = 'D:\\Tools\\VS Code\\bin\\code.cmd';
    const launch = editorLaunch(cmd, 'C:\\Users\\alice\\Paddock\\a & b', machine('win32', { ComSpec: 'C:\\Windows\\system32\\cmd.exe' }));
    expect(launch).toEqual({
      command: 'C:\\Windows\\system32\\cmd.exe',
      args: ['/d', '/s', '/c', '""D:\\Tools\\VS Code\\bin\\code.cmd" "C:\\Users\\alice\\Paddock\\a & b""'],
      cwd: 'C:\\Users\\alice\\Paddock\\a & b',
      windowsVerbatim: true,
    });
    expect(cmdQuote('say "hi"')).toBe('"say ""hi"""');
  });

  it('on Windows refuses a path with a % sign that would go through cmd.exe, which expands %NAME% even in quotes', () => {
    const cmd = 'D:\\Tools\\VS Code\\bin\\code.cmd';
    const folder = 'C:\\Users\\alice\\Paddock\\x%ComSpec%y';
    expect(() => editorLaunch(cmd, folder, machine('win32', {}))).toThrow(
      new PaddockError('invalid-input', `The path ${folder} has a % sign, which the Command Prompt that starts Visual Studio Code would change. Open the folder from Visual Studio Code instead (File > Open Folder).`),
    );
    expect(() => editorLaunch('D:\\100%\\VS Code\\bin\\code.cmd', 'C:\\Users\\alice\\Paddock\\hello', machine('win32', {}))).toThrow('The path D:\\100%\\VS Code\\bin\\code.cmd has a % sign');
    // Code.exe takes it as it is: no shell.
    const exe = 'D:\\Tools\\VS Code\\Code.exe';
    expect(editorLaunch(cmd, folder, machine('win32', {}, exe))).toEqual({ command: exe, args: [folder], cwd: folder });
  });
});

describe('terminalLaunch', () => {
  it('macOS: Terminal in the folder', () => {
    expect(terminalLaunch('/Users/alice/Paddock/hello', machine('darwin', {}))).toEqual({ command: '/usr/bin/open', args: ['-a', 'Terminal', '/Users/alice/Paddock/hello'], cwd: '/Users/alice/Paddock/hello' });
  });

  it('Windows: Windows Terminal when there, else a Command Prompt started in the folder', () => {
    const folder = 'C:\\Users\\alice\\Paddock\\a & b';
    const wt = 'C:\\Users\\alice\\AppData\\Local\\Microsoft\\WindowsApps\\wt.exe';
    expect(terminalLaunch(folder, machine('win32', { PATH: 'C:\\Users\\alice\\AppData\\Local\\Microsoft\\WindowsApps' }, wt))).toEqual({ command: wt, args: ['-d', '.'], cwd: folder });
    // Windows Terminal splits its arguments on `;` even inside quotes: a folder named so would start a command.
    const sneaky = 'C:\\Users\\alice\\Paddock\\x;new-tab cmd /k calc';
    const launch = terminalLaunch(sneaky, machine('win32', { PATH: 'C:\\Users\\alice\\AppData\\Local\\Microsoft\\WindowsApps' }, wt));
    expect(launch).toEqual({ command: wt, args: ['-d', '.'], cwd: sneaky });
    expect(launch?.args.join(' ')).not.toContain(';');
    // The folder goes only into the working directory: cmd.exe never parses it.
    expect(terminalLaunch(folder, machine('win32', { PATH: 'C:\\Windows', ComSpec: 'C:\\Windows\\system32\\cmd.exe' }))).toEqual({ command: 'C:\\Windows\\system32\\cmd.exe', args: ['/K'], cwd: folder });
  });

  it('Linux: the system’s terminal first, then the known ones, each told the folder', () => {
    const folder = '/home/alice/Paddock/hello';
    const env = { PATH: '/usr/bin' };
    expect(terminalLaunch(folder, machine('linux', env, '/usr/bin/x-terminal-emulator', '/usr/bin/xterm'))).toEqual({ command: '/usr/bin/x-terminal-emulator', args: [], cwd: folder });
    expect(terminalLaunch(folder, machine('linux', env, '/usr/bin/gnome-terminal', '/usr/bin/xterm'))).toEqual({ command: '/usr/bin/gnome-terminal', args: [`--working-directory=${folder}`], cwd: folder });
    expect(terminalLaunch(folder, machine('linux', env, '/usr/bin/konsole'))).toEqual({ command: '/usr/bin/konsole', args: ['--workdir', folder], cwd: folder });
    expect(terminalLaunch(folder, machine('linux', env, '/usr/bin/xfce4-terminal'))).toEqual({ command: '/usr/bin/xfce4-terminal', args: [`--working-directory=${folder}`], cwd: folder });
    expect(terminalLaunch(folder, machine('linux', env, '/usr/bin/xterm'))).toEqual({ command: '/usr/bin/xterm', args: [], cwd: folder });
    expect(terminalLaunch(folder, machine('linux', env))).toBeNull();
  });
});

describe('opensAsProgram', () => {
  const noFiles = () => false;

  it('on macOS knows a bundle by its name’s ending, in any case', () => {
    for (const ending of macBundleEndings) expect(opensAsProgram(`/Users/alice/Paddock/tool${ending}`, 'darwin', noFiles), ending).toBe(true);
    expect(opensAsProgram('/Users/alice/Paddock/hello/evil.APP', 'darwin', noFiles)).toBe(true);
    expect(opensAsProgram('/Users/alice/Paddock/Thing.PrefPane', 'darwin', noFiles)).toBe(true);
    expect(opensAsProgram('/Users/alice/Paddock/hello/docs', 'darwin', noFiles)).toBe(false);
    // Only the folder’s own name counts: a plain folder inside an app is shown, not started.
    expect(opensAsProgram('/Users/alice/Paddock/tool.app/Contents', 'darwin', noFiles)).toBe(false);
    expect(opensAsProgram('/Users/alice/Paddock/app', 'darwin', noFiles)).toBe(false);
  });

  it('on macOS knows a bundle by its Contents/Info.plist, whatever its name', () => {
    const asked: string[] = [];
    const plist = (file: string) => (asked.push(file), file === '/Users/alice/Paddock/hello/Contents/Info.plist');
    expect(opensAsProgram('/Users/alice/Paddock/hello', 'darwin', plist)).toBe(true);
    expect(opensAsProgram('/Users/alice/Paddock/other', 'darwin', plist)).toBe(false);
    expect(asked).toEqual(['/Users/alice/Paddock/hello/Contents/Info.plist', '/Users/alice/Paddock/other/Contents/Info.plist']);
  });

  it('elsewhere opening a folder only shows it', () => {
    expect(opensAsProgram('/home/alice/Paddock/tool.app', 'linux', () => true)).toBe(false);
    expect(opensAsProgram('C:\\Users\\alice\\Paddock\\tool.app', 'win32', () => true)).toBe(false);
  });
});

describe('childEnvironment', () => {
  it('passes Paddock’s environment on, without ELECTRON_RUN_AS_NODE', () => {
    expect(childEnvironment({ PATH: '/usr/bin', ELECTRON_RUN_AS_NODE: '1', HOME: '/home/alice', EMPTY: undefined }, 'linux')).toEqual({ PATH: '/usr/bin', HOME: '/home/alice' });
    expect(childEnvironment({ PATH: '/usr/bin', HOME: '/Users/alice' }, 'darwin')).toEqual({ PATH: '/usr/bin', HOME: '/Users/alice' });
  });

  it('on Windows tells cmd.exe to find programs on PATH only, not in the working copy, whatever was set before', () => {
    expect(childEnvironment({ Path: 'C:\\Windows', electron_run_as_node: '1' }, 'win32')).toEqual({ Path: 'C:\\Windows', NoDefaultCurrentDirectoryInExePath: '1' });
    expect(childEnvironment({ Path: 'C:\\Windows', nodefaultcurrentdirectoryinexepath: '' }, 'win32')).toEqual({ Path: 'C:\\Windows', NoDefaultCurrentDirectoryInExePath: '1' });
  });
});

describe('the editors Settings offers', () => {
  const local = 'C:\\Users\\alice\\AppData\\Local';
  it('finds each where its installer puts it on macOS and Windows, and starts the program beside a Windows .cmd', () => {
    const mac = machine('darwin', { PATH: '/usr/bin', HOME: '/Users/alice' }, '/Applications/Cursor.app/Contents/Resources/app/bin/cursor', '/Users/alice/Applications/VSCodium.app/Contents/Resources/app/bin/codium');
    expect(listEditors(mac).filter((e) => e.installed).map((e) => e.id)).toEqual(['vscodium', 'cursor', 'system']);
    const cursorCmd = `${local}\\Programs\\cursor\\resources\\app\\bin\\cursor.cmd`;
    const insidersCmd = `${local}\\Programs\\Microsoft VS Code Insiders\\bin\\code-insiders.cmd`;
    const win = machine('win32', { PATH: 'C:\\Windows', LOCALAPPDATA: local }, cursorCmd, `${local}\\Programs\\cursor\\Cursor.exe`, insidersCmd, `${local}\\Programs\\Microsoft VS Code Insiders\\Code - Insiders.exe`);
    const cursor = chooseEditor('cursor', win);
    expect(cursor).toEqual({ editor: { spec: editorCatalogue.find((e) => e.id === 'cursor'), command: cursorCmd }, missing: null });
    expect(editorLaunch(cursor.editor!.command, 'C:\\src\\app', win, cursor.editor!.spec)).toEqual({ command: `${local}\\Programs\\cursor\\Cursor.exe`, args: ['C:\\src\\app'], cwd: 'C:\\src\\app' });
    const insiders = chooseEditor('vscode-insiders', win).editor!;
    expect(editorLaunch(insiders.command, 'C:\\src', win, insiders.spec).command).toBe(`${local}\\Programs\\Microsoft VS Code Insiders\\Code - Insiders.exe`);
  });

  it('names the chosen editor that is gone and falls back as "automatic" does', () => {
    expect(chooseEditor('cursor', machine('linux', { PATH: '/usr/bin' }, '/usr/bin/code'))).toMatchObject({ editor: { command: '/usr/bin/code' }, missing: 'Cursor' });
    expect(chooseEditor('cursor', machine('linux', { PATH: '/usr/bin' }))).toEqual({ editor: null, missing: 'Cursor' });
    expect(chooseEditor('auto', machine('linux', { PATH: '/usr/bin' }, '/usr/bin/codium'))).toEqual({ editor: null, missing: null });
    expect(chooseEditor('system', machine('linux', { PATH: '/usr/bin' }, '/usr/bin/code'))).toEqual({ editor: null, missing: null });
  });

  it('refuses a % in a path for another editor’s .cmd too, naming that editor', () => {
    const win = machine('win32', { PATH: 'C:\\Windows', LOCALAPPDATA: local }, `${local}\\Programs\\VSCodium\\bin\\codium.cmd`);
    const { editor } = chooseEditor('vscodium', win);
    expect(() => editorLaunch(editor!.command, 'C:\\100%\\x', win, editor!.spec)).toThrow(/Command Prompt that starts VSCodium/);
  });
});

describe('the terminals Settings offers', () => {
  it('lists each OS’s own, with what is installed', () => {
    expect(listTerminals(machine('darwin', { PATH: '/usr/bin', HOME: '/Users/alice' }, '/Users/alice/Applications/iTerm.app/Contents/MacOS/iTerm2'))).toEqual([
      { id: 'terminal', name: 'Terminal', installed: true },
      { id: 'iterm', name: 'iTerm', installed: true },
    ]);
    const win = listTerminals(machine('win32', { PATH: 'C:\\Windows\\System32', SystemRoot: 'C:\\Windows' }, 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe'));
    expect(win.map((t) => [t.id, t.installed])).toEqual([
      ['windows-terminal', false],
      ['cmd', true],
      ['powershell', true],
    ]);
  });

  it('starts the chosen one in the folder, and falls back naming the one that is gone', () => {
    const linux = machine('linux', { PATH: '/usr/bin' }, '/usr/bin/alacritty', '/usr/bin/xterm');
    expect(chooseTerminal('alacritty', '/home/a/p', linux)).toEqual({
      terminal: { name: 'Alacritty', launch: { command: '/usr/bin/alacritty', args: ['--working-directory', '/home/a/p'], cwd: '/home/a/p' } },
      missing: null,
    });
    expect(chooseTerminal('konsole', '/home/a/p', linux)).toEqual({ terminal: { name: 'xterm', launch: { command: '/usr/bin/xterm', args: [], cwd: '/home/a/p' } }, missing: 'Konsole' });
    const mac = machine('darwin', { PATH: '/usr/bin', HOME: '/Users/alice' });
    expect(chooseTerminal('iterm', '/Users/alice/p', mac)).toEqual({ terminal: { name: 'Terminal', launch: { command: '/usr/bin/open', args: ['-a', 'Terminal', '/Users/alice/p'], cwd: '/Users/alice/p' } }, missing: 'iTerm' });
    const win = machine('win32', { PATH: 'C:\\Windows\\System32', ComSpec: 'C:\\Windows\\System32\\cmd.exe' }, 'C:\\Windows\\System32\\powershell.exe');
    expect(chooseTerminal('powershell', 'C:\\src', win).terminal).toEqual({ name: 'Windows PowerShell', launch: { command: 'C:\\Windows\\System32\\powershell.exe', args: ['-NoExit'], cwd: 'C:\\src' } });
  });
});
