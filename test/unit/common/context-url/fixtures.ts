import { parseHostSpec } from '../../../../electron/common/context-url';
import type { ConfiguredHost, ContextUrl, ContextUrlError, ContextUrlErrorCode } from '../../../../electron/common/context-url';

/** The self-hosted hosts the tables and properties run with. */
export const hostSpecs = [
  'github=https://ghe.example.com',
  'gitlab=https://git.example.com/gitlab',
  'bitbucket-dc=https://bitbucket.example.com',
  'azure-devops-server=https://tfs.contoso.com/tfs',
  'azure-devops-server=https://ado.contoso.com',
  'azure-devops-server=http://tfs.local:8080/tfs',
] as const;

export function host(spec: string): ConfiguredHost {
  const parsed = parseHostSpec(spec);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.host;
}

export const hosts: ConfiguredHost[] = hostSpecs.map(host);

type ContextFields = Omit<ContextUrl, 'ok' | 'ref' | 'path' | 'refAmbiguous'> & Partial<Pick<ContextUrl, 'ref' | 'path' | 'refAmbiguous'>>;

/** A full expected context: ref and path default to null, refAmbiguous to false. */
export function ctx(fields: ContextFields): ContextUrl {
  return {
    ok: true,
    provider: fields.provider,
    host: fields.host,
    owner: fields.owner,
    project: fields.project,
    repo: fields.repo,
    ref: fields.ref ?? null,
    path: fields.path ?? null,
    refAmbiguous: fields.refAmbiguous ?? false,
    cloneUrl: fields.cloneUrl,
  };
}

export function err(code: ContextUrlErrorCode, message: string): ContextUrlError {
  return { ok: false, error: { code, message } };
}
