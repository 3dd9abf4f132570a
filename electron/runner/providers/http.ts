import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import tls from 'node:tls';
import { Agent, EnvHttpProxyAgent, request } from 'undici';
import type { Dispatcher } from 'undici';

// The runner's outbound HTTP client for providers (undici). It honours
// HTTPS_PROXY / HTTP_PROXY / NO_PROXY, or an explicit proxy with its own
// no-proxy list, and adds a configured CA bundle to Node's default roots:
// Electron's fuses switch NODE_OPTIONS (and so NODE_EXTRA_CA_CERTS) off, so
// extra CAs must be given here (docs/security.md). Redirects are never
// followed: the caller sees the status and Location. Nothing here logs;
// messages never carry credentials (a proxy's user name and password are
// cut from its URL before it is named).

export const connectTimeoutMs = 10_000;
export const overallTimeoutMs = 15_000;
/** Provider answers validation reads are small; anything larger is cut off. */
export const maxBodyBytes = 1024 * 1024;

export interface HttpClientOptions {
  /** A PEM file of extra CA certificates, added to Node's default roots. */
  readonly caFile?: string;
  /** 'env': HTTPS_PROXY / HTTP_PROXY / NO_PROXY from the environment; or an explicit proxy and its no-proxy list. */
  readonly proxy?: 'env' | { readonly url: string; readonly noProxy?: string };
}

/** A configuration the client cannot be built from (unreadable CA file, bad proxy URL): not a network problem. */
export class HttpClientConfigError extends Error {
  constructor(
    readonly code: 'ca-file' | 'proxy-url',
    message: string,
  ) {
    super(message);
  }
}

export interface HttpClient {
  readonly dispatcher: Dispatcher;
  /** The extra CA certificates (PEM) read from caFile; empty when none. */
  readonly extraCa: readonly string[];
  /** The proxy a request to this URL goes through (credentials removed), or null when it goes direct. */
  proxyFor(url: string | URL): string | null;
  close(): Promise<void>;
}

/** Reads the PEM certificates of a bundle; throws HttpClientConfigError when none can be read. */
export function readCaBundle(file: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (cause) {
    throw new HttpClientConfigError('ca-file', `The CA bundle ${file} cannot be read (${(cause as NodeJS.ErrnoException).code ?? 'error'}). Check the path and that the runner may read it.`);
  }
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  const certificates: string[] = [];
  for (const block of blocks) {
    try {
      new X509Certificate(block);
      certificates.push(`${block}\n`);
    } catch {
      throw new HttpClientConfigError('ca-file', `The CA bundle ${file} holds a certificate that cannot be read. Give a file of PEM certificates (-----BEGIN CERTIFICATE-----).`);
    }
  }
  if (certificates.length === 0) {
    throw new HttpClientConfigError('ca-file', `The CA bundle ${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----).`);
  }
  return certificates;
}

/** A proxy URL without its user name and password, for messages. */
export function redactProxy(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return 'the configured proxy';
  }
}

const defaultPorts: Record<string, number> = { 'http:': 80, 'https:': 443 };

/** Whether NO_PROXY lets this host go direct; the same rules as undici's EnvHttpProxyAgent. */
export function bypassesProxy(noProxy: string, hostname: string, port: number): boolean {
  const value = noProxy.trim();
  if (value === '') return false;
  if (value === '*') return true;
  const host = hostname.toLowerCase();
  for (const raw of value.split(/[,\s]/)) {
    if (!raw) continue;
    const parsed = /^(.+):(\d+)$/.exec(raw);
    const entryHost = (parsed?.[1] ?? raw).replace(/^\*?\./, '').toLowerCase();
    const entryPort = parsed?.[2] ? Number.parseInt(parsed[2], 10) : 0;
    if (entryPort && entryPort !== port) continue;
    if (host === entryHost || host.endsWith(`.${entryHost}`)) return true;
  }
  return false;
}

function envProxy(protocol: string): string | undefined {
  const env = process.env;
  const httpProxy = env.http_proxy ?? env.HTTP_PROXY;
  if (protocol === 'https:') return env.https_proxy ?? env.HTTPS_PROXY ?? httpProxy;
  return httpProxy;
}

