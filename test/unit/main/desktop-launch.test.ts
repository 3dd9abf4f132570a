import { describe, expect, it } from 'vitest';
import { PaddockError } from '../../../electron/common/errors';
import { childEnvironment, cmdQuote, editorLaunch, findOnPath, findVsCode, macBundleEndings, opensAsProgram, terminalLaunch, type ToolLookup } from '../../../electron/main/desktop-launch';

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
