/** Latency samples (ms) → the figures the benchmarks print. */
export interface Summary {
  count: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
}

export function summarize(samplesMs: number[], seconds: number): Summary {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { count: sorted.length, seconds, perSecond: sorted.length / seconds, p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] ?? 0 };
}

export function formatRow(label: string, s: Summary): string {
  return `${label.padEnd(44)} ${s.perSecond.toFixed(0).padStart(7)} ops/s   p50 ${s.p50.toFixed(1).padStart(6)} ms   p99 ${s.p99.toFixed(1).padStart(6)} ms   (n=${s.count})`;
}

/** Runs `op` with `concurrency` workers until `total` operations finished; returns per-op latencies. */
export async function closedLoop(total: number, concurrency: number, op: (i: number) => Promise<void>): Promise<{ samples: number[]; seconds: number }> {
  const samples: number[] = [];
  let next = 0;
  const start = performance.now();
  const worker = async () => {
    for (let i = next++; i < total; i = next++) {
      const t = performance.now();
      await op(i);
      samples.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { samples, seconds: (performance.now() - start) / 1000 };
}

/** Issues `op` at a fixed rate (open loop) for `seconds`; latency counts from the scheduled start. */
export async function fixedRate(ratePerSecond: number, seconds: number, op: (i: number) => Promise<void>): Promise<{ samples: number[]; seconds: number }> {
  const samples: number[] = [];
  const total = Math.round(ratePerSecond * seconds);
  const start = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / ratePerSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    pending.push(op(i).then(() => void samples.push(performance.now() - due)));
  }
  await Promise.all(pending);
  return { samples, seconds: (performance.now() - start) / 1000 };
}
