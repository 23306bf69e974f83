import type { Service, ServicePort, ServiceSpec } from 'kubernetes-types/core/v1.js';
import type { FieldError, KubeObject } from '../types.ts';
import { IMMUTABLE, oneOf, validateLabels } from './common-rules.ts';
import { PROTOCOLS, validatePortRef } from './container-validation.ts';
import { duplicate, forbidden, invalid, invalidEach, required } from './field-errors.ts';
import { FieldPath } from './field-path.ts';
import { dns1123Label, dns1123Subdomain, ipAddress, portNumber } from './name-rules.ts';
import { DEFAULT_NODE_PORT_RANGE, type ValidationOptions } from './validation-options.ts';

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const SPEC = FieldPath.root('spec');

/** Service: ports, type, selector, cluster IP, node ports; on update the cluster IP is immutable. */
export function validateService(obj: KubeObject, old: KubeObject | undefined, options: ValidationOptions): FieldError[] {
  const spec: ServiceSpec = (obj as Service).spec ?? {};
  const errs = validatePorts(spec, options);
  errs.push(...oneOf(spec.type, SERVICE_TYPES, SPEC.child('type')));
  errs.push(...oneOf(spec.sessionAffinity, ['ClientIP', 'None'], SPEC.child('sessionAffinity')));
  errs.push(...validateLabels(spec.selector, SPEC.child('selector')));
  errs.push(...validateTrafficPolicies(spec));
  errs.push(...validateAddresses(spec));
  if (spec.type === 'ExternalName') {
    const name = (spec.externalName ?? '').replace(/\.$/, '');
    if (!name) errs.push(required(SPEC.child('externalName')));
    else errs.push(...invalidEach(SPEC.child('externalName'), spec.externalName, dns1123Subdomain(name)));
  }
  if (old) errs.push(...validateServiceUpdate(spec, (old as Service).spec ?? {}));
  return errs;
}

function isHeadless(spec: ServiceSpec): boolean {
  return spec.clusterIP === 'None';
}

function validatePorts(spec: ServiceSpec, options: ValidationOptions): FieldError[] {
  const ports = spec.ports ?? [];
  const path = SPEC.child('ports');
  const errs: FieldError[] = [];
  if (ports.length === 0 && !isHeadless(spec) && spec.type !== 'ExternalName') errs.push(required(path));
  const names = new Set<string>();
  const nodePorts = new Set<string>();
  const portKeys = new Set<string>();
  ports.forEach((p, i) => {
    const at = path.index(i);
    errs.push(...validatePortName(p, at, ports.length > 1, names));
    if (p.port === undefined) errs.push(required(at.child('port')));
    else errs.push(...invalidEach(at.child('port'), p.port, portNumber(p.port)));
    errs.push(...oneOf(p.protocol, PROTOCOLS, at.child('protocol'), true));
    if (p.targetPort !== undefined && p.targetPort !== 0) errs.push(...validatePortRef(p.targetPort, at.child('targetPort')));
    const key = `${p.port}/${p.protocol ?? 'TCP'}`;
    if (portKeys.has(key)) errs.push(duplicate(at, { port: p.port, protocol: p.protocol ?? 'TCP' }));
    portKeys.add(key);
    errs.push(...validateNodePort(p, at, spec, options, nodePorts));
  });
  return errs;
}

function validatePortName(p: ServicePort, at: FieldPath, nameRequired: boolean, names: Set<string>): FieldError[] {
  if (!p.name) return nameRequired ? [required(at.child('name'))] : [];
  const errs = invalidEach(at.child('name'), p.name, dns1123Label(p.name));
  if (names.has(p.name)) errs.push(duplicate(at.child('name'), p.name));
  names.add(p.name);
  return errs;
}

function validateNodePort(p: ServicePort, at: FieldPath, spec: ServiceSpec, options: ValidationOptions, seen: Set<string>): FieldError[] {
  if (!p.nodePort) return [];
  const path = at.child('nodePort');
  if (spec.type !== 'NodePort' && spec.type !== 'LoadBalancer') {
    return [forbidden(path, `may not be used when \`type\` is '${spec.type ?? 'ClusterIP'}'`)];
  }
  const range = options.serviceNodePortRange ?? DEFAULT_NODE_PORT_RANGE;
  const errs: FieldError[] = [];
  if (p.nodePort < range.min || p.nodePort > range.max) {
    errs.push(invalid(path, p.nodePort, `provided port is not in the valid range. The range of valid ports is ${range.min}-${range.max}`));
  }
  const key = `${p.nodePort}/${p.protocol ?? 'TCP'}`;
  if (seen.has(key)) errs.push(duplicate(path, p.nodePort));
  seen.add(key);
  return errs;
}

function validateTrafficPolicies(spec: ServiceSpec): FieldError[] {
  const errs = oneOf(spec.externalTrafficPolicy, ['Cluster', 'Local'], SPEC.child('externalTrafficPolicy'));
  if (spec.externalTrafficPolicy && spec.type !== 'NodePort' && spec.type !== 'LoadBalancer') {
    errs.push(invalid(SPEC.child('externalTrafficPolicy'), spec.externalTrafficPolicy, "may only be set when `type` is 'NodePort' or 'LoadBalancer'"));
  }
  errs.push(...oneOf(spec.internalTrafficPolicy, ['Cluster', 'Local'], SPEC.child('internalTrafficPolicy')));
  errs.push(...oneOf(spec.ipFamilyPolicy, ['SingleStack', 'PreferDualStack', 'RequireDualStack'], SPEC.child('ipFamilyPolicy')));
  (spec.ipFamilies ?? []).forEach((f, i) => errs.push(...oneOf(f, ['IPv4', 'IPv6'], SPEC.child('ipFamilies').index(i), true)));
  return errs;
}

function validateAddresses(spec: ServiceSpec): FieldError[] {
  const errs: FieldError[] = [];
  const ips = spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : []);
  ips.forEach((ip, i) => {
    if (ip !== 'None' && ip !== '') errs.push(...invalidEach(SPEC.child('clusterIPs').index(i), ip, ipAddress(ip)));
  });
  if (spec.clusterIP && spec.clusterIPs?.[0] && spec.clusterIP !== spec.clusterIPs[0]) {
    errs.push(invalid(SPEC.child('clusterIPs'), spec.clusterIPs, 'first value must match `clusterIP`'));
  }
  (spec.externalIPs ?? []).forEach((ip, i) => errs.push(...invalidEach(SPEC.child('externalIPs').index(i), ip, ipAddress(ip))));
  return errs;
}

/**
 * The cluster IP may not change once set. An empty value in the new object means "keep"; the server
 * carries the allocated IP over, as kube-apiserver does for `kubectl apply` without `clusterIP`.
 */
function validateServiceUpdate(spec: ServiceSpec, old: ServiceSpec): FieldError[] {
  if (spec.type === 'ExternalName' || old.type === 'ExternalName') return [];
  if (!spec.clusterIP || !old.clusterIP || spec.clusterIP === old.clusterIP) return [];
  return [invalid(SPEC.child('clusterIPs').index(0), spec.clusterIP, IMMUTABLE)];
}
