import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer, type RunningApiServer } from '../../src/apiserver/api-server.ts';
import { connectionFromKubeconfig } from '../../src/client/connection.ts';
import { KubeClient } from '../../src/client/kube-client.ts';

export interface TestCluster {
  server: RunningApiServer;
  client: KubeClient;
  kubeconfig: string;
  stop(): Promise<void>;
}

/**
 * A real in-process API server (memory store unless told otherwise) and an admin client: the
 * integration tier's cluster. Controllers under test run against it through the client.
 */
export async function startTestCluster(opts: { storeUrl?: string; bookmarkIntervalMs?: number } = {}): Promise<TestCluster> {
  const dataDir = await mkdtemp(join(tmpdir(), 'minato-test-cluster-'));
  const server = await startApiServer({ dataDir, port: 0, storeUrl: opts.storeUrl ?? 'memory://', bookmarkIntervalMs: opts.bookmarkIntervalMs ?? 1000 });
  const client = new KubeClient(await connectionFromKubeconfig(server.kubeconfigPath), 'minato-test');
  return {
    server,
    client,
    kubeconfig: server.kubeconfigPath,
    async stop() {
      client.close();
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
