import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PADDOCK_VERSION } from '../../../electron/common/version';

describe('PADDOCK_VERSION', () => {
  it('matches package.json', () => {
    expect(PADDOCK_VERSION).toBe(JSON.parse(fs.readFileSync('package.json', 'utf8')).version);
  });
});
