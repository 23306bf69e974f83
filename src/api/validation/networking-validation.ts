import type { HTTPIngressPath, Ingress, IngressBackend, IngressClass, NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort } from 'kubernetes-types/networking/v1.js';
import type { FieldError, KubeObject } from '../types.ts';
import { immutable, oneOf, validateLabelSelector } from './common-rules.ts';
import { PROTOCOLS, validatePortRef } from './container-validation.ts';
import { forbidden, invalid, invalidEach, required } from './field-errors.ts';
import { FieldPath } from './field-path.ts';
import { dns1035Label, dns1123Subdomain, isIPv4, isIPv6, portNumber } from './name-rules.ts';

const SPEC = FieldPath.root('spec');

/** True for `a.b.c.d/n` or an IPv6 CIDR. */
export function isCidr(value: string): boolean {
  const [ip = '', bits, ...rest] = value.split('/');
  if (rest.length > 0 || bits === undefined || !/^\d+$/.test(bits)) return false;
  if (isIPv4(ip)) return Number(bits) <= 32;
  return isIPv6(ip) && Number(bits) <= 128;
}

/** NetworkPolicy: selectors, policy types, ports and peers. */
export function validateNetworkPolicy(obj: KubeObject): FieldError[] {
  const spec = (obj as NetworkPolicy).spec;
  if (!spec) return [required(SPEC)];
  const errs = validateLabelSelector(spec.podSelector, SPEC.child('podSelector'));
  const types = spec.policyTypes ?? [];
  types.forEach((t, i) => errs.push(...oneOf(t, ['Egress', 'Ingress'], SPEC.child('policyTypes').index(i), true)));
  if (types.length > 2) errs.push(invalid(SPEC.child('policyTypes'), types, 'may not specify more than two policyTypes'));
  (spec.ingress ?? []).forEach((rule, i) => {
    const at = SPEC.child('ingress').index(i);
    errs.push(...validatePolicyPorts(rule.ports ?? [], at.child('ports')), ...validatePeers(rule.from ?? [], at.child('from')));
  });
  (spec.egress ?? []).forEach((rule, i) => {
    const at = SPEC.child('egress').index(i);
    errs.push(...validatePolicyPorts(rule.ports ?? [], at.child('ports')), ...validatePeers(rule.to ?? [], at.child('to')));
  });
  return errs;
}

function validatePolicyPorts(ports: NetworkPolicyPort[], path: FieldPath): FieldError[] {
  return ports.flatMap((p, i) => {
    const at = path.index(i);
    const errs = oneOf(p.protocol, PROTOCOLS, at.child('protocol'));
    if (p.port !== undefined) errs.push(...validatePortRef(p.port, at.child('port')));
    if (p.endPort !== undefined) {
      if (typeof p.port !== 'number') errs.push(required(at.child('port'), 'must specify a numeric port when endPort is set'));
      else if (p.endPort < p.port) errs.push(invalid(at.child('endPort'), p.endPort, 'must be greater than or equal to `port`'));
    }
    return errs;
  });
}

