/**
 * What the benchmarks that need real containers share: the machine line, and the single-node
 * cluster with the real agent that the root end-to-end tests use too (test/support/agent-cluster.ts:
 * unique node name / CIDRs / LB pool per run, base images imported beforehand, everything removed
 * on exit, including Ctrl-C).
 */
import { cpus, totalmem } from 'node:os';

export { startAgentCluster, type AgentCluster } from '../../test/support/agent-cluster.ts';

/** The machine line every benchmark prints first. */
export function machine(): string {
  const c = cpus();
  return `${c.length} × ${c[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`;
}
