import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const config = JSON.parse(fs.readFileSync(path.join(root, 'build/electron-builder.json'), 'utf8'));
const scheme = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/app-builder-lib/scheme.json'), 'utf8'));

describe('installer config (build/electron-builder.json)', () => {
  it('sets the security fuses', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      // Off: so custom CA certificates must be configured explicitly, not via NODE_EXTRA_CA_CERTS.
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it("names only fuses electron-builder knows (a typo would silently do nothing)", () => {
    const known = Object.keys(scheme.definitions.FuseOptionsV1.properties);
    for (const key of Object.keys(config.electronFuses)) expect(known).toContain(key);
  });

  it('uses only top-level keys electron-builder knows', () => {
    const known = Object.keys(scheme.properties);
    for (const key of Object.keys(config).filter((k) => k !== '$schema')) expect(known).toContain(key);
  });

  it('registers the paddock:// protocol and keeps the native keychain module outside the asar', () => {
    expect(config.protocols).toEqual([{ name: 'Paddock', schemes: ['paddock'] }]);
    expect(config.asarUnpack).toContain('**/node_modules/@github/keytar/**');
  });
});
