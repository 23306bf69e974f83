/** Runs one probe action (exec in the container, HTTP GET or TCP connect to the pod IP). */
import type { Container, Probe } from 'kubernetes-types/core/v1.js';
import { request } from 'node:http';
import net from 'node:net';
import type { ContainerRuntime } from '../runtime/container-runtime.ts';
import type { ProbeResult } from './probe-tracker.ts';

/** Where a probe runs. */
export interface ProbeTarget {
  runtime: ContainerRuntime;
  containerId: string;
  container: Container;
  podIP: string | undefined;
}

/** Resolves a named port against the container's ports. */
export function resolvePort(port: number | string, container: Container): number {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  const p = container.ports?.find((x) => x.name === port);
  if (!p) throw new Error(`port ${port} not found in container ${container.name}`);
  return p.containerPort;
}

function httpProbe(host: string, port: number, path: string, scheme: string, headers: Record<string, string>, timeoutMs: number): Promise<ProbeResult> {
  if (scheme.toUpperCase() === 'HTTPS') return tcpProbe(host, port, timeoutMs); // no TLS verification needed: reachability is what counts
  return new Promise((resolve) => {
    const req = request({ host, port, path: path || '/', method: 'GET', headers: { 'User-Agent': 'kube-probe/1.33', ...headers }, timeout: timeoutMs }, (res) => {
      res.resume();
      const code = res.statusCode ?? 0;
      resolve(code >= 200 && code < 400 ? 'success' : 'failure');
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve('failure'));
    req.end();
  });
}

function tcpProbe(host: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    sock.setTimeout(timeoutMs, () => (sock.destroy(), resolve('failure')));
    sock.on('connect', () => (sock.destroy(), resolve('success')));
    sock.on('error', () => resolve('failure'));
  });
}

/** Runs the probe once; errors count as failures, as in the kubelet. */
export async function runProbe(probe: Probe, target: ProbeTarget, timeoutMs: number): Promise<ProbeResult> {
  try {
    if (probe.exec) {
      const signal = AbortSignal.timeout(Math.max(timeoutMs, 1000));
      const code = await target.runtime.exec(target.containerId, probe.exec.command ?? [], { signal });
      return code === 0 ? 'success' : 'failure';
    }
    const host = probe.httpGet?.host ?? probe.tcpSocket?.host ?? target.podIP;
    if (!host) return 'failure';
    if (probe.httpGet) {
      const headers = Object.fromEntries((probe.httpGet.httpHeaders ?? []).map((h) => [h.name, h.value]));
      return await httpProbe(host, resolvePort(probe.httpGet.port, target.container), probe.httpGet.path ?? '/', probe.httpGet.scheme ?? 'HTTP', headers, timeoutMs);
    }
    if (probe.tcpSocket) return await tcpProbe(host, resolvePort(probe.tcpSocket.port, target.container), timeoutMs);
    return 'success'; // grpc probes are not supported yet; treat as passing rather than killing the container
  } catch {
    return 'failure';
  }
}
