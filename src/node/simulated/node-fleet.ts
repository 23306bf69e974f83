import type { Node } from 'kubernetes-types/core/v1.js';
import { isAlreadyExists, isNotFound } from '../../client/api-error.ts';
import type { Clock } from '../../client/clock.ts';
import type { KubeClient } from '../../client/kube-client.ts';
import { R } from '../../client/resource-ref.ts';
import { healthyConditions, microTime, NODE_LEASE_NAMESPACE, nodeIp, nodeLease, simulatedNode, type NodeShape } from './node-template.ts';
import type { WritePool } from './write-pool.ts';

export interface FleetConfig {
  client: KubeClient;
  clock: Clock;
  pool: WritePool;
  names: string[];
  zones: string[];
  shape: NodeShape;
  heartbeatIntervalMs: number;
  leaseDurationSeconds: number;
}

/**
 * The simulated kubelets' node half: registers the Nodes with their Leases, renews the Leases
 * spread evenly over the heartbeat interval (one ticker for all nodes), and re-posts Ready when
 * the node lifecycle controller marked a node Unknown while this process was away.
 */
export class NodeFleet {
  private readonly index = new Map<string, number>();
  private cursor = 0;
  private credit = 0;
  private readonly reposting = new Set<string>();

  constructor(private readonly cfg: FleetConfig) {
    cfg.names.forEach((n, i) => this.index.set(n, i));
  }

  owns(nodeName: string | undefined): boolean {
    return nodeName !== undefined && this.index.has(nodeName);
  }

  hostIP(nodeName: string): string {
    return nodeIp(this.index.get(nodeName) ?? 0);
  }

  nodeIndex(nodeName: string): number {
    return this.index.get(nodeName) ?? 0;
  }

  /** Creates every Node and Lease (or refreshes them when they already exist); resolves when all are written. */
  async register(): Promise<void> {
    const { names, zones, shape, clock } = this.cfg;
    names.forEach((name, i) => this.cfg.pool.submit(() => this.registerOne(simulatedNode(name, i, zones[i % zones.length] ?? 'zone-a', shape, clock.now()))));
    await this.cfg.pool.idle();
  }

  /** Renews the slice of Leases due in this tick (`elapsedMs` since the last one). */
  heartbeat(elapsedMs: number): void {
    const n = this.cfg.names.length;
    this.credit += (n * elapsedMs) / this.cfg.heartbeatIntervalMs;
    const due = Math.min(n, Math.floor(this.credit));
    this.credit -= due;
    for (let i = 0; i < due; i++) {
      const name = this.cfg.names[this.cursor] as string;
      this.cursor = (this.cursor + 1) % n;
      this.cfg.pool.submit(() => this.renew(name));
    }
  }

  /** A node of ours no longer says Ready=True (the lifecycle controller set Unknown): say it again. */
  onNode(node: Node): void {
    const name = node.metadata?.name ?? '';
    if (!this.owns(name) || this.reposting.has(name)) return;
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
    if (ready?.status === 'True') return;
    this.reposting.add(name);
    this.cfg.pool.submit(async () => {
      try {
        await this.cfg.client.patch(R.nodes, undefined, name, 'merge', { status: { conditions: healthyConditions(this.cfg.clock.now()) } }, { subresource: 'status' });
      } finally {
        this.reposting.delete(name);
      }
    });
  }

  private async registerOne(node: Node): Promise<void> {
    const { client, clock } = this.cfg;
    let created: Node;
    try {
      created = await client.create<Node>(R.nodes, node);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      created = await client.patch<Node>(R.nodes, undefined, node.metadata?.name ?? '', 'merge', { status: { conditions: healthyConditions(clock.now()) } }, { subresource: 'status' });
    }
    await this.renew(created.metadata?.name ?? '', created);
  }

  private async renew(name: string, node?: Node): Promise<void> {
    const { client, clock } = this.cfg;
    try {
      await client.patch(R.leases, NODE_LEASE_NAMESPACE, name, 'merge', { spec: { renewTime: microTime(clock.now()), holderIdentity: name } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      const owner = node ?? (await client.get<Node>(R.nodes, undefined, name));
      await client.create(R.leases, nodeLease(owner, this.cfg.leaseDurationSeconds, clock.now())).catch((e: unknown) => {
        if (!isAlreadyExists(e)) throw e;
      });
    }
  }
}