export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const extraCa = options.caFile ? readCaBundle(options.caFile) : [];
  const ca = extraCa.length ? [...tls.rootCertificates, ...extraCa] : undefined;
  const tlsOptions = { timeout: connectTimeoutMs, ...(ca ? { ca } : {}) };
  const common = { headersTimeout: overallTimeoutMs, bodyTimeout: overallTimeoutMs, connectTimeout: connectTimeoutMs };

  const { proxy } = options;
  if (proxy && proxy !== 'env') {
    let parsed: URL;
    try {
      parsed = new URL(proxy.url);
    } catch {
      throw new HttpClientConfigError('proxy-url', 'The proxy address is not a URL. Enter it as http://proxy.example.com:3128.');
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new HttpClientConfigError('proxy-url', `The proxy must be an http:// or https:// URL, not ${parsed.protocol}//.`);
    }
  }

  let dispatcher: Dispatcher;
  let proxyFor: (url: URL) => string | null;
  if (proxy === undefined) {
    dispatcher = new Agent({ ...common, connect: tlsOptions });
    proxyFor = () => null;
  } else if (proxy === 'env') {
    // Reads the variables now, NO_PROXY again on every request (undici).
    dispatcher = new EnvHttpProxyAgent({ ...common, connect: tlsOptions, requestTls: tlsOptions, proxyTls: tlsOptions });
    proxyFor = (url) => {
      const chosen = envProxy(url.protocol);
      if (!chosen) return null;
      const noProxy = process.env.no_proxy ?? process.env.NO_PROXY ?? '';
      return bypassesProxy(noProxy, url.hostname, Number(url.port) || defaultPorts[url.protocol] || 0) ? null : chosen;
    };
  } else {
    // An explicit proxy: undici's routing with our values, never the environment's.
    const noProxy = proxy.noProxy ?? '';
    dispatcher = new EnvHttpProxyAgent({ ...common, httpProxy: proxy.url, httpsProxy: proxy.url, noProxy, connect: tlsOptions, requestTls: tlsOptions, proxyTls: tlsOptions });
    proxyFor = (url) => (bypassesProxy(noProxy, url.hostname, Number(url.port) || defaultPorts[url.protocol] || 0) ? null : proxy.url);
  }

  const client: HttpClient = {
    dispatcher,
    extraCa,
    proxyFor(url) {
      const found = proxyFor(typeof url === 'string' ? new URL(url) : url);
      return found === null ? null : redactProxy(found);
    },
    close: () => dispatcher.close(),
  };
  rawProxies.set(client, proxyFor);
  return client;
}

/** The proxy with its credentials, kept out of the client's visible API: only the certificate diagnosis needs it. */
const rawProxies = new WeakMap<HttpClient, (url: URL) => string | null>();

export type NetworkErrorKind =
  | 'dns'
  | 'refused'
  | 'reset'
  | 'timeout'
  | 'tls-untrusted'
  | 'tls-expired'
  | 'tls-hostname'
  | 'tls'
  | 'proxy-failed'
  | 'too-large'
  | 'other';

export interface CertificateInfo {
  readonly subject: string;
  readonly issuer: string;
  readonly fingerprint256: string;
  readonly validTo: string;
  readonly selfSigned: boolean;
}

export interface NetworkError {
  readonly ok: false;
  readonly kind: NetworkErrorKind;
  /** What failed, in a sentence naming the host (and the proxy, the certificate) and what to do. */
  readonly message: string;
  /** The low-level code (ECONNREFUSED, DEPTH_ZERO_SELF_SIGNED_CERT, …). */
  readonly code: string | null;
  /** The proxy used (without credentials), or null. */
  readonly proxy: string | null;
  /** For TLS errors: the certificate the server presented, when it could be read. */
  readonly certificate: CertificateInfo | null;
}

export interface HttpAnswer {
  readonly ok: true;
  readonly status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  header(name: string): string | null;
  /** The body as text (empty for HEAD), cut at maxBodyBytes. */
  readonly text: string;
  /** The body parsed as JSON when it is JSON, else undefined. Validate it with a schema before use. */
  readonly json: unknown;
  /** True when the Content-Type says HTML. */
  readonly html: boolean;
  /** For 3xx answers: where it redirects to (absolute), not followed. */
  readonly location: string | null;
}

export type ProbeOutcome = HttpAnswer | NetworkError;

export interface ProbeRequest {
  readonly method: 'GET' | 'HEAD' | 'POST';
  readonly url: string;
  /** POST only: a form body (application/x-www-form-urlencoded), as OAuth token endpoints take it. */
  readonly form?: Readonly<Record<string, string>>;
  readonly accept?: string;
  /**
   * A user's token check (PRODUCT A3): the Authorization header to send, or
   * custom header name and value (GitLab's PRIVATE-TOKEN). Nothing here logs
   * or names headers in messages, so the token goes only to the provider.
   */
  readonly credential?: { readonly header: string; readonly value: string };
  /** Aborts the request (a cancelled job). */
  readonly signal?: AbortSignal;
}

