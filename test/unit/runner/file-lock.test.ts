import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RegistrationBook } from '../../../electron/runner/registrations';

// `registration create` (one process) and the server registering workstations
// (another) rewrite the same files: none of their writes may be lost or undone.
describe('registrations under concurrent processes', () => {
  it('loses no token and never turns a used token back to unused', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-race-'));
    const script = path.join(dataDir, 'worker.ts');
    fs.writeFileSync(
      script,
      `import { RegistrationBook } from ${JSON.stringify(path.resolve('electron/runner/registrations.ts'))};
const book = new RegistrationBook(process.argv[2]);
const role = process.argv[3];
const made = [];
for (let i = 0; i < 60; i++) {
  const { token } = book.create(3600_000);
  if (role === 'registrar') book.register(token, 'ws-' + i);
  made.push(token);
}
process.send(made);`,
    );
    const run = (role: string) =>
      new Promise<string[]>((resolve, reject) => {
        const child = fork(script, [dataDir, role], { execArgv: ['--import', 'tsx'] });
        child.on('message', (m) => resolve(m as string[]));
        child.on('exit', (code) => code !== 0 && reject(new Error(`worker exited ${code}`)));
      });
    const [registered, created] = await Promise.all([run('registrar'), run('creator')]);
    const book = new RegistrationBook(dataDir);
    expect(book.clients()).toHaveLength(60);
    // Every registered token stays used; every created one is still there and usable.
    for (const token of registered) expect(() => book.register(token, 'again')).toThrow(expect.objectContaining({ code: 'token-used' }));
    expect(book.outstanding()).toBe(created.length);
  }, 60_000);
});
