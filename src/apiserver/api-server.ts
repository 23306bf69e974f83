import 'reflect-metadata';
import { setMaxListeners } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import type { Duplex } from 'node:stream';
import { join } from 'node:path';
import type { CustomResourceDefinition } from 'kubernetes-types/apiextensions/v1.js';
import type { Registry } from 'prom-client';
import type { ResourceDefinition } from '../api/resource-definition.ts';
import { loadBuiltinDefinitions } from '../api/schema/builtin-schemas.ts';
import { createSchemaSet } from '../api/schema/schema-set.ts';
import type { KubeObject } from '../api/types.ts';
import { openStore } from '../storage/open-store.ts';
import type { Store } from '../storage/types.ts';
import { createSerializer, type ApiContext } from './api-context.ts';
import { createEvictionCheck } from './admission/eviction-check.ts';
import { createAuthenticator } from './auth/authenticator.ts';
import { renderKubeconfig } from './auth/kubeconfig.ts';
import { ensurePki, type Pki } from './auth/pki.ts';
import { createRbacAuthorizer } from './auth/rbac-authorizer.ts';
import { createServiceAccountTokens } from './auth/service-account-tokens.ts';
import { bootstrapObjects, kubernetesEndpoints } from './bootstrap.ts';
import { establishCrds } from './crd-controller.ts';
import { buildCatalogState, customSchemaOf, printerOf, scalePathsOf, type CatalogState } from './registry/catalog-state.ts';
import { ObjectCache } from './registry/object-cache.ts';
import { ObjectStore } from './registry/object-store.ts';
import { createRequestHandler } from './request-handler.ts';
import { createKubeletClient, type AgentCredentials } from './kubelet/kubelet-client.ts';
import { createMetricsApi } from './metrics/metrics-api.ts';
import { createApiServerMetrics } from './metrics/apiserver-metrics.ts';
import { createUpgradeHandler } from './upgrade-handler.ts';
import { createOpenApiCache } from './openapi/openapi-cache.ts';
import { createObject, modifyObject } from './handlers/object-writes.ts';
import type { WriteOptions } from './handlers/write-options.ts';
import { isStatusError } from './status-error.ts';
import { storeRbacSource } from './auth/store-rbac-source.ts';
import { firstServiceIp, type ServiceNetworkConfig } from './lifecycle/service-allocator.ts';

export interface ApiServerConfig {
  dataDir: string;
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /**
   * The address the `kubernetes` Service's endpoints point at (default `host`). Pods cannot reach
   * 127.0.0.1 of the host, so a node on this host advertises its pod bridge's gateway and calls
   * {@link RunningApiServer.listenAlso} with it once the bridge has that address.
   */
  advertiseAddress?: string;
  /**
   * More addresses to accept connections on from the start (same port), e.g. the machine's address
   * that agents on other machines dial. Each is also a SAN of the serving certificate.
   */
  listenAddresses?: string[];
  /** `sqlite://…` (default `sqlite://state.db` in dataDir), `etcd://host:port`, `memory://`. */
  storeUrl?: string;
  services?: Partial<ServiceNetworkConfig>;
  bookmarkIntervalMs?: number;
  /** How often to compact the store's history (default 5 minutes, as kube-apiserver). */
  compactionIntervalMs?: number;
  /** Revisions of history kept for watches to resume from (default 1000). */
  compactionRetain?: number;
  now?: () => Date;
  log?: (msg: string, fields?: Record<string, unknown>) => void;
}

export interface RunningApiServer {
  url: string;
  port: number;
  kubeconfigPath: string;
  pki: Pki;
  ctx: ApiContext;
  /** This server's Prometheus registry (served on /metrics); in-process components may register on it. */
  metricsRegistry: Registry;
  /** Also accepts connections on `address` (same port, same TLS server); closed with the server. */
  listenAlso(address: string): Promise<void>;
  close(): Promise<void>;
}

/** Resources admission or authorization read on every request, kept in memory. */
const CACHED_RESOURCES: Array<[string, string]> = [
  ['', 'namespaces'],
  ['', 'resourcequotas'],
  ['', 'limitranges'],
  ['scheduling.k8s.io', 'priorityclasses'],
  ['rbac.authorization.k8s.io', 'clusterroles'],
  ['rbac.authorization.k8s.io', 'clusterrolebindings'],
  ['rbac.authorization.k8s.io', 'roles'],
  ['rbac.authorization.k8s.io', 'rolebindings'],
];

const CRD_PLURAL = { group: 'apiextensions.k8s.io', version: 'v1', plural: 'customresourcedefinitions' };

