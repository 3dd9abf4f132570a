import { describe, expect, it } from 'vitest';
import { carriesAction, readArgv, startsInBackground } from '../../../electron/main/launch-args';

const CODE = 'canary-code-W7qP2';
const STATE = 'canary-state-Z5mK9';
const callback = `paddock://oauth/callback?code=${CODE}&state=${STATE}`;
const exe = 'C:\\Program Files\\Paddock\\Paddock.exe';
// What Windows starts for a link (protocol-client.ts registers it), with the switches Chromium adds in front.
const launched = (...links: string[]) => [exe, '--allow-file-access-from-files', '--original-process-start-time=13380000000000000', '--protocol-launcher', '--', ...links];

describe('startsInBackground', () => {
  it('is true for a start at login (--background) only', () => {
    expect(startsInBackground(['/opt/Paddock/paddock', '--background'])).toBe(true);
    expect(startsInBackground(['C:\\Paddock.exe', '--allow-file-access-from-files', '--background'])).toBe(true);
    expect(startsInBackground(['/opt/Paddock/paddock'])).toBe(false);
    // The executable's own name, an argument after `--`, or a look-alike is no such switch.
    expect(startsInBackground(['--background'])).toBe(false);
    expect(startsInBackground(['/opt/Paddock/paddock', '--', '--background'])).toBe(false);
    expect(startsInBackground(['/opt/Paddock/paddock', '--background=no', '--backgrounds'])).toBe(false);
  });
});

describe('readArgv on Windows', () => {
  it('takes the one link of a --protocol-launcher command line, passing over Chromium’s switches', () => {
    expect(readArgv(launched(callback), 'win32')).toEqual({ kind: 'deliver', delivery: { link: callback } });
  });

  it('takes it in a development build too, after the entry script', () => {
    const argv = ['C:\\dev\\node_modules\\electron\\dist\\electron.exe', 'C:\\dev\\.vite\\build\\main.cjs', '--protocol-launcher', '--', 'paddock://open?url=https%3A%2F%2Fgithub.com%2Fo%2Fr'];
    expect(readArgv(argv, 'win32')).toEqual({ kind: 'deliver', delivery: { link: 'paddock://open?url=https%3A%2F%2Fgithub.com%2Fo%2Fr' } });
  });

  it('refuses a --protocol-launcher command line with two links, or with none that parses', () => {
    expect(readArgv(launched(callback, 'paddock://open?url=x'), 'win32')).toEqual({ kind: 'refused', reason: 'several-links' });
    expect(readArgv(launched(`${callback}&code=again`), 'win32')).toEqual({ kind: 'refused', reason: 'duplicate-parameter' });
    expect(readArgv(launched(), 'win32')).toEqual({ kind: 'refused', reason: 'not-a-deep-link' });
    expect(readArgv(launched('https://github.com/o/r'), 'win32')).toEqual({ kind: 'refused', reason: 'not-a-deep-link' });
  });

  it('takes exactly the one argument that is a Paddock link; a malformed second one is not counted', () => {
    expect(readArgv(launched(callback, 'paddock://nothing-here'), 'win32')).toEqual({ kind: 'deliver', delivery: { link: callback } });
  });

  it('refuses a link on a command line without --protocol-launcher (the registry never starts one so)', () => {
    const reading = readArgv([exe, callback], 'win32');
    expect(reading).toEqual({ kind: 'refused', reason: 'link-without-protocol-launcher' });
    expect(JSON.stringify(reading)).not.toMatch(/canary/);
    // A --protocol-launcher after `--` is an argument, not the switch.
    expect(readArgv([exe, '--', '--protocol-launcher', callback], 'win32')).toEqual({ kind: 'refused', reason: 'link-without-protocol-launcher' });
  });

  it('keeps `open <url>` working without the switch, and an ordinary start', () => {
    const open = [exe, 'open', 'https://github.com/o/r/pull/7'];
    expect(readArgv(open, 'win32')).toEqual({ kind: 'deliver', delivery: { argv: open } });
    expect(readArgv([exe], 'win32')).toEqual({ kind: 'deliver', delivery: { argv: [exe] } });
  });
});

describe('readArgv elsewhere', () => {
  it('hands the command line on as it is: the link is found by its scheme (Linux’s Exec=… %U)', () => {
    const argv = ['/opt/Paddock/paddock', callback];
    expect(readArgv(argv, 'linux')).toEqual({ kind: 'deliver', delivery: { argv } });
    expect(readArgv(argv, 'darwin')).toEqual({ kind: 'deliver', delivery: { argv } });
  });
});

describe('carriesAction', () => {
  it('is true for a link or `open <url>`, false for an ordinary or refused start', () => {
    expect(carriesAction(['/opt/Paddock/paddock', '--background'], 'linux')).toBe(false);
    expect(carriesAction(['/opt/Paddock/paddock', '--background', callback], 'linux')).toBe(true);
    expect(carriesAction(['/opt/Paddock/paddock', 'open', 'https://github.com/o/r'], 'linux')).toBe(true);
    expect(carriesAction(launched(callback), 'win32')).toBe(true);
    expect(carriesAction([exe, callback], 'win32')).toBe(false);
  });
});
