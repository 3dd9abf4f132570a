import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('./electron-mock'));

const { setupLogging } = await import('../../../electron/main/logging');

describe('setupLogging', () => {
  it('writes main.log (secret-looking fields redacted) and runner.log into the logs folder, for the user only', async () => {
    const directory = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-logs-')), 'logs');
    const { logger, runnerLine } = setupLogging(directory);
    logger.info('hello', { token: 'canary-token-X1', count: 2 });
    runnerLine('{"msg":"runner line"}');
    const main = path.join(directory, 'main.log');
    const runner = path.join(directory, 'runner.log');
    await vi.waitFor(() => {
      expect(fs.readFileSync(main, 'utf8')).toContain('"msg":"hello"');
      expect(fs.readFileSync(runner, 'utf8')).toBe('{"msg":"runner line"}\n');
    });
    expect(fs.readFileSync(main, 'utf8')).not.toContain('canary');
    if (process.platform !== 'win32') {
      expect(fs.statSync(main).mode & 0o077).toBe(0);
      expect(fs.statSync(runner).mode & 0o077).toBe(0);
    }
  });
});