/** Starts a Kubernetes-compatible API server over HTTPS on loopback and writes `admin.kubeconfig`. */
export async function startApiServer(cfg: ApiServerConfig): Promise<RunningApiServer> {
  const host = cfg.host ?? '127.0.0.1';
  const log = cfg.log ?? (() => undefined);
  await mkdir(cfg.dataDir, { recursive: true });
  const serviceCidr = cfg.services?.serviceCidr ?? '10.96.0.0/16';
  const advertise = cfg.advertiseAddress ?? host;
  // In-cluster clients dial the `kubernetes` ClusterIP (DNATed to `advertise`), so both are SANs.
  const pki = await ensurePki(join(cfg.dataDir, 'pki'), { hosts: [...new Set([host, advertise, firstServiceIp(serviceCidr), ...(cfg.listenAddresses ?? [])])] });
  const builtinSchemas = createSchemaSet(await loadBuiltinDefinitions());
  let state: CatalogState = buildCatalogState(builtinSchemas, []);
  const shutdown = new AbortController();
  setMaxListeners(0, shutdown.signal); // every open watch and long-running request listens for shutdown
  const prometheus = createApiServerMetrics({ known: (group, version, plural) => !!state.catalog.find(group, version, plural) });
  const store: Store = prometheus.instrumentStore(await openStore(cfg.storeUrl ?? '', { dataDir: cfg.dataDir }), shutdown.signal);
  const objects = new ObjectStore(store);
  const services: ServiceNetworkConfig = { serviceCidr, nodePortRange: cfg.services?.nodePortRange ?? { min: 30000, max: 32767 } };

  const refreshCatalog = async () => {
    const crdResource = state.catalog.find(CRD_PLURAL.group, CRD_PLURAL.version, CRD_PLURAL.plural) as ResourceDefinition;
    const crds = (await objects.list(crdResource, {})).items as unknown as CustomResourceDefinition[];
    state = buildCatalogState(builtinSchemas, crds);
    openapi.invalidate();
  };
  let refreshing = Promise.resolve();
  const caches = new Map<string, ObjectCache>();
  for (const [group, plural] of CACHED_RESOURCES) {
    const r = state.catalog.find(group, 'v1', plural);
    if (r) caches.set(`${group}/${plural}`, new ObjectCache(r));
  }
  await Promise.all([...caches.values()].map((c) => c.start(objects, shutdown.signal, (err) => log('cache watch failed', { resource: c.resource.plural, err: String(err) }))));
  const ctx: ApiContext = {
    catalog: () => state.catalog,
    schemas: () => state.schemas,
    customSchema: (r) => customSchemaOf(state, r),
    scalePaths: (r) => scalePathsOf(state, r),
    objects,
    now: cfg.now ?? (() => new Date()),
    services,
    serialize: createSerializer(),
    cache: (group, plural) => caches.get(`${group}/${plural}`),
    watchEventSent: (r) => prometheus.watchEventSent(r),
    afterWrite(r, obj, deleted) {
      caches.get(`${r.group}/${r.plural}`)?.apply(obj, deleted);
      if (r.group === CRD_PLURAL.group && r.plural === CRD_PLURAL.plural) {
        refreshing = refreshing.then(() => establishCrds(ctx)).then(refreshCatalog).catch((err: unknown) => log('crd refresh failed', { err: String(err) }));
      }
    },
  };
  ctx.evictionCheck = createEvictionCheck(ctx);
  const openapi = createOpenApiCache(() => state);

  const saTokens = createServiceAccountTokens({ privateKeyPem: pki.serviceAccount.privateKey, publicKeyPem: pki.serviceAccount.publicKey, issuer: 'https://kubernetes.default.svc.cluster.local', now: ctx.now });
  const serviceAccountExists = async (namespace: string, name: string, uid?: string) => {
    const sa = await objects.tryGet(state.catalog.find('', 'v1', 'serviceaccounts') as ResourceDefinition, namespace, name);
    return !!sa && (!uid || sa.metadata?.uid === uid);
  };
  const authenticator = createAuthenticator({ staticTokens: new Map(), serviceAccountTokens: saTokens, serviceAccountExists });
  const authorizer = createRbacAuthorizer(storeRbacSource(ctx));

  // The client certificate the API server presents to node agents, issued once per start.
  let agentCredentials: Promise<AgentCredentials> | undefined;
  const kubelet = createKubeletClient({
    ctx,
    credentials: () => (agentCredentials ??= pki.issueClientCert('kube-apiserver-kubelet-client', ['system:masters']).then((c) => ({ cert: c.cert, key: c.key, ca: pki.ca.cert }))),
  });
  const metrics = createMetricsApi({ ctx, kubelet, log });

  const server: Server = createServer({ key: pki.server.key, cert: pki.server.cert, ca: pki.ca.cert, requestCert: true, rejectUnauthorized: false });
  server.keepAliveTimeout = 65_000;
  server.requestTimeout = 0;
  let ready = false;
  const handler = createRequestHandler({
    ctx,
    state: () => state,
    printer: (r) => printerOf(state, r),
    authenticator,
    authorizer,
    saTokens,
    openapi,
    ready: () => ready,
    serverAddress: () => `${host}:${(server.address() as AddressInfo).port}`,
    signal: shutdown.signal,
    bookmarkIntervalMs: cfg.bookmarkIntervalMs ?? 60_000,
    kubelet,
    metrics,
    prometheus: () => prometheus.expose(),
    log,
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    prometheus.requests.observe(req, res);
    void handler(req, res);
  });
  const upgrade = createUpgradeHandler({ ctx, authenticator, authorizer, kubelet, log });
  const upgraded = new Set<Duplex>(); // detached from the HTTP server, so closed by hand on shutdown
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
    prometheus.requests.observeUpgrade(req, socket);
    void upgrade(req, socket, head);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(cfg.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  await refreshCatalog();
  await bootstrap(ctx, { serviceCidr: services.serviceCidr, apiPort: port, apiAddress: advertise });
  ready = true;

  const compaction = setInterval(() => void compactHistory(store, cfg.compactionRetain ?? 1000).catch((err: unknown) => log('compaction failed', { err: String(err) })), cfg.compactionIntervalMs ?? 300_000);
  compaction.unref();

  const url = `https://${host}:${port}`;
  const kubeconfigPath = join(cfg.dataDir, 'admin.kubeconfig');
  await writeFile(kubeconfigPath, renderKubeconfig({ server: url, caPem: pki.ca.cert, user: { clientCert: pki.admin.cert, clientKey: pki.admin.key } }), { mode: 0o600 });
  log('api server ready', { url, kubeconfig: kubeconfigPath });

  // Extra listeners hand their TCP connections to the one TLS server, so handlers, upgrades and
  // connection tracking stay in one place.
  const extra: TcpServer[] = [];
  const listenAlso = async (address: string): Promise<void> => {
    const tcp = createTcpServer((socket) => server.emit('connection', socket));
    await new Promise<void>((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen(port, address, () => resolve());
    });
    extra.push(tcp);
    log('api server also listening', { address: `${address}:${port}` });
  };
  for (const address of cfg.listenAddresses ?? []) await listenAlso(address);
  return {
    url,
    port,
    kubeconfigPath,
    pki,
    ctx,
    metricsRegistry: prometheus.registry,
    listenAlso,
    async close() {
      clearInterval(compaction);
      shutdown.abort();
      await Promise.all(extra.map((tcp) => new Promise<void>((resolve) => tcp.close(() => resolve()))));
      server.closeAllConnections();
      for (const socket of upgraded) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await refreshing;
      await store.close();
    },
  };
}

/** Drops history older than the newest `retain` revisions, so resumed watches older than that get 410. */
async function compactHistory(store: Store, retain: number): Promise<void> {
  const target = (await store.currentRevision()) - retain;
  if (target > (await store.compactedRevision())) await store.compact(target);
}

/** Creates the bootstrap objects that are missing (a restart finds them in place) and points the `kubernetes` endpoints at this start's address. */
async function bootstrap(ctx: ApiContext, cfg: { serviceCidr: string; apiPort: number; apiAddress: string }): Promise<void> {
  const writeOpts: WriteOptions = { dryRun: false, fieldManager: 'minato-bootstrap', fieldValidation: 'Ignore', force: false, warnings: [] };
  const refreshed = new Map(kubernetesEndpoints(cfg).map((o) => [o.kind ?? '', o]));
  for (const obj of bootstrapObjects(cfg)) {
    const [group, version] = obj.apiVersion?.includes('/') ? (obj.apiVersion.split('/') as [string, string]) : ['', obj.apiVersion ?? 'v1'];
    const r = ctx.catalog().findKind(group, version, obj.kind ?? '');
    if (!r) continue;
    if (await ctx.objects.tryGet(r, obj.metadata?.namespace, obj.metadata?.name ?? '')) {
      const fresh = obj.metadata?.name === 'kubernetes' ? refreshed.get(obj.kind ?? '') : undefined;
      if (fresh) {
        const { subsets, endpoints, ports } = fresh as Record<string, unknown>;
        await modifyObject(ctx, r, 'default', 'kubernetes', (cur) => ({ ...cur, ...(subsets ? { subsets } : { endpoints, ports }) }) as KubeObject, writeOpts);
      }
      continue;
    }
    try {
      await createObject(ctx, r, obj.metadata?.namespace, structuredClone(obj) as KubeObject, writeOpts);
    } catch (err) {
      if (!(isStatusError(err) && err.reason === 'AlreadyExists')) throw err;
    }
  }
}
