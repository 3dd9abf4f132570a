import 'reflect-metadata';
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, webcrypto, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import * as x509 from '@peculiar/x509';
import { writeFileAtomic } from './files';

// @peculiar/x509 takes a WebCrypto; Node's is one (typed differently from the DOM's).
x509.cryptoProvider.set(webcrypto as never);

export interface TlsMaterial {
  cert: string;
  key: string;
  /** `sha256/<base64>` of the certificate's SubjectPublicKeyInfo: what the app pins. */
  spki: string;
}

/** The pin of a public key: SHA-256 of its DER SubjectPublicKeyInfo, base64. */
export function spkiFingerprint(spkiDer: Uint8Array): string {
  return `sha256/${createHash('sha256').update(spkiDer).digest('base64')}`;
}

export function spkiOfCertificate(certPem: string): string {
  return spkiFingerprint(new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' }));
}

const tlsKeyPath = (dataDir: string) => path.join(dataDir, 'tls', 'key.pem');

/**
 * The runner's own TLS key (ECDSA P-256), made once. The fingerprint depends
 * on the key only, so the self-signed certificate can be remade (new names,
 * renewal) without breaking workstations' pins.
 */
export function loadOrCreateTlsKey(dataDir: string): string {
  const file = tlsKeyPath(dataDir);
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8');
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  writeFileAtomic(file, pem);
  return pem;
}

/** The pin of the runner's TLS key, without a certificate (for `registration create`). */
export function spkiOfPrivateKey(keyPem: string): string {
  return spkiFingerprint(createPublicKey(createPrivateKey(keyPem)).export({ type: 'spki', format: 'der' }));
}

/** A self-signed certificate for `names` (DNS names and IP addresses) over the runner's TLS key. */
export async function selfSignedCertificate(keyPem: string, names: string[]): Promise<string> {
  const pkcs8 = createPrivateKey(keyPem).export({ type: 'pkcs8', format: 'der' });
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const privateKey = await webcrypto.subtle.importKey('pkcs8', pkcs8, algorithm, true, ['sign']);
  const jwk = await webcrypto.subtle.exportKey('jwk', privateKey);
  delete jwk.d;
  const publicKey = await webcrypto.subtle.importKey('jwk', { ...jwk, key_ops: ['verify'] }, algorithm, true, ['verify']);
  const now = Date.now();
  const unique = [...new Set(names)];
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(16))).toString('hex'),
    name: `CN=${unique[0] ?? 'paddock-runner'}`,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 397 * 24 * 3600 * 1000),
    signingAlgorithm: algorithm,
    keys: { privateKey, publicKey } as never,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(unique.map((value) => ({ type: isIP(value) ? ('ip' as const) : ('dns' as const), value }))),
    ],
  });
  return cert.toString('pem');
}

/** TLS material for remote mode: the admin's certificate and key, or a self-signed one. */
export async function loadTlsMaterial(options: { dataDir: string; certFile?: string; keyFile?: string; names: string[] }): Promise<TlsMaterial> {
  if (options.certFile || options.keyFile) {
    if (!options.certFile || !options.keyFile) throw new Error('--tls-cert and --tls-key go together.');
    const cert = fs.readFileSync(options.certFile, 'utf8');
    const key = fs.readFileSync(options.keyFile, 'utf8');
    return { cert, key, spki: spkiOfCertificate(cert) };
  }
  const key = loadOrCreateTlsKey(options.dataDir);
  const cert = await selfSignedCertificate(key, options.names);
  return { cert, key, spki: spkiOfCertificate(cert) };
}
