/** `GET /containerLogs/<ns>/<pod>/<container>` with the pods/log query options. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AgentDeps } from './agent-server.ts';
import { streamLog } from './log-follow.ts';
import { replyStatus } from './replies.ts';

function intParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new RangeError(`${name}: invalid integer "${v}"`);
  return n;
}

const isTrue = (q: URLSearchParams, name: string) => q.get(name) === 'true' || q.get(name) === '1';

export async function serveContainerLogs(d: AgentDeps, _req: IncomingMessage, res: ServerResponse, namespace: string, pod: string, container: string, q: URLSearchParams): Promise<void> {
  let tailLines: number | undefined;
  let sinceSeconds: number | undefined;
  let limitBytes: number | undefined;
  try {
    tailLines = intParam(q, 'tailLines');
    sinceSeconds = intParam(q, 'sinceSeconds');
    limitBytes = intParam(q, 'limitBytes');
  } catch (err) {
    return replyStatus(res, 400, (err as Error).message);
  }
  const sinceTimeText = q.get('sinceTime');
  const sinceTime = sinceSeconds !== undefined ? new Date(d.clock.now().getTime() - sinceSeconds * 1000) : sinceTimeText ? new Date(sinceTimeText) : undefined;
  if (sinceTime && Number.isNaN(sinceTime.getTime())) return replyStatus(res, 400, `sinceTime: invalid time "${sinceTimeText ?? ''}"`);
  const resolved = await d.cfg.resolveContainer(namespace, pod, container);
  if (!resolved) return replyStatus(res, 400, `container "${container}" in pod "${pod}" is waiting to start: ContainerCreating`);
  const previous = isTrue(q, 'previous');
  const id = previous ? resolved.previousId : resolved.id;
  if (!id) return replyStatus(res, 400, `previous terminated container "${container}" in pod "${pod}" not found`);
  const follow = isTrue(q, 'follow') && !previous;
  const abort = new AbortController();
  const onAbort = () => abort.abort();
  d.signal.addEventListener('abort', onAbort, { once: true });
  res.once('close', onAbort);
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
  if (follow) res.flushHeaders();
  const isRunning = async () => (await d.cfg.runtime.containerStatus(id).catch(() => undefined))?.state === 'running';
  try {
    await streamLog(d.cfg.runtime.logPath(id), res, { follow, tailLines, sinceTime, limitBytes, timestamps: isTrue(q, 'timestamps'), isRunning, clock: d.clock, signal: abort.signal });
  } finally {
    d.signal.removeEventListener('abort', onAbort);
    res.end();
  }
}
