import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { FieldError, KubeObject } from '../types.ts';
import { immutable, oneOf } from './common-rules.ts';
import { PROTOCOLS } from './container-validation.ts';
import { invalid, invalidEach, required, tooMany } from './field-errors.ts';
import { FieldPath } from './field-path.ts';
import { dns1123Label, dns1123Subdomain, isIPv4, isIPv6, portNumber } from './name-rules.ts';

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
const MAX_ADDRESSES = 100;

function validateAddress(address: string, addressType: string, path: FieldPath): FieldError[] {
  if (addressType === 'IPv4' && !isIPv4(address)) return [invalid(path, address, 'must be a valid IPv4 address')];
  if (addressType === 'IPv6' && !isIPv6(address)) return [invalid(path, address, 'must be a valid IPv6 address')];
  if (addressType === 'FQDN') return invalidEach(path, address, dns1123Subdomain(address));
  return [];
}

/** EndpointSlice: address type (immutable), 1–100 addresses per endpoint matching it, valid ports. */
export function validateEndpointSlice(obj: KubeObject, old?: KubeObject): FieldError[] {
  const slice = obj as unknown as EndpointSlice;
  const addressType = FieldPath.root('addressType');
  const errs = oneOf(slice.addressType, ADDRESS_TYPES, addressType, true);
  (slice.endpoints ?? []).forEach((ep, i) => {
    const at = FieldPath.root('endpoints').index(i).child('addresses');
    const addresses = ep.addresses ?? [];
    if (addresses.length === 0) errs.push(required(at, 'must contain at least 1 address'));
    if (addresses.length > MAX_ADDRESSES) errs.push(tooMany(at, addresses.length, MAX_ADDRESSES));
    addresses.forEach((a, j) => errs.push(...validateAddress(a, slice.addressType, at.index(j))));
  });
  (slice.ports ?? []).forEach((p, i) => {
    const at = FieldPath.root('ports').index(i);
    if (p.name) errs.push(...invalidEach(at.child('name'), p.name, dns1123Label(p.name)));
    if (p.port !== undefined && p.port !== null) errs.push(...invalidEach(at.child('port'), p.port, portNumber(p.port)));
    errs.push(...oneOf(p.protocol, PROTOCOLS, at.child('protocol')));
  });
  if (old) errs.push(...immutable(slice.addressType, (old as unknown as EndpointSlice).addressType, addressType));
  return errs;
}
