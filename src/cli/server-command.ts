import type { Command } from 'commander';
import { join, resolve } from 'node:path';
import { startApiServer } from '../apiserver/api-server.ts';
import { KubeClient } from '../client/kube-client.ts';
import { ALL_CONTROLLERS } from '../controllers/all-controllers.ts';
import { runControllerManager } from '../controllers/controller-manager.ts';
import { DirectoryProvisioner } from '../controllers/volume-binder/directory-provisioner.ts';
import { createVolumeBinderController } from '../controllers/volume-binder/volume-binder-controller.ts';
import { runScheduler } from '../scheduler/scheduler.ts';

interface ServerFlags {
  dataDir: string;
  port: string;
  store?: string;
  disableAgent?: boolean;
  disableControllers?: boolean;
  serviceCidr: string;
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
    .action(async (flags: ServerFlags) => {
      const dataDir = resolve(flags.dataDir);
      const log = (msg: string, fields?: Record<string, unknown>) => process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), msg, ...fields })}\n`);
      const server = await startApiServer({ dataDir, port: Number(flags.port), storeUrl: flags.store, services: { serviceCidr: flags.serviceCidr }, log });
      const stopping = new AbortController();
      const components: Promise<void>[] = [];
      let client: KubeClient | undefined;
      if (!flags.disableControllers) {
        const cert = await server.pki.issueClientCert('system:kube-controller-manager', ['system:masters']);
        client = new KubeClient({ server: server.url, ca: Buffer.from(server.pki.ca.cert), cert: Buffer.from(cert.cert), key: Buffer.from(cert.key) }, 'minato-controller-manager');
        // The embedded local provisioner backs the default StorageClass `standard` with directories in the data dir.
        const provisioner = new DirectoryProvisioner({ root: join(dataDir, 'volumes') });
        const controllers = { ...ALL_CONTROLLERS, volumebinder: (ctx: Parameters<typeof createVolumeBinderController>[0]) => createVolumeBinderController(ctx, { provisioners: [provisioner] }) };
        components.push(runControllerManager({ client, log, controllers }, stopping.signal).catch((err: unknown) => void log('controller manager stopped', { err: String(err) })));
        components.push(runScheduler({ client, log }, stopping.signal).catch((err: unknown) => void log('scheduler stopped', { err: String(err) })));
      }
      process.stdout.write(`Minato API server is ready at ${server.url}\n`);
      process.stdout.write(`  kubeconfig: ${server.kubeconfigPath}\n`);
      process.stdout.write(`  try:        kubectl --kubeconfig ${server.kubeconfigPath} get namespaces\n`);
      if (!flags.disableAgent) process.stdout.write('  note:       the node agent is not built yet; pods stay Pending (run with --disable-agent to silence this)\n');
      const stop = async (signal: string) => {
        log('shutting down', { signal });
        stopping.abort();
        await Promise.race([Promise.all(components), new Promise((r) => setTimeout(r, 5000))]);
        client?.close();
        await server.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop('SIGINT'));
      process.once('SIGTERM', () => void stop('SIGTERM'));
    });
}
