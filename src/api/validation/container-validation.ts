import type { Container, ContainerPort, EnvVar, Probe, ResourceRequirements, VolumeMount } from 'kubernetes-types/core/v1.js';
import type { FieldError } from '../types.ts';
import { compareQuantities, isQuantity, parseQuantity } from '../quantity.ts';
import { nonNegative, oneOf, positive, validateQuantity } from './common-rules.ts';
import { duplicate, forbidden, invalid, invalidEach, notFound, required } from './field-errors.ts';
import type { FieldPath } from './field-path.ts';
import { dns1123Label, envVarName, portName, portNumber, qualifiedName } from './name-rules.ts';

export const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const TERMINATION_MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'];
const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const;

/** What container checks need from the pod around them. */
export interface ContainerContext {
  /** Names of the pod's volumes, for volumeMounts. */
  volumes: Set<string>;
  /** Container names seen so far across init and regular containers (names must be unique across both). */
  seenNames: Set<string>;
  /** Init containers may not have lifecycle probes (except sidecars with restartPolicy Always). */
  init: boolean;
}

/** Validates one list of containers (`spec.containers` or `spec.initContainers`). */
export function validateContainers(containers: Container[], path: FieldPath, ctx: ContainerContext): FieldError[] {
  return containers.flatMap((c, i) => validateContainer(c, path.index(i), ctx));
}

function validateContainer(c: Container, at: FieldPath, ctx: ContainerContext): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.name) errs.push(required(at.child('name')));
  else errs.push(...invalidEach(at.child('name'), c.name, dns1123Label(c.name)));
  if (c.name && ctx.seenNames.has(c.name)) errs.push(duplicate(at.child('name'), c.name));
  if (c.name) ctx.seenNames.add(c.name);
  if (!c.image || c.image.trim() === '') errs.push(required(at.child('image')));
  else if (c.image !== c.image.trim()) errs.push(invalid(at.child('image'), c.image, 'must not have leading or trailing whitespace'));
  errs.push(...oneOf(c.imagePullPolicy, PULL_POLICIES, at.child('imagePullPolicy')));
  errs.push(...oneOf(c.terminationMessagePolicy, TERMINATION_MESSAGE_POLICIES, at.child('terminationMessagePolicy')));
  errs.push(...validatePorts(c.ports ?? [], at.child('ports')));
  errs.push(...validateEnv(c.env ?? [], at.child('env')));
  errs.push(...validateVolumeMounts(c.volumeMounts ?? [], at.child('volumeMounts'), ctx.volumes));
  errs.push(...validateResources(c.resources, at.child('resources')));
  errs.push(...validateContainerSecurityContext(c, at.child('securityContext')));
  errs.push(...validateLifecycleProbes(c, at, ctx.init));
  return errs;
}

function validateLifecycleProbes(c: Container, at: FieldPath, init: boolean): FieldError[] {
  const probes = { livenessProbe: c.livenessProbe, readinessProbe: c.readinessProbe, startupProbe: c.startupProbe };
  const errs: FieldError[] = [];
  for (const [name, probe] of Object.entries(probes)) {
    if (!probe) continue;
    if (init && c.restartPolicy !== 'Always') {
      errs.push(forbidden(at.child(name), `may not be set for init containers without restartPolicy=Always`));
      continue;
    }
    errs.push(...validateProbe(probe, at.child(name)));
    if (name !== 'readinessProbe' && probe.successThreshold !== undefined && probe.successThreshold !== 1) {
      errs.push(invalid(at.child(name, 'successThreshold'), probe.successThreshold, 'must be 1'));
    }
  }
  return errs;
}

function validatePorts(ports: ContainerPort[], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const at = path.index(i);
    if (p.name) {
      errs.push(...invalidEach(at.child('name'), p.name, portName(p.name)));
      if (names.has(p.name)) errs.push(duplicate(at.child('name'), p.name));
      names.add(p.name);
    }
    if (p.containerPort === undefined || p.containerPort === 0) errs.push(required(at.child('containerPort')));
    else errs.push(...invalidEach(at.child('containerPort'), p.containerPort, portNumber(p.containerPort)));
    if (p.hostPort) errs.push(...invalidEach(at.child('hostPort'), p.hostPort, portNumber(p.hostPort)));
    errs.push(...oneOf(p.protocol, PROTOCOLS, at.child('protocol'), true));
  });
  return errs;
}

