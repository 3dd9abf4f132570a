import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { providerKinds } from '../../../../electron/common/provider-kind';
import { fixedLoopbackPort, providerCatalogue } from '../../../../electron/common/providers';

// docs/providers.md is written by hand; this keeps it from drifting from the data.

const docs = fs.readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../docs/providers.md'), 'utf8');

describe('docs/providers.md', () => {
  it.each(providerKinds)('describes %s: name, host, scopes, PAT page and probes', (kind) => {
    const entry = providerCatalogue[kind];
    expect(docs).toContain(`### ${entry.displayName} (\`${kind}\`)`);
    if (entry.host.default) expect(docs).toContain(entry.host.default);
    for (const scope of entry.oauth.supported ? entry.oauth.scopes : []) expect(docs).toContain(scope.scope);
    for (const scope of entry.pat.scopes) expect(docs).toContain(scope.scope);
    expect(docs).toContain(entry.pat.page.url);
    for (const probe of entry.probes) expect(docs).toContain(probe.url);
  });

  it('names the fixed loopback port', () => {
    expect(docs).toContain(`localhost:${fixedLoopbackPort}/oauth/callback`);
  });
});