const untrustedCodes = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);
const expiredCodes = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
const timeoutCodes = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT', 'ABORT_ERR']);

function errorCode(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET') return code;
    current = (current as { cause?: unknown }).cause;
  }
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : null;
}

function errorName(error: unknown): string {
  return (error as { name?: unknown } | null)?.name === 'TimeoutError' || (error as { name?: unknown } | null)?.name === 'AbortError' ? 'timeout' : '';
}

function describeName(fields: unknown): string {
  if (!fields || typeof fields !== 'object') return 'unknown';
  const order = ['CN', 'O', 'OU', 'L', 'ST', 'C'];
  const rank = (key: string) => (order.includes(key) ? order.indexOf(key) : order.length);
  const entries = Object.entries(fields as Record<string, unknown>)
    .filter(([, value]) => typeof value === 'string' || Array.isArray(value))
    .sort(([a], [b]) => rank(a) - rank(b));
  return entries.map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : String(value)}`).join(', ') || 'unknown';
}

/** Connects once more without verifying, only to read the certificate the server presents (through the same proxy). */
async function presentedCertificate(url: URL, proxyUrl: string | null): Promise<CertificateInfo | null> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port) || 443;
  const servername = net.isIP(host) === 0 ? host : undefined;
  const deadline = AbortSignal.timeout(5_000);

  const tunnel = async (): Promise<net.Socket | undefined> => {
    if (proxyUrl === null) return undefined;
    const proxy = new URL(proxyUrl);
    if (proxy.protocol !== 'http:') throw new Error('only http proxies are tunnelled for the diagnosis');
    const headers: Record<string, string> = { host: `${host}:${port}` };
    if (proxy.username) headers['proxy-authorization'] = `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}`;
    return new Promise<net.Socket>((resolve, reject) => {
      const connect = http.request({ host: proxy.hostname, port: Number(proxy.port) || 80, method: 'CONNECT', path: `${host}:${port}`, headers, signal: deadline });
      connect.once('connect', (response, socket) => {
        if (response.statusCode === 200) resolve(socket);
        else {
          socket.destroy();
          reject(new Error(`proxy answered ${response.statusCode}`));
        }
      });
      connect.once('error', reject);
      connect.end();
    });
  };

  try {
    const socket = await tunnel();
    return await new Promise<CertificateInfo | null>((resolve) => {
      const secure = tls.connect({ host, port, servername, socket, rejectUnauthorized: false, signal: deadline } as tls.ConnectionOptions);
      secure.once('secureConnect', () => {
        const certificate = secure.getPeerCertificate();
        secure.destroy();
        if (!certificate || Object.keys(certificate).length === 0) return resolve(null);
        const subject = describeName(certificate.subject);
        const issuer = describeName(certificate.issuer);
        resolve({ subject, issuer, fingerprint256: certificate.fingerprint256, validTo: certificate.valid_to, selfSigned: subject === issuer });
      });
      secure.once('error', () => resolve(null));
      secure.once('close', () => resolve(null));
    });
  } catch {
    return null;
  }
}

async function classify(error: unknown, url: URL, client: HttpClient): Promise<NetworkError> {
  const target = url.host;
  const proxy = client.proxyFor(url);
  const code = errorCode(error);
  const text = error instanceof Error ? error.message : String(error);
  const via = proxy ? ` through the proxy ${proxy}` : '';
  const fail = (kind: NetworkErrorKind, message: string, certificate: CertificateInfo | null = null): NetworkError => ({
    ok: false,
    kind,
    message,
    code,
    proxy,
    certificate,
  });

  if (/Proxy response \((\d+)\)/.test(text)) {
    const status = /Proxy response \((\d+)\)/.exec(text)?.[1] ?? '?';
    const hint = status === '407' ? ' The proxy wants credentials: put them in the proxy URL (http://user:password@proxy:port).' : ' Check that the proxy allows connections to this host, or add the host to NO_PROXY.';
    return fail('proxy-failed', `The proxy ${proxy ?? ''} refused to connect to ${target} (it answered ${status}).${hint}`);
  }
  if (proxy && (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH')) {
    return fail('proxy-failed', `The proxy ${proxy} cannot be reached (${code}). Check the proxy address (HTTPS_PROXY or the runner’s proxy setting), or add ${url.hostname} to NO_PROXY if it must be reached directly.`);
  }
  if (code && (untrustedCodes.has(code) || expiredCodes.has(code) || code === 'ERR_TLS_CERT_ALTNAME_INVALID')) {
    const certificate = await presentedCertificate(url, rawProxies.get(client)?.(url) ?? null);
    const named = certificate
      ? `: it presented a certificate for ${certificate.subject}, issued by ${certificate.issuer}${certificate.selfSigned ? ' (self-signed)' : ''}, SHA-256 fingerprint ${certificate.fingerprint256}, valid until ${certificate.validTo}`
      : '';
    if (expiredCodes.has(code)) {
      return fail('tls-expired', `The certificate of ${target} is not valid now (${code})${named}. The server’s certificate must be renewed, or the runner’s clock is wrong.`, certificate);
    }
    if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
      return fail('tls-hostname', `The certificate of ${target} is not for ${url.hostname}${named}. Check the host name: enter the name the certificate is made for.`, certificate);
    }
    const intercept = proxy ? ` If the proxy ${proxy} inspects TLS, add the proxy’s CA.` : '';
    const bundle = client.extraCa.length ? ' The configured CA bundle does not include its issuer: add it.' : ' Add the CA that issued it (PEM) to the runner’s CA bundle setting.';
    return fail('tls-untrusted', `${target} is not trusted: its certificate is not signed by a known CA (${code})${named}.${bundle}${intercept}`, certificate);
  }
  if (code?.startsWith('ERR_SSL_') || code?.startsWith('ERR_TLS_') || /ssl|tls/i.test(code ?? '')) {
    return fail('tls', `The TLS handshake with ${target}${via} failed (${code}). Check that ${target} serves HTTPS on this port.`);
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') {
    return fail('dns', `The name ${url.hostname} cannot be resolved (${code}). Check the host name, or the runner’s DNS; if it is only reachable through a proxy, set HTTPS_PROXY.`);
  }
  if (code === 'ECONNREFUSED') {
    return fail('refused', `${target} refused the connection (ECONNREFUSED): nothing listens there. Check the host and port, and that the server is running.`);
  }
  if ((code && timeoutCodes.has(code)) || errorName(error) === 'timeout') {
    return fail('timeout', `${target} did not answer in time${via}. Check that the runner can reach it (firewall, proxy: HTTPS_PROXY / NO_PROXY).`);
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || /other side closed|socket hang up|disconnected/i.test(text)) {
    return fail('reset', `${target} closed the connection${via} before answering (${code ?? 'reset'}). The server may be down, or a firewall or proxy may be cutting the connection.`);
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return fail('refused', `${target} cannot be reached from this runner (${code}). Check the network route, or set a proxy.`);
  }
  return fail('other', `The request to ${target}${via} failed (${code ?? text}).`);
}

/**
 * One request, unauthenticated unless `credential` is given: the answer (any status; redirects not
 * followed), or a typed network error. Never throws for network problems.
 */
export async function probe(client: HttpClient, req: ProbeRequest): Promise<ProbeOutcome> {
  const url = new URL(req.url);
  const signal = req.signal ? AbortSignal.any([req.signal, AbortSignal.timeout(overallTimeoutMs)]) : AbortSignal.timeout(overallTimeoutMs);
  const body = req.form === undefined ? undefined : new URLSearchParams(req.form).toString();
  try {
    const response = await request(url, {
      method: req.method,
      dispatcher: client.dispatcher,
      headers: {
        accept: req.accept ?? 'application/json',
        'user-agent': 'Paddock-runner (provider validation)',
        ...(body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
        ...(req.credential ? { [req.credential.header.toLowerCase()]: req.credential.value } : {}),
      },
      ...(body === undefined ? {} : { body }),
      signal,
    });
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (value === undefined) continue;
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
      size += buffer.length;
      if (size > maxBodyBytes) {
        response.body.destroy();
        return { ok: false, kind: 'too-large', message: `${url.host} sent more than ${maxBodyBytes} bytes for ${url.pathname}: not the answer expected.`, code: null, proxy: client.proxyFor(url), certificate: null };
      }
      chunks.push(buffer);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    const type = headers['content-type'] ?? '';
    let json: unknown = undefined;
    if (text !== '' && (/json/i.test(type) || /^\s*[{[]/.test(text))) {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    let location: string | null = null;
    if (response.statusCode >= 300 && response.statusCode < 400 && headers.location) {
      try {
        location = new URL(headers.location, url).href;
      } catch {
        location = headers.location;
      }
    }
    return {
      ok: true,
      status: response.statusCode,
      headers,
      header: (name) => headers[name.toLowerCase()] ?? null,
      text,
      json,
      html: /html/i.test(type),
      location,
    };
  } catch (error) {
    return classify(error, url, client);
  }
}

/** A GET for JSON: the answer, with `json` set when the body is JSON. */
export function fetchJson(client: HttpClient, url: string): Promise<ProbeOutcome> {
  return probe(client, { method: 'GET', url, accept: 'application/json' });
}
