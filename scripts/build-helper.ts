// Builds the native git credential helper (the trampoline,
// electron/runner/git/trampoline/paddock-git-helper.c) with the C compiler
// `cc` (CC overrides it) to dist/helper/paddock-git-helper — what packaged
// builds ship as an extra resource (build/electron-builder.json), since
// their Electron cannot run the Node helper (runAsNode fuse off).
// Windows builds compile the same file with their own compiler (MSVC `cl`
// or MinGW) to paddock-git-helper.exe: not done or tested here.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const TRAMPOLINE_SOURCE = path.join(root, 'electron/runner/git/trampoline/paddock-git-helper.c');
export const TRAMPOLINE_OUTPUT = path.join(root, 'dist/helper', process.platform === 'win32' ? 'paddock-git-helper.exe' : 'paddock-git-helper');

/** Compiles the trampoline to `output`; throws with the compiler's message when it fails (or there is no compiler). */
export function buildHelper(output: string = TRAMPOLINE_OUTPUT, compiler: string = process.env.CC || 'cc'): string {
  fs.mkdirSync(path.dirname(output), { recursive: true });
  // On Windows, for a MinGW `cc`/`gcc` (its entry point is wmain); MSVC's `cl` takes other flags.
  const platformFlags = process.platform === 'win32' ? ['-municode'] : ['-D_POSIX_C_SOURCE=200809L'];
  execFileSync(compiler, ['-std=c99', ...platformFlags, '-O2', '-Wall', '-Wextra', '-Werror', '-o', output, TRAMPOLINE_SOURCE], { stdio: ['ignore', 'inherit', 'inherit'] });
  fs.chmodSync(output, 0o755);
  return output;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(`Built ${path.relative(root, buildHelper())}.`);
}