function validatePeers(peers: NetworkPolicyPeer[], path: FieldPath): FieldError[] {
  return peers.flatMap((peer, i) => {
    const at = path.index(i);
    const set = [peer.podSelector, peer.namespaceSelector, peer.ipBlock].filter((x) => x !== undefined).length;
    if (set === 0) return [required(at, 'must specify a peer')];
    if (peer.ipBlock && set > 1) return [forbidden(at, 'may not specify both ipBlock and another peer')];
    const errs = [...validateLabelSelector(peer.podSelector, at.child('podSelector')), ...validateLabelSelector(peer.namespaceSelector, at.child('namespaceSelector'))];
    if (peer.ipBlock) {
      const cidr = peer.ipBlock.cidr;
      if (!cidr) errs.push(required(at.child('ipBlock', 'cidr')));
      else if (!isCidr(cidr)) errs.push(invalid(at.child('ipBlock', 'cidr'), cidr, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'));
      (peer.ipBlock.except ?? []).forEach((e, j) => {
        if (!isCidr(e)) errs.push(invalid(at.child('ipBlock', 'except').index(j), e, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'));
      });
    }
    return errs;
  });
}

/** Ingress: a default backend or rules, hosts, paths with pathType, one backend each. */
export function validateIngress(obj: KubeObject): FieldError[] {
  const spec = (obj as Ingress).spec;
  if (!spec) return [required(SPEC)];
  const errs: FieldError[] = [];
  if (!spec.defaultBackend && (spec.rules ?? []).length === 0) {
    errs.push(invalid(SPEC, spec, 'either `defaultBackend` or `rules` must be specified'));
  }
  if (spec.defaultBackend) errs.push(...validateBackend(spec.defaultBackend, SPEC.child('defaultBackend')));
  if (spec.ingressClassName) errs.push(...invalidEach(SPEC.child('ingressClassName'), spec.ingressClassName, dns1123Subdomain(spec.ingressClassName)));
  (spec.rules ?? []).forEach((rule, i) => {
    const at = SPEC.child('rules').index(i);
    if (rule.host) errs.push(...validateHost(rule.host, at.child('host')));
    if (!rule.http) return;
    const paths = rule.http.paths ?? [];
    if (paths.length === 0) errs.push(required(at.child('http', 'paths')));
    paths.forEach((p, j) => errs.push(...validateIngressPath(p, at.child('http', 'paths').index(j))));
  });
  (spec.tls ?? []).forEach((tls, i) => (tls.hosts ?? []).forEach((h, j) => errs.push(...validateHost(h, SPEC.child('tls').index(i).child('hosts').index(j)))));
  return errs;
}

function validateHost(host: string, path: FieldPath): FieldError[] {
  if (isIPv4(host) || isIPv6(host)) return [invalid(path, host, 'must be a DNS name, not an IP address')];
  const name = host.startsWith('*.') ? host.slice(2) : host;
  return invalidEach(path, host, dns1123Subdomain(name));
}

function validateIngressPath(p: HTTPIngressPath, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!p.pathType) errs.push(required(path.child('pathType'), 'pathType must be specified'));
  else errs.push(...oneOf(p.pathType, ['Exact', 'ImplementationSpecific', 'Prefix'], path.child('pathType')));
  if ((p.pathType === 'Exact' || p.pathType === 'Prefix') && !(p.path ?? '').startsWith('/')) {
    errs.push(invalid(path.child('path'), p.path ?? '', 'must be an absolute path'));
  }
  return [...errs, ...validateBackend(p.backend, path.child('backend'))];
}

function validateBackend(backend: IngressBackend | undefined, path: FieldPath): FieldError[] {
  if (!backend) return [required(path)];
  if (backend.service && backend.resource) return [invalid(path, backend, 'cannot set both resource and service backends')];
  if (backend.resource) return backend.resource.kind && backend.resource.name ? [] : [required(path.child('resource'))];
  if (!backend.service) return [invalid(path, backend, 'resource or service backend is required')];
  const service = backend.service;
  const errs = service.name ? invalidEach(path.child('service', 'name'), service.name, dns1035Label(service.name)) : [required(path.child('service', 'name'))];
  const port = service.port;
  if (!port || (port.name === undefined && port.number === undefined)) errs.push(required(path.child('service', 'port'), 'port name or number is required'));
  else if (port.name && port.number) errs.push(invalid(path.child('service', 'port'), port, 'cannot set both port name & port number'));
  else if (port.number !== undefined) errs.push(...invalidEach(path.child('service', 'port', 'number'), port.number, portNumber(port.number)));
  return errs;
}

/** IngressClass: a domain-prefixed controller (immutable) and well-formed parameters. */
export function validateIngressClass(obj: KubeObject, old?: KubeObject): FieldError[] {
  const spec = (obj as IngressClass).spec ?? {};
  const errs: FieldError[] = [];
  const controller = spec.controller;
  const path = SPEC.child('controller');
  if (!controller) errs.push(required(path));
  else if (controller.length > 250) errs.push({ field: path.toString(), type: 'FieldValueTooLong', value: controller, detail: 'may not be more than 250 bytes' });
  else if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?\/.+/.test(controller)) errs.push(invalid(path, controller, 'must be a domain-prefixed path (such as "acme.io/foo")'));
  const params = spec.parameters;
  if (params) {
    const at = SPEC.child('parameters');
    if (!params.kind) errs.push(required(at.child('kind')));
    if (!params.name) errs.push(required(at.child('name')));
    errs.push(...oneOf(params.scope, ['Cluster', 'Namespace'], at.child('scope')));
    if (params.scope === 'Namespace' && !params.namespace) errs.push(required(at.child('namespace'), '`parameters.scope` is set to "Namespace"'));
    if (params.scope !== 'Namespace' && params.namespace) errs.push(forbidden(at.child('namespace'), '`parameters.scope` is set to "Cluster"'));
  }
  if (old) errs.push(...immutable(controller, (old as IngressClass).spec?.controller, path));
  return errs;
}