function validateEnv(env: EnvVar[], path: FieldPath): FieldError[] {
  return env.flatMap((e, i) => {
    const at = path.index(i);
    const errs: FieldError[] = [];
    if (!e.name) errs.push(required(at.child('name')));
    else errs.push(...invalidEach(at.child('name'), e.name, envVarName(e.name)));
    if (!e.valueFrom) return errs;
    const sources = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'].filter((k) => (e.valueFrom as Record<string, unknown>)[k]);
    if (e.value) errs.push(invalid(at.child('valueFrom'), '', 'may not be specified when `value` is not empty'));
    if (sources.length === 0) errs.push(invalid(at.child('valueFrom'), '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
    if (sources.length > 1) errs.push(invalid(at.child('valueFrom'), '', 'may not have more than one field specified at a time'));
    if (e.valueFrom.fieldRef && !e.valueFrom.fieldRef.fieldPath) errs.push(required(at.child('valueFrom', 'fieldRef', 'fieldPath')));
    if (e.valueFrom.configMapKeyRef && !e.valueFrom.configMapKeyRef.key) errs.push(required(at.child('valueFrom', 'configMapKeyRef', 'key')));
    if (e.valueFrom.secretKeyRef && !e.valueFrom.secretKeyRef.key) errs.push(required(at.child('valueFrom', 'secretKeyRef', 'key')));
    return errs;
  });
}

function validateVolumeMounts(mounts: VolumeMount[], path: FieldPath, volumes: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  const paths = new Set<string>();
  mounts.forEach((m, i) => {
    const at = path.index(i);
    if (!m.name) errs.push(required(at.child('name')));
    else if (!volumes.has(m.name)) errs.push(notFound(at.child('name'), m.name));
    if (!m.mountPath) errs.push(required(at.child('mountPath')));
    else if (paths.has(m.mountPath)) errs.push(invalid(at.child('mountPath'), m.mountPath, 'must be unique'));
    if (m.mountPath) paths.add(m.mountPath);
  });
  return errs;
}

/** Requests and limits must be valid non-negative quantities, and each request at most its limit. */
export function validateResources(resources: ResourceRequirements | undefined, path: FieldPath): FieldError[] {
  if (!resources) return [];
  const errs: FieldError[] = [];
  for (const field of ['limits', 'requests'] as const) {
    for (const [name, value] of Object.entries(resources[field] ?? {})) {
      errs.push(...invalidEach(path.child(field), name, qualifiedName(name)));
      errs.push(...validateQuantity(value, path.child(field).key(name)));
    }
  }
  for (const [name, request] of Object.entries(resources.requests ?? {})) {
    const limit = resources.limits?.[name];
    if (limit === undefined || !isQuantity(limit) || !isQuantity(request)) continue;
    if (compareQuantities(parseQuantity(request), parseQuantity(limit)) > 0) {
      errs.push(invalid(path.child('requests').key(name), request, `must be less than or equal to ${name} limit of ${limit}`));
    }
  }
  return errs;
}

/** A probe: exactly one handler and non-negative timings. */
export function validateProbe(probe: Probe, path: FieldPath): FieldError[] {
  const record = probe as unknown as Record<string, unknown>;
  const handlers = PROBE_HANDLERS.filter((h) => record[h] !== undefined && record[h] !== null);
  const errs: FieldError[] = [];
  if (handlers.length === 0) errs.push(required(path, 'must specify a handler type'));
  for (const extra of handlers.slice(1)) errs.push(forbidden(path.child(extra), 'may not specify more than 1 handler type'));
  for (const field of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'] as const) {
    errs.push(...nonNegative(probe[field], path.child(field)));
  }
  errs.push(...positive(probe.terminationGracePeriodSeconds, path.child('terminationGracePeriodSeconds')));
  if (probe.httpGet) {
    errs.push(...validatePortRef(probe.httpGet.port, path.child('httpGet', 'port')));
    errs.push(...oneOf(probe.httpGet.scheme, ['HTTP', 'HTTPS'], path.child('httpGet', 'scheme')));
  }
  if (probe.tcpSocket) errs.push(...validatePortRef(probe.tcpSocket.port, path.child('tcpSocket', 'port')));
  if (probe.exec && (probe.exec.command ?? []).length === 0) errs.push(required(path.child('exec', 'command')));
  return errs;
}

/** A port given by number or by container-port name. */
export function validatePortRef(port: number | string | undefined, path: FieldPath): FieldError[] {
  if (port === undefined || port === '') return [required(path)];
  return typeof port === 'number' ? invalidEach(path, port, portNumber(port)) : invalidEach(path, port, portName(port));
}

function validateContainerSecurityContext(c: Container, path: FieldPath): FieldError[] {
  const sc = c.securityContext;
  if (!sc) return [];
  const errs = [...nonNegative(sc.runAsUser, path.child('runAsUser')), ...nonNegative(sc.runAsGroup, path.child('runAsGroup'))];
  if (sc.privileged === true && sc.allowPrivilegeEscalation === false) {
    errs.push(invalid(path, sc, 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'));
  }
  return errs;
}
