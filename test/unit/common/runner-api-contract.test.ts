import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { errorCatalogue, errorCodes } from '../../../electron/common/errors';
import { matchRoutePath, routePath, runnerErrorSchema, runnerRoutes } from '../../../electron/common/runner-api';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

describe('docs/runners.md route table', () => {
  // Written by hand; this keeps it from drifting from the contract.
  const rows = read('docs/runners.md')
    .split('\n')
    .map((line) => /^\| `(GET|POST|PUT|DELETE) (\/v1\/[^`]*)` \| (public|user|admin) \| (both|local|remote) \|/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map(([, method, route, access, mode]) => `${method} ${route} ${access} ${mode}`);

  it('lists exactly the contract’s routes, with their access and modes', () => {
    const contract = Object.values(runnerRoutes).map((r) => {
      const mode = r.modes.length === 2 ? 'both' : r.modes[0];
      return `${r.method} ${r.path.replace(/:([A-Za-z]+)/g, '{$1}')} ${r.access} ${mode}`;
    });
    expect(rows.sort()).toEqual(contract.sort());
  });
});

describe('the runner API contract', () => {
  it('has one route per method and path', () => {
    const keys = Object.values(runnerRoutes).map((r) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('converts every schema to JSON Schema (JSON types only, so every transport carries it)', () => {
    for (const [name, route] of Object.entries(runnerRoutes)) {
      for (const schema of [route.response, 'body' in route ? route.body : undefined, 'params' in route ? route.params : undefined]) {
        if (schema) expect(() => z.toJSONSchema(schema as z.ZodType, { io: 'input' }), name).not.toThrow();
      }
    }
  });

  it('gives path parameters a schema wherever the path has them, and matches and fills them', () => {
    for (const route of Object.values(runnerRoutes)) {
      const names = [...route.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]);
      if (names.length) expect(Object.keys((route as { params: z.ZodObject }).params.shape)).toEqual(names);
      else expect('params' in route).toBe(false);
    }
    expect(matchRoutePath('/v1/jobs/:id/events', '/v1/jobs/j_abc/events')).toEqual({ id: 'j_abc' });
    expect(matchRoutePath('/v1/jobs/:id', '/v1/jobs/j_abc/events')).toBeNull();
    expect(matchRoutePath('/v1/jobs/:id', '/v1/jobs/')).toBeNull();
    expect(matchRoutePath('/v1/jobs/:id', '/v1/jobs/%E0%A4%A')).toBeNull();
    expect(routePath('/v1/clients/:clientId/tokens', { clientId: 'c_a/b' })).toBe('/v1/clients/c_a%2Fb/tokens');
    expect(() => routePath('/v1/jobs/:id', {})).toThrow(/id/);
  });

  it('reads error bodies with codes from the one catalogue only', () => {
    expect(runnerErrorSchema.safeParse({ error: { code: 'policy-blocked', message: 'x', detail: { providerCode: 'AADSTS65001' } } }).success).toBe(true);
    expect(runnerErrorSchema.safeParse({ error: { code: 'unavailable', message: 'x' } }).success).toBe(false);
    for (const code of errorCodes) expect(errorCatalogue[code].status).toBeGreaterThanOrEqual(400);
  });

  it('is the only place runner API shapes are written: the runner’s router and the app’s runner client define no schemas', () => {
    for (const file of ['electron/runner/api.ts', 'electron/core/runners/connection.ts']) {
      expect(read(file), file).not.toMatch(/\bz\.(object|strictObject|looseObject|array|union|discriminatedUnion)\(/);
    }
  });
});
