import { setMaxListeners } from 'node:events';
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { connectionFromKubeconfig } from '../client/connection.ts';
import { KubeClient } from '../client/kube-client.ts';
import { runSimulatedNodes, zoneNames } from '../node/simulated/simulated-nodes.ts';

interface SimNodesFlags {
  kubeconfig: string;
  count: string;
  zones?: string;
  namePrefix: string;
  cpu: string;
  memory: string;
  pods: string;
  runSeconds: string;
  concurrency: string;
}

/** `minato sim-nodes`: keeps N simulated nodes registered and heartbeating, in the foreground. */
export function registerSimNodesCommand(program: Command): void {
  program
    .command('sim-nodes')
    .description('Run N simulated nodes (for tests and scale runs; no containers run) until SIGINT/SIGTERM')
    .requiredOption('--kubeconfig <file>', 'cluster to register the nodes with')
    .option('--count <n>', 'how many nodes', '3')
    .option('--zones <z>', 'number of zones (zone-a, zone-b, …) or comma-separated zone names')
    .option('--name-prefix <p>', 'node names are <prefix><index>', 'sim-node-')
    .option('--cpu <q>', 'cpu capacity per node', '8')
    .option('--memory <q>', 'memory capacity per node', '32Gi')
    .option('--pods <n>', 'pod capacity per node', '110')
    .option('--run-seconds <s>', 'how long run-to-completion pods run', '1')
    .option('--concurrency <n>', 'API writes in flight at once', '64')
    .action(async (flags: SimNodesFlags) => {
      const log = (msg: string, fields?: Record<string, unknown>) => process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), msg, ...fields })}\n`);
      const client = new KubeClient(await connectionFromKubeconfig(resolve(flags.kubeconfig)), 'minato-sim-nodes', Number(flags.concurrency));
      const stop = new AbortController();
      setMaxListeners(0, stop.signal); // one listener per simulated node loop and watch
      process.once('SIGINT', () => stop.abort());
      process.once('SIGTERM', () => stop.abort());
      await runSimulatedNodes(
        {
          client,
          count: Number(flags.count),
          zones: zoneNames(flags.zones),
          namePrefix: flags.namePrefix,
          shape: { cpu: flags.cpu, memory: flags.memory, pods: flags.pods },
          timings: { runDurationMs: Number(flags.runSeconds) * 1000 },
          concurrency: Number(flags.concurrency),
          log,
          onRegistered: () => process.stdout.write(`${flags.count} simulated nodes registered\n`),
        },
        stop.signal,
      );
      client.close();
    });
}
