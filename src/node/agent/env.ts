/**
 * A container's environment as the kubelet builds it: image env, then `envFrom` (ConfigMaps and
 * Secrets, with prefixes), then `env` in order with `$(VAR)` references expanded against what is
 * defined so far; command and args are expanded against the result.
 */
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { fieldValue, resourceValue, type NodeFacts } from '../volumes/downward.ts';
import type { PodObjectSource } from '../volumes/object-source.ts';

/**
 * Expands `$(NAME)` from `vars`; `$$` escapes a dollar; unknown references stay as written
 * (Kubernetes' `expansion.Expand` semantics).
 */
export function expandVars(input: string, vars: Record<string, string>): string {
  let out = '';
  for (let i = 0; i < input.length; i++) {
    const ch = input[i];
    if (ch !== '$' || i + 1 >= input.length) {
      out += ch;
      continue;
    }
    const next = input[i + 1];
    if (next === '$') {
      out += '$';
      i++;
    } else if (next === '(') {
      const end = input.indexOf(')', i + 2);
      if (end < 0) {
        out += input.slice(i);
        break;
      }
      const name = input.slice(i + 2, end);
      out += Object.hasOwn(vars, name) ? vars[name] : `$(${name})`;
      i = end;
    } else {
      out += ch;
    }
  }
  return out;
}

/** Inputs of {@link containerEnv} that come from the node rather than the pod. */
export interface EnvContext {
  objects: PodObjectSource;
  node: NodeFacts;
  podIP?: string;
  /** `KEY=value` entries of the image config. */
  imageEnv?: string[];
}

/** Thrown when a referenced ConfigMap/Secret (or key) is missing: the kubelet's CreateContainerConfigError. */
export class EnvConfigError extends Error {}

/** The complete environment of `c`. */
export async function containerEnv(pod: Pod, c: Container, ctx: EnvContext): Promise<Record<string, string>> {
  const ns = pod.metadata?.namespace ?? 'default';
  const env: Record<string, string> = {};
  for (const kv of ctx.imageEnv ?? []) {
    const eq = kv.indexOf('=');
    if (eq > 0) env[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  for (const from of c.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    if (from.configMapRef) {
      const cm = await ctx.objects.configMap(ns, from.configMapRef.name ?? '');
      if (!cm && !from.configMapRef.optional) throw new EnvConfigError(`configmap "${from.configMapRef.name ?? ''}" not found`);
      for (const [k, v] of Object.entries(cm?.data ?? {})) env[prefix + k] = v;
    }
    if (from.secretRef) {
      const s = await ctx.objects.secret(ns, from.secretRef.name ?? '');
      if (!s && !from.secretRef.optional) throw new EnvConfigError(`secret "${from.secretRef.name ?? ''}" not found`);
      for (const [k, v] of Object.entries(s?.data ?? {})) env[prefix + k] = Buffer.from(v, 'base64').toString('utf8');
    }
  }
  for (const e of c.env ?? []) {
    const value = e.valueFrom ? await valueFrom(pod, c, e.valueFrom, ctx) : expandVars(e.value ?? '', env);
    if (value !== undefined) env[e.name] = value;
  }
  return env;
}

async function valueFrom(pod: Pod, c: Container, from: NonNullable<NonNullable<Container['env']>[number]['valueFrom']>, ctx: EnvContext): Promise<string | undefined> {
  const ns = pod.metadata?.namespace ?? 'default';
  if (from.fieldRef) return fieldValue(pod, from.fieldRef, ctx.podIP, ctx.node.hostIP) ?? '';
  if (from.resourceFieldRef) return resourceValue(pod, from.resourceFieldRef, c.name, ctx.node);
  if (from.configMapKeyRef) {
    const ref = from.configMapKeyRef;
    const v = (await ctx.objects.configMap(ns, ref.name ?? ''))?.data?.[ref.key];
    if (v === undefined && !ref.optional) throw new EnvConfigError(`couldn't find key ${ref.key} in ConfigMap ${ns}/${ref.name ?? ''}`);
    return v;
  }
  if (from.secretKeyRef) {
    const ref = from.secretKeyRef;
    const v = (await ctx.objects.secret(ns, ref.name ?? ''))?.data?.[ref.key];
    if (v === undefined && !ref.optional) throw new EnvConfigError(`couldn't find key ${ref.key} in Secret ${ns}/${ref.name ?? ''}`);
    return v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8');
  }
  return undefined;
}

/**
 * argv from the image's Entrypoint/Cmd and the container's command/args (Kubernetes' rules:
 * command replaces Entrypoint and drops Cmd; args replace Cmd), with `$(VAR)` expanded.
 */
export function containerArgv(c: Container, image: { entrypoint?: string[]; cmd?: string[] }, env: Record<string, string>): string[] {
  const command = c.command?.length ? c.command : (image.entrypoint ?? []);
  const args = c.args?.length ? c.args : c.command?.length ? [] : (image.cmd ?? []);
  return [...command, ...args].map((s) => expandVars(s, env));
}
