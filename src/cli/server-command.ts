import type { Command } from 'commander';
import { setMaxListeners } from 'node:events';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { issueLeafCert } from '../apiserver/auth/pki-certs.ts';
import { startApiServer } from '../apiserver/api-server.ts';
import { KubeClient } from '../client/kube-client.ts';
import { ALL_CONTROLLERS } from '../controllers/all-controllers.ts';
import { runControllerManager } from '../controllers/controller-manager.ts';
import { createRootCaPublisherController } from '../controllers/root-ca-publisher/root-ca-publisher-controller.ts';
import { DirectoryProvisioner } from '../controllers/volume-binder/directory-provisioner.ts';
import { createVolumeBinderController } from '../controllers/volume-binder/volume-binder-controller.ts';
import { createServiceLbController } from '../controllers/service-lb/service-lb-controller.ts';
import { runScheduler } from '../scheduler/scheduler.ts';
import { createSchedulerMetrics } from '../scheduler/scheduler-metrics.ts';
import { createWorkQueueMetrics } from '../controller/workqueue-metrics.ts';
import { formatIpv4, parseCidr } from '../node/network/ipv4.ts';
import { defaultPodCidr, startNodeAgent, type RunningNodeAgent } from './agent-command.ts';

interface ServerFlags {
  dataDir: string;
  port: string;
  store?: string;
  disableAgent?: boolean;
  disableControllers?: boolean;
  serviceCidr: string;
  nodeName: string;
  podCidr?: string;
  clusterCidr: string;
  lbPool: string;
  nodeIp: string;
  listenAddress?: string;
  cleanupOnExit?: boolean;
}

