import { X509Certificate } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCaCert, generateKeyPairPem, hasSubjectAltNames, issueLeafCert, type CertAndKey } from './pki-certs.ts';
import { SYSTEM_MASTERS } from './user-info.ts';

/** The cluster's key material, as PEM strings, plus a way to mint more client certificates. */
export interface Pki {
  dir: string;
  ca: CertAndKey;
  /** Serving certificate for the API server (SANs: loopback, `kubernetes.*` names, the configured hosts). */
  server: CertAndKey;
  /** CN=admin, O=system:masters. */
  admin: CertAndKey;
  /** Signs and verifies service-account tokens. */
  serviceAccount: { privateKey: string; publicKey: string };
  /** Issues a client certificate: CN becomes the username, each group an O entry. */
  issueClientCert(commonName: string, groups: string[]): Promise<CertAndKey>;
}

export interface PkiOptions {
  /** Extra IPs and DNS names for the serving certificate. */
  hosts: string[];
  now?: () => Date;
}

/** Names every in-cluster client may use for the API server, as kube-apiserver's serving cert lists them. */
const BUILTIN_HOSTS = ['127.0.0.1', 'localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'];
const CA_DAYS = 3650;
const LEAF_DAYS = 365;
/** Leaf certificates this close to expiry are re-issued at start-up. */
const RENEW_BEFORE_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Loads the PKI from `dir`, creating what is missing: a CA, the serving and admin certificates and the
 * service-account key pair. Certificates are re-issued when they were not signed by the current CA, are
 * close to expiry or (serving cert) list other hosts. Keys are written with mode 0600.
 */
export async function ensurePki(dir: string, options: PkiOptions): Promise<Pki> {
  const now = options.now ?? (() => new Date());
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const files = pkiFiles(dir);
  const ca = await ensureCa(files, now());
  const hosts = [...new Set([...BUILTIN_HOSTS, ...options.hosts])];
  const server = await ensureLeaf(files, 'server', ca, now(), (cert) => hasSubjectAltNames(cert, hosts), () =>
    issueLeafCert(ca, { commonName: 'kube-apiserver', usage: 'server', hosts, now: now(), validDays: LEAF_DAYS }),
  );
  const admin = await ensureLeaf(files, 'admin', ca, now(), () => true, () =>
    issueLeafCert(ca, { commonName: 'admin', organizations: [SYSTEM_MASTERS], usage: 'client', now: now(), validDays: LEAF_DAYS }),
  );
  const serviceAccount = await ensureServiceAccountKeys(files);
  return {
    dir,
    ca,
    server,
    admin,
    serviceAccount,
    issueClientCert: (commonName, groups) =>
      issueLeafCert(ca, { commonName, organizations: groups, usage: 'client', now: now(), validDays: LEAF_DAYS }),
  };
}

interface PkiFiles {
  read(name: string): Promise<string | undefined>;
  writeKey(name: string, pem: string): Promise<void>;
  writeCert(name: string, pem: string): Promise<void>;
}

function pkiFiles(dir: string): PkiFiles {
  const write = async (name: string, pem: string, mode: number): Promise<void> => {
    await writeFile(join(dir, name), pem, { mode });
    await chmod(join(dir, name), mode); // writeFile keeps the mode of a file that already existed
  };
  return {
    read: async (name) => readFile(join(dir, name), 'utf8').catch((err: unknown) => {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }),
    writeKey: (name, pem) => write(name, pem, 0o600),
    writeCert: (name, pem) => write(name, pem, 0o644),
  };
}

async function ensureCa(files: PkiFiles, now: Date): Promise<CertAndKey> {
  const [cert, key] = await Promise.all([files.read('ca.crt'), files.read('ca.key')]);
  if (cert && key) return { cert, key };
  const keys = generateKeyPairPem();
  const created = { cert: await createCaCert('minato-ca', keys, now, CA_DAYS), key: keys.privateKey };
  await files.writeKey('ca.key', created.key);
  await files.writeCert('ca.crt', created.cert);
  return created;
}

async function ensureLeaf(
  files: PkiFiles,
  name: string,
  ca: CertAndKey,
  now: Date,
  stillFits: (cert: string) => boolean,
  issue: () => Promise<CertAndKey>,
): Promise<CertAndKey> {
  const [cert, key] = await Promise.all([files.read(`${name}.crt`), files.read(`${name}.key`)]);
  if (cert && key && isCurrent(cert, ca.cert, now) && stillFits(cert)) return { cert, key };
  const issued = await issue();
  await files.writeKey(`${name}.key`, issued.key);
  await files.writeCert(`${name}.crt`, issued.cert);
  return issued;
}

/** Signed by this CA and not about to expire. */
function isCurrent(certPem: string, caPem: string, now: Date): boolean {
  const cert = new X509Certificate(certPem);
  const ca = new X509Certificate(caPem);
  return cert.checkIssued(ca) && cert.verify(ca.publicKey) && new Date(cert.validTo).getTime() - now.getTime() > RENEW_BEFORE_MS;
}

async function ensureServiceAccountKeys(files: PkiFiles): Promise<{ privateKey: string; publicKey: string }> {
  const [privateKey, publicKey] = await Promise.all([files.read('sa.key'), files.read('sa.pub')]);
  if (privateKey && publicKey) return { privateKey, publicKey };
  const keys = generateKeyPairPem();
  await files.writeKey('sa.key', keys.privateKey);
  await files.writeCert('sa.pub', keys.publicKey);
  return keys;
}
