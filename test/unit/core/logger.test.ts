import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../electron/core/logger';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(String(chunk));
      callback();
    },
  });
  return { lines, destination };
}

describe('logger', () => {
  it('redacts secret-named fields at any of three levels and keeps the rest', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ name: 'test', destination: destination as never });
    const canary = 'canary-9d2c71';
    logger.info('request', {
      token: canary,
      provider: { clientSecret: canary, host: 'dev.azure.com' },
      call: { headers: { authorization: `Bearer ${canary}` } },
      runner: 'local',
    });
    const text = lines.join('');
    expect(text).not.toContain(canary);
    expect(text).toContain('[redacted]');
    expect(text).toContain('dev.azure.com');
    expect(JSON.parse(lines[0]!)).toMatchObject({ msg: 'request', runner: 'local', token: '[redacted]' });
  });

  it('redacts OAuth’s own field names too (a token answer or form body logged by mistake)', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ name: 'test', destination: destination as never });
    const canary = 'canary-5e81aa';
    logger.warn('token answer', {
      body: { access_token: canary, refresh_token: canary, id_token: canary, token_type: 'Bearer' },
      form: { code_verifier: canary, client_secret: canary, grant_type: 'authorization_code' },
      verifier: canary,
    });
    const text = lines.join('');
    expect(text).not.toContain(canary);
    expect(JSON.parse(lines[0]!)).toMatchObject({ body: { token_type: 'Bearer' }, form: { grant_type: 'authorization_code' } });
  });
});