/** `minato server`: a Kubernetes control plane in the foreground, until SIGINT/SIGTERM. */
export function registerServerCommand(program: Command): void {
  program
    .command('server')
    .description('Run a Kubernetes-compatible control plane (API server, store, controllers) on 127.0.0.1')
    .option('--data-dir <dir>', 'where state, certificates and admin.kubeconfig live', '.minato/server')
    .option('--port <n>', 'HTTPS port (0 picks a free one)', '6443')
    .option('--store <url>', 'sqlite://FILE (default, inside the data dir) or etcd://HOST:PORT')
    .option('--service-cidr <cidr>', 'range for Service ClusterIPs', '10.96.0.0/16')
    .option('--disable-controllers', 'run only the API server (no controllers or scheduler)')
    .option('--disable-agent', 'do not run the node agent in this process')
    .option('--node-name <name>', 'name of the in-process node', os.hostname())
    .option('--pod-cidr <cidr>', 'the in-process node\'s pod subnet (default: a /24 of --cluster-cidr from the node name)')
    .option('--cluster-cidr <cidr>', 'all pods of the cluster', '10.244.0.0/16')
    .option('--node-ip <ip>', 'the in-process node\'s InternalIP: the address other nodes route its pod subnet through and its kubelet API listens on', '127.0.0.1')
    .option('--listen-address <ips>', 'comma-separated addresses the API server listens on besides 127.0.0.1 (same port; added to the serving certificate), for agents on other machines')
    .option('--lb-pool <cidr>', 'addresses for LoadBalancer Services (loopback: reachable from this host only)', '127.240.0.0/16')
    .option('--cleanup-on-exit', 'on stop, remove the node\'s pods, networks and Service rules (default: pods keep running and Services keep answering; cluster DNS is down until the next start, which adopts them)')
    .action(async (flags: ServerFlags) => {
      const dataDir = resolve(flags.dataDir);
      const log = (msg: string, fields?: Record<string, unknown>) => process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), msg, ...fields })}\n`);
      // Fixed before the API server starts: it advertises the pod bridge's gateway as the `kubernetes` endpoint.
      const podCidr = flags.podCidr ?? defaultPodCidr(flags.nodeName);
      const gateway = flags.disableAgent ? undefined : formatIpv4(parseCidr(podCidr).base + 1);
      const listenAddresses = (flags.listenAddress ?? '').split(',').filter(Boolean);
      const server = await startApiServer({ dataDir, port: Number(flags.port), storeUrl: flags.store, services: { serviceCidr: flags.serviceCidr }, advertiseAddress: gateway, listenAddresses, log });
      const stopping = new AbortController();
      setMaxListeners(0, stopping.signal); // one listener per controller, informer and watch
      const components: Promise<void>[] = [];
      let client: KubeClient | undefined;
      if (!flags.disableControllers) {
        const cert = await server.pki.issueClientCert('system:kube-controller-manager', ['system:masters']);
        client = new KubeClient({ server: server.url, ca: Buffer.from(server.pki.ca.cert), cert: Buffer.from(cert.cert), key: Buffer.from(cert.key) }, 'minato-controller-manager');
        // The embedded local provisioner backs the default StorageClass `standard` with directories in the data dir.
        const provisioner = new DirectoryProvisioner({ root: join(dataDir, 'volumes') });
        type Ctx = Parameters<typeof createVolumeBinderController>[0];
        const controllers = {
          ...ALL_CONTROLLERS,
          volumebinder: (ctx: Ctx) => createVolumeBinderController(ctx, { provisioners: [provisioner] }),
          servicelb: (ctx: Ctx) => createServiceLbController(ctx, { pool: flags.lbPool }),
          'root-ca-cert-publisher': (ctx: Ctx) => createRootCaPublisherController(ctx, server.pki.ca.cert),
        };
        // Controllers and scheduler report on the API server's registry: one scrape of /metrics covers the process.
        const queueMetrics = createWorkQueueMetrics(server.metricsRegistry);
        components.push(runControllerManager({ client, log, controllers, queueMetrics }, stopping.signal).catch((err: unknown) => void log('controller manager stopped', { err: String(err) })));
        components.push(runScheduler({ client, log, metrics: createSchedulerMetrics(server.metricsRegistry) }, stopping.signal).catch((err: unknown) => void log('scheduler stopped', { err: String(err) })));
      }
      let agent: RunningNodeAgent | undefined;
      let agentClient: KubeClient | undefined;
      if (!flags.disableAgent) {
        const pki = server.pki;
        const cred = await pki.issueClientCert(`system:node:${flags.nodeName}`, ['system:nodes', 'system:masters']);
        agentClient = new KubeClient({ server: server.url, ca: Buffer.from(pki.ca.cert), cert: Buffer.from(cred.cert), key: Buffer.from(cred.key) }, 'minato-agent');
        const serving = await issueLeafCert(pki.ca, { commonName: flags.nodeName, usage: 'server', hosts: [...new Set(['127.0.0.1', 'localhost', flags.nodeName, flags.nodeIp])], now: new Date(), validDays: 365 });
        agent = startNodeAgent({
          client: agentClient, nodeName: flags.nodeName, dataDir: join(dataDir, 'agent'), log, caCert: pki.ca.cert,
          podCidr, clusterCidr: flags.clusterCidr, clusterDns: 'node', nodeIP: flags.nodeIp,
          serving: { cert: serving.cert, key: serving.key, ca: pki.ca.cert }, kubeletPort: 0,
        });
        await agent.ready;
        // The bridge has the gateway address now: pods reach the API server there (and through 10.96.0.1).
        if (gateway) await server.listenAlso(gateway);
      }
      process.stdout.write(`Minato API server is ready at ${server.url}\n`);
      process.stdout.write(`  kubeconfig: ${server.kubeconfigPath}\n`);
      process.stdout.write(`  try:        kubectl --kubeconfig ${server.kubeconfigPath} get namespaces\n`);
      if (!flags.disableAgent) process.stdout.write(`  node:       ${flags.nodeName} (runc containers; data in ${join(dataDir, 'agent')})\n`);
      const stop = async (signal: string) => {
        log('shutting down', { signal });
        stopping.abort();
        // The agent first, while the API server still answers (it finishes its status writes).
        await agent?.stop({ cleanup: flags.cleanupOnExit === true }).catch((err: unknown) => log('node agent stop failed', { err: String(err) }));
        agentClient?.close();
        await Promise.race([Promise.all(components), new Promise((r) => setTimeout(r, 5000))]);
        client?.close();
        await server.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop('SIGINT'));
      process.once('SIGTERM', () => void stop('SIGTERM'));
    });
}
