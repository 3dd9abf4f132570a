import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  azureDevOpsOrganizationSchema,
  azureDevOpsOrganizationsSchema,
  azureDevOpsServerCollectionSchema,
  catalogueEntrySchema,
  entraTenantSchema,
  tenantFromOrganizationHead,
} from '../../../../electron/common/providers';

const tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const emptyGuid = '00000000-0000-0000-0000-000000000000';

function headers(values: Record<string, string>) {
  const lower = new Map(Object.entries(values).map(([k, v]) => [k.toLowerCase(), v]));
  return (name: string) => lower.get(name.toLowerCase()) ?? null;
}

describe('Entra tenants', () => {
  it.each([
    [tenant, tenant],
    [tenant.toUpperCase(), tenant],
    [' organizations ', 'organizations'],
    ['common', 'common'],
  ])('accepts %j as %j', (input, output) => {
    expect(entraTenantSchema.parse(input)).toBe(output);
  });

  it.each([
    ['', /Enter the tenant/],
    ['consumers', /Personal Microsoft accounts/],
    [emptyGuid, /Microsoft accounts: use “organizations”/],
    ['contoso', /tenant ID/],
    ['72f988bf-86f1-41af-91ab', /tenant ID/],
  ])('refuses %j', (input, message) => {
    const result = entraTenantSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(message);
  });
});

describe('Azure DevOps organisations', () => {
  it('keeps name, tenant and how the tenant was set', () => {
    expect(azureDevOpsOrganizationSchema.parse({ name: 'contoso', tenant: tenant.toUpperCase(), tenantOrigin: 'discovered' })).toEqual({
      name: 'contoso',
      tenant,
      tenantOrigin: 'discovered',
    });
    expect(azureDevOpsOrganizationSchema.safeParse({ name: 'contoso', tenant, tenantOrigin: 'guessed' }).success).toBe(false);
    expect(azureDevOpsOrganizationSchema.safeParse({ name: 'contoso', tenant, tenantOrigin: 'entered', extra: 1 }).success).toBe(false);
  });

  it.each(['', 'dev.azure.com/contoso', 'my org', 'a?b', 'x#y', '..'])('refuses the organisation name %j', (name) => {
    expect(azureDevOpsOrganizationSchema.safeParse({ name, tenant, tenantOrigin: 'entered' }).success).toBe(false);
  });

  it('refuses the same organisation twice, ignoring case', () => {
    const result = azureDevOpsOrganizationsSchema.safeParse([
      { name: 'contoso', tenant, tenantOrigin: 'discovered' },
      { name: 'Contoso', tenant: 'organizations', tenantOrigin: 'default' },
    ]);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ path: [1, 'name'], message: 'The organization Contoso is listed twice.' });
  });

  it('takes Azure DevOps Server collections by name only', () => {
    expect(azureDevOpsServerCollectionSchema.parse({ name: ' DefaultCollection ' })).toEqual({ name: 'DefaultCollection' });
    for (const name of ['', 'tfs/DefaultCollection', '_git']) expect(azureDevOpsServerCollectionSchema.safeParse({ name }).success, name).toBe(false);
  });
});

describe('tenantFromOrganizationHead (GCM GetAuthorityAsync)', () => {
  it('prefers the Bearer challenge’s authorization_uri', () => {
    expect(
      tenantFromOrganizationHead(
        headers({
          'WWW-Authenticate': `Bearer authorization_uri=https://login.microsoftonline.com/${tenant}, Basic realm="https://tfsprodweu2.visualstudio.com/", TFS-Federated`,
          'X-VSS-ResourceTenant': 'aaaaaaaa-0000-0000-0000-000000000001',
        }),
      ),
    ).toEqual({ found: true, tenant, via: 'www-authenticate' });
  });

  it('reads authorization_uri after other Bearer parameters and in quotes', () => {
    expect(tenantFromOrganizationHead(headers({ 'www-authenticate': `Bearer realm="x", authorization_uri="https://login.microsoftonline.com/${tenant}/"` }))).toEqual({
      found: true,
      tenant,
      via: 'www-authenticate',
    });
  });

  it('falls back to the first non-empty GUID in X-VSS-ResourceTenant', () => {
    expect(tenantFromOrganizationHead(headers({ 'X-VSS-ResourceTenant': `${emptyGuid}, ${tenant.toUpperCase()}` }))).toEqual({
      found: true,
      tenant,
      via: 'x-vss-resourcetenant',
    });
    expect(tenantFromOrganizationHead(headers({ 'WWW-Authenticate': 'Basic realm="x"', 'X-VSS-ResourceTenant': tenant }))).toMatchObject({ via: 'x-vss-resourcetenant' });
  });

  it('reads a single empty GUID as an organisation backed by Microsoft accounts: “organizations”', () => {
    expect(tenantFromOrganizationHead(headers({ 'X-VSS-ResourceTenant': emptyGuid }))).toEqual({ found: true, tenant: 'organizations', via: 'msa' });
  });

  it('finds nothing in an answer without tenant headers', () => {
    expect(tenantFromOrganizationHead(headers({}))).toMatchObject({ found: false });
    expect(tenantFromOrganizationHead(headers({ 'X-VSS-ResourceTenant': 'not-a-guid' }))).toMatchObject({ found: false });
    expect(tenantFromOrganizationHead(headers({ 'WWW-Authenticate': 'Bearer authorization_uri=https://login.microsoftonline.com/evil/path' }))).toMatchObject({
      found: false,
    });
  });
});

describe('schemas the app API and store will carry', () => {
  it('convert to JSON Schema both ways (JSON types only)', () => {
    for (const schema of [entraTenantSchema, azureDevOpsOrganizationSchema, azureDevOpsOrganizationsSchema, azureDevOpsServerCollectionSchema, catalogueEntrySchema]) {
      expect(() => z.toJSONSchema(schema, { unrepresentable: 'throw', io: 'input' })).not.toThrow();
      expect(() => z.toJSONSchema(schema, { unrepresentable: 'throw', io: 'output' })).not.toThrow();
    }
  });
});
