import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { NetworkPreferences, PolicyNetworkView } from '../common/api';
import { PaddockError, type ErrorIssue } from '../common/errors';
import type { PolicyNetwork } from '../common/policy';

// The local runner's network as the user sets it in Settings (PRODUCT D4):
// checked here before it is saved, merged with the admin policy's (whose
// values win), and turned into what the runner is started with — the CA
// file and no-proxy list as flags, the proxy URL over the process channel
// (docs/environments.md, "Network").

/** Larger CA files are refused: a bundle of every public root is about 250 KB. */
export const MAX_CA_FILE_BYTES = 4 * 1024 * 1024;

/** What reading the CA file needs (tests give their own). */
export interface CaFileReader {
  readFile(file: string): Buffer;
  size(file: string): number;
}

const fileReader: CaFileReader = {
  readFile: (file) => fs.readFileSync(file),
  size: (file) => fs.statSync(file).size,
};

const blank = (value: string | null | undefined) => (value ?? '').trim() === '';

/** The proxy address, normalised to scheme://host:port (the port written out, so git and the runner's requests agree); an issue when it is not one Paddock can use. */
function checkProxy(text: string): { value: string } | { problem: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { problem: 'Enter the proxy as an address such as http://proxy.example.com:3128.' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { problem: `The proxy must start with http:// or https://, not ${url.protocol}//.` };
  }
  if (url.hostname === '') return { problem: 'The proxy address needs a host name, such as http://proxy.example.com:3128.' };
  if (url.username !== '' || url.password !== '') {
    return {
      problem:
        'Leave the user name and password out of the proxy address: Paddock does not keep them in its settings. Ask your admin to set the proxy in the admin policy, or set HTTPS_PROXY in your environment.',
    };
  }
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || /[?#]/.test(text)) {
    return { problem: 'Give only the proxy’s address and port, such as http://proxy.example.com:3128, without a path.' };
  }
  const port = url.port === '' ? (url.protocol === 'https:' ? '443' : '80') : url.port;
  return { value: `${url.protocol}//${url.hostname}:${port}` };
}

/** One host of the no-proxy list: a name (or `.domain`), an address, a network in CIDR form, or `*`. */
const noProxyEntry = /^(\*|\.?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:\d{1,5})?|\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?(:\d{1,5})?|\[?[0-9A-Fa-f:]+\]?(\/\d{1,3})?)$/;

function checkNoProxy(text: string): { value: string } | { problem: string } {
  const entries = text
    .split(/[,\s]+/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const wrong = entries.find((entry) => !noProxyEntry.test(entry));
  if (wrong !== undefined) {
    return { problem: `“${wrong.slice(0, 80)}” is not a host name. List host names, domains (.example.com) or addresses, separated by commas.` };
  }
  return { value: entries.join(',') };
}

function checkCaFile(text: string, reader: CaFileReader): { value: string } | { problem: string } {
  if (!path.isAbsolute(text)) return { problem: 'Give the CA file by its full path, such as /etc/ssl/certs/company-ca.pem.' };
  let size: number;
  try {
    size = reader.size(text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { problem: code === 'ENOENT' || code === 'ENOTDIR' ? `There is no file at ${text}.` : `${text} cannot be read (${code ?? 'error'}).` };
  }
  if (size > MAX_CA_FILE_BYTES) return { problem: `${text} is too large for a file of certificates (more than 4 MB).` };
  let content: string;
  try {
    content = reader.readFile(text).toString('utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { problem: code === 'EISDIR' ? `${text} is a folder; choose the PEM file in it.` : `${text} cannot be read (${code ?? 'error'}).` };
  }
  const blocks = content.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) return { problem: `${text} holds no PEM certificate (a block starting -----BEGIN CERTIFICATE-----).` };
  for (const block of blocks) {
    try {
      new X509Certificate(block);
    } catch {
      return { problem: `${text} holds a certificate that cannot be read. Give a file of PEM certificates.` };
    }
  }
  return { value: text };
}

/**
 * The network settings as they will be saved: each field trimmed (empty
 * means none), the proxy normalised. Rejects with an `invalid-input`
 * PaddockError whose issues name each wrong field (`network.proxy`,
 * `network.noProxy`, `network.caFile`); nothing is saved then.
 */
export function checkNetworkPreferences(input: NetworkPreferences, reader: CaFileReader = fileReader): NetworkPreferences {
  const issues: ErrorIssue[] = [];
  const field = (name: keyof NetworkPreferences, value: string | null, check: (text: string) => { value: string } | { problem: string }): string | null => {
    if (blank(value)) return null;
    const result = check(value!.trim());
    if ('problem' in result) {
      issues.push({ path: `network.${name}`, message: result.problem });
      return null;
    }
    return result.value;
  };
  const checked: NetworkPreferences = {
    proxy: field('proxy', input.proxy, checkProxy),
    noProxy: field('noProxy', input.noProxy, checkNoProxy),
    caFile: field('caFile', input.caFile, (text) => checkCaFile(text, reader)),
  };
  if (issues.length) {
    throw new PaddockError('invalid-input', `The network settings were not saved: ${issues.map((i) => i.message).join(' ')}`.slice(0, 4000), issues);
  }
  return checked;
}

/** The policy's network as Settings shows it: the proxy without a user name or password. */
export function policyNetworkView(network: PolicyNetwork | null | undefined, source: string): PolicyNetworkView | null {
  // A no-proxy list without a proxy does nothing (the runner takes it only with one): nothing to show then.
  if (!network || (!network.proxy && !network.caFile)) return null;
  let proxy: string | null = null;
  if (network.proxy) {
    try {
      const url = new URL(network.proxy);
      proxy = `${url.protocol}//${url.host}`;
    } catch {
      proxy = 'a proxy';
    }
  }
  return { source, proxy, noProxy: network.proxy ? (network.noProxy ?? null) : null, caFile: network.caFile ?? null };
}

/** The network the local runner uses: the policy's proxy (with its no-proxy list) and CA file where it sets them, else the user's. */
export interface EffectiveNetwork {
  proxy: string | null;
  noProxy: string | null;
  caFile: string | null;
}

export function effectiveNetwork(user: NetworkPreferences, policy: PolicyNetwork | null | undefined): EffectiveNetwork {
  const proxy = policy?.proxy ?? user.proxy;
  return {
    proxy: proxy ?? null,
    // The no-proxy list belongs to the proxy it goes with.
    noProxy: policy?.proxy ? (policy.noProxy ?? null) : user.noProxy,
    caFile: policy?.caFile ?? user.caFile,
  };
}

/** What the local runner is started with for a network: flags, and the proxy URL (sent with the token: it may hold the policy's credentials). */
export function runnerNetworkLaunch(network: EffectiveNetwork): { args: string[]; proxy?: string } {
  return {
    args: [...(network.caFile ? ['--ca-file', network.caFile] : []), ...(network.proxy && network.noProxy ? ['--no-proxy', network.noProxy] : [])],
    ...(network.proxy ? { proxy: network.proxy } : {}),
  };
}

/** Which of the user's network fields the policy decides (Settings shows them read-only; the core refuses changes to them). */
export function policyDecides(policy: PolicyNetwork | null | undefined): Set<keyof NetworkPreferences> {
  const fields = new Set<keyof NetworkPreferences>();
  if (policy?.proxy) {
    fields.add('proxy');
    fields.add('noProxy');
  }
  if (policy?.caFile) fields.add('caFile');
  return fields;
}
