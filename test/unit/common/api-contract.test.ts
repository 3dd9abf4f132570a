import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { apiEvents, apiMethods, createApiClient, type ClientTransport } from '../../../electron/common/api';
import { isPaddockError, PaddockError } from '../../../electron/common/errors';

describe('PaddockApi contract', () => {
  const schemas = [
    ...Object.entries(apiMethods).flatMap(([name, spec]) => [
      [`${name} input`, spec.input],
      [`${name} output`, spec.output],
    ]),
    ...Object.entries(apiEvents).map(([name, schema]) => [`${name} event`, schema]),
  ] as [string, z.ZodType][];

  it.each(schemas)('%s is made of JSON types only', (_name, schema) => {
    // toJSONSchema throws for what JSON cannot carry (Date, bigint, undefined, Map, functions…).
    expect(() => z.toJSONSchema(schema, { unrepresentable: 'throw', io: 'input' })).not.toThrow();
    expect(() => z.toJSONSchema(schema, { unrepresentable: 'throw', io: 'output' })).not.toThrow();
  });

  it('every method has a summary', () => {
    for (const spec of Object.values(apiMethods)) expect(spec.summary.length).toBeGreaterThan(10);
  });
});

describe('createApiClient', () => {
  it('maps each method to a call and each event to on<Event>', async () => {
    const transport: ClientTransport = {
      call: vi.fn(async () => ({ ok: true as const, value: { theme: 'dark' } })),
      subscribe: vi.fn(() => () => {}),
    };
    const api = createApiClient(transport);
    await expect(api.getPreferences()).resolves.toEqual({ theme: 'dark' });
    expect(transport.call).toHaveBeenCalledWith('getPreferences', null);
    api.onPreferencesChanged(() => {});
    expect(transport.subscribe).toHaveBeenCalledWith('preferencesChanged', expect.any(Function));
  });

  it('rejects with a PaddockError carrying the code and field issues', async () => {
    const api = createApiClient({
      call: async () => ({
        ok: false as const,
        error: { code: 'invalid-input' as const, message: 'Invalid argument. theme: bad', issues: [{ path: 'theme', message: 'bad' }] },
      }),
      subscribe: () => () => {},
    });
    const error = await api.updatePreferences({ theme: 'dark' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaddockError);
    expect(isPaddockError(error)).toBe(true);
    expect((error as PaddockError).code).toBe('invalid-input');
    expect((error as PaddockError).issues).toEqual([{ path: 'theme', message: 'bad' }]);
  });

  it('refuses a malformed envelope from the transport', async () => {
    const api = createApiClient({ call: async () => ({ nonsense: true }) as never, subscribe: () => () => {} });
    await expect(api.getPreferences()).rejects.toThrow();
  });
});

describe('isPaddockError', () => {
  it('recognises plain error objects (as they arrive over the context bridge)', () => {
    expect(isPaddockError({ code: 'forbidden', message: 'No.' })).toBe(true);
    expect(isPaddockError({ code: 'made-up', message: 'No.' })).toBe(false);
    expect(isPaddockError(new Error('x'))).toBe(false);
    // An instance of another copy of the class (the web bridge bundles its own) still counts.
    class OtherCopy extends Error {
      override readonly name = 'PaddockError';
      constructor(readonly code: string, message: string, readonly issues?: unknown) {
        super(message);
      }
    }
    expect(isPaddockError(new OtherCopy('invalid-input', 'Bad.', [{ path: 'url', message: 'Bad.' }]))).toBe(true);
    expect(isPaddockError(new PaddockError('not-found', 'Gone.'))).toBe(true);
    expect(isPaddockError(null)).toBe(false);
  });
});
