import type { Node, PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import { nodeSelectorMatches } from '../../api/selectors/node-selector.ts';
import { compareQuantities, parseQuantity } from '../../api/quantity.ts';
import { labelSelectorFromObject } from '../../api/selectors/label-selector.ts';

/** True when `pv` is reserved for `claim` through its claimRef. */
export function preBoundTo(pv: PersistentVolume, claim: PersistentVolumeClaim): boolean {
  const ref = pv.spec?.claimRef;
  return !!ref && ref.name === claim.metadata?.name && ref.namespace === claim.metadata?.namespace && (!ref.uid || ref.uid === claim.metadata?.uid);
}

/** True when a volume can satisfy a claim: class, mode, access modes, size, selector and node. */
export function volumeFits(pv: PersistentVolume, claim: PersistentVolumeClaim, node?: Node): boolean {
  if (pv.metadata?.deletionTimestamp) return false;
  if (pv.spec?.claimRef && !preBoundTo(pv, claim)) return false;
  if ((pv.spec?.storageClassName ?? '') !== (claim.spec?.storageClassName ?? '')) return false;
  if ((pv.spec?.volumeMode ?? 'Filesystem') !== (claim.spec?.volumeMode ?? 'Filesystem')) return false;
  const modes = pv.spec?.accessModes ?? [];
  if (!(claim.spec?.accessModes ?? []).every((m) => modes.includes(m))) return false;
  const request = claim.spec?.resources?.requests?.storage;
  const capacity = pv.spec?.capacity?.storage;
  if (request && (!capacity || compareQuantities(parseQuantity(capacity), parseQuantity(request)) < 0)) return false;
  if (claim.spec?.selector && !labelSelectorFromObject(claim.spec.selector).matches(pv.metadata?.labels)) return false;
  return !node || nodeAllowed(pv, node);
}

/** The volume to bind: one reserved for the claim first, else the smallest that fits. */
export function bestVolume(pvs: PersistentVolume[], claim: PersistentVolumeClaim, node?: Node): PersistentVolume | undefined {
  const fits = pvs.filter((pv) => volumeFits(pv, claim, node));
  const reserved = fits.find((pv) => preBoundTo(pv, claim));
  if (reserved) return reserved;
  const size = (pv: PersistentVolume) => parseQuantity(pv.spec?.capacity?.storage ?? '0');
  return fits.sort((a, b) => compareQuantities(size(a), size(b)))[0];
}

/** A volume's required node affinity against a node (any term; every expression of a term). */
export function nodeAllowed(pv: PersistentVolume, node: Node): boolean {
  return nodeSelectorMatches(pv.spec?.nodeAffinity?.required?.nodeSelectorTerms, node);
}

