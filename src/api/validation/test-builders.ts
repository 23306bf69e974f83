/* Small builders for validation and defaulting tests: each returns a minimal valid object to tweak. */
import type { FieldError, KubeObject } from '../types.ts';

/** Each error as `<field> <type>`, the shape most assertions need. */
export function summarize(errors: FieldError[]): string[] {
  return errors.map((e) => `${e.field} ${e.type}`);
}

export function container(name = 'app', image = 'nginx:1.25'): Record<string, unknown> {
  return { name, image };
}

export function podSpec(...containers: Array<Record<string, unknown>>): Record<string, unknown> {
  return { containers: containers.length > 0 ? containers : [container()], restartPolicy: 'Always', dnsPolicy: 'ClusterFirst' };
}

export function pod(name = 'web', spec: Record<string, unknown> = podSpec()): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec };
}

export function template(labels: Record<string, string> = { app: 'web' }, spec: Record<string, unknown> = podSpec()): Record<string, unknown> {
  return { metadata: { labels }, spec };
}

export function workload(kind: string, name = 'web', extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind,
    metadata: { name, namespace: 'default' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: template(), ...extra },
  };
}

export function service(name = 'web', spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default' },
    spec: { selector: { app: 'web' }, ports: [{ port: 80, protocol: 'TCP' }], ...spec },
  };
}

export function object(apiVersion: string, kind: string, name: string, body: Record<string, unknown> = {}, namespace: string | undefined = 'default'): KubeObject {
  return { apiVersion, kind, metadata: namespace ? { name, namespace } : { name }, ...body };
}
