import 'reflect-metadata';
import { generateKeyPairSync, randomBytes, webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import * as x509 from '@peculiar/x509';

/** A PEM certificate with its PKCS#8 PEM private key. */
export interface CertAndKey {
  cert: string;
  key: string;
}

export interface LeafRequest {
  commonName: string;
  /** Subject O entries; Kubernetes reads them as groups of a client certificate. */
  organizations?: string[];
  usage: 'server' | 'client';
  /** IPs and DNS names (server certificates). */
  hosts?: string[];
  now: Date;
  validDays: number;
}

const EC_IMPORT = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;
/** Tolerates small clock differences between the issuing host and whoever checks notBefore. */
const BACKDATE_MS = 5 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Generates an ECDSA P-256 key pair as PEM (PKCS#8 private, SPKI public). */
export function generateKeyPairPem(): { privateKey: string; publicKey: string } {
  return generateKeyPairSync('ec', {
    namedCurve: 'prime256v1',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
}

/** Creates a self-signed CA certificate for `key` (a PKCS#8 PEM from {@link generateKeyPairPem}). */
export async function createCaCert(commonName: string, keys: { privateKey: string; publicKey: string }, now: Date, validDays: number): Promise<string> {
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: [{ CN: [commonName] }],
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(now.getTime() + validDays * DAY_MS),
    signingAlgorithm: SIGNING,
    keys: { privateKey: await importPrivateKey(keys.privateKey), publicKey: await importPublicKey(keys.publicKey) },
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(await importPublicKey(keys.publicKey)),
    ],
  });
  return cert.toString('pem');
}

/** Issues a leaf certificate (with a fresh key) signed by the CA. */
export async function issueLeafCert(ca: CertAndKey, request: LeafRequest): Promise<CertAndKey> {
  const keys = generateKeyPairPem();
  const caCert = new x509.X509Certificate(ca.cert);
  const publicKey = await importPublicKey(keys.publicKey);
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension([request.usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth]),
    await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey),
    await x509.SubjectKeyIdentifierExtension.create(publicKey),
  ];
  if (request.hosts && request.hosts.length > 0) extensions.push(subjectAltNames(request.hosts));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: [{ CN: [request.commonName] }, ...(request.organizations ?? []).map((o) => ({ O: [o] }))],
    issuer: caCert.subject,
    notBefore: new Date(request.now.getTime() - BACKDATE_MS),
    notAfter: new Date(request.now.getTime() + request.validDays * DAY_MS),
    signingAlgorithm: SIGNING,
    publicKey,
    signingKey: await importPrivateKey(ca.key),
    extensions,
  });
  return { cert: cert.toString('pem'), key: keys.privateKey };
}

/** The SAN extension for a host list; its DER is deterministic, which lets callers compare SAN sets. */
export function subjectAltNames(hosts: string[]): x509.SubjectAlternativeNameExtension {
  return new x509.SubjectAlternativeNameExtension(hosts.map((value) => ({ type: isIP(value) ? ('ip' as const) : ('dns' as const), value })));
}

/** True when the certificate's SAN extension lists exactly `hosts` (same order, as we always sort them). */
export function hasSubjectAltNames(certPem: string, hosts: string[]): boolean {
  const existing = new x509.X509Certificate(certPem).getExtension(x509.SubjectAlternativeNameExtension);
  if (!existing) return false;
  return Buffer.from(existing.value).equals(Buffer.from(subjectAltNames(hosts).value));
}

async function importPrivateKey(pem: string): Promise<webcrypto.CryptoKey> {
  return webcrypto.subtle.importKey('pkcs8', pemBody(pem), EC_IMPORT, true, ['sign']);
}

async function importPublicKey(pem: string): Promise<webcrypto.CryptoKey> {
  return webcrypto.subtle.importKey('spki', pemBody(pem), EC_IMPORT, true, ['verify']);
}

function pemBody(pem: string): Buffer {
  return Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
}

/** 16 random bytes with the top bit clear, so the DER INTEGER stays positive as RFC 5280 requires. */
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString('hex');
}
