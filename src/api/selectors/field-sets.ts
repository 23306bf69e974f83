import type { FieldSet } from '../resource-definition.ts';
import type { KubeObject } from '../types.ts';

type Extra = (obj: KubeObject) => FieldSet;

function str(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : String(v);
}

function rec(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
}

const podFields: Extra = (o) => {
  const spec = rec(o.spec);
  const status = rec(o.status);
  return {
    'spec.nodeName': str(spec.nodeName),
    'spec.restartPolicy': str(spec.restartPolicy),
    'spec.schedulerName': str(spec.schedulerName),
    'spec.serviceAccountName': str(spec.serviceAccountName),
    'spec.hostNetwork': String(spec.hostNetwork === true),
    'status.phase': str(status.phase),
    'status.podIP': str(status.podIP),
    'status.nominatedNodeName': str(status.nominatedNodeName),
  };
};

const eventFields: Extra = (o) => {
  const io = rec(o.involvedObject ?? o.regarding);
  const source = rec(o.source);
  return {
    'involvedObject.kind': str(io.kind),
    'involvedObject.namespace': str(io.namespace),
    'involvedObject.name': str(io.name),
    'involvedObject.uid': str(io.uid),
    'involvedObject.apiVersion': str(io.apiVersion),
    'involvedObject.resourceVersion': str(io.resourceVersion),
    'involvedObject.fieldPath': str(io.fieldPath),
    'regarding.kind': str(io.kind),
    'regarding.namespace': str(io.namespace),
    'regarding.name': str(io.name),
    'regarding.uid': str(io.uid),
    reason: str(o.reason),
    reportingComponent: str(o.reportingComponent ?? o.reportingController),
    reportingController: str(o.reportingController ?? o.reportingComponent),
    source: str(source.component),
    type: str(o.type),
  };
};

/** Field labels each kind supports beyond metadata.name/metadata.namespace (upstream's per-kind lists). */
const EXTRA_FIELDS: Record<string, Extra> = {
  '/Pod': podFields,
  '/Event': eventFields,
  'events.k8s.io/Event': eventFields,
  '/Node': (o) => ({ 'spec.unschedulable': String(rec(o.spec).unschedulable === true) }),
  '/Namespace': (o) => ({ 'status.phase': str(rec(o.status).phase) }),
  '/Secret': (o) => ({ type: str(o.type) }),
  '/ReplicationController': (o) => ({ 'status.replicas': str(rec(o.status).replicas ?? 0) }),
  'apps/ReplicaSet': (o) => ({ 'status.replicas': str(rec(o.status).replicas ?? 0) }),
  'batch/Job': (o) => ({ 'status.successful': str(rec(o.status).succeeded ?? 0) }),
  '/PersistentVolumeClaim': (o) => ({ 'spec.volumeName': str(rec(o.spec).volumeName) }),
  'certificates.k8s.io/CertificateSigningRequest': (o) => ({ 'spec.signerName': str(rec(o.spec).signerName) }),
};

/** The fields an object of this kind exposes to `fieldSelector`. */
export function fieldSetOf(group: string, kind: string, obj: KubeObject, namespaced: boolean): FieldSet {
  const fields: FieldSet = { 'metadata.name': obj.metadata?.name ?? '' };
  if (namespaced) fields['metadata.namespace'] = obj.metadata?.namespace ?? '';
  const extra = EXTRA_FIELDS[`${group}/${kind}`];
  return extra ? { ...fields, ...extra(obj) } : fields;
}

/** Whether `fieldSelector` may name this field for the kind (unsupported ones are a 400). */
export function supportsField(group: string, kind: string, field: string, namespaced: boolean): boolean {
  if (field === 'metadata.name') return true;
  if (field === 'metadata.namespace') return namespaced || true;
  const extra = EXTRA_FIELDS[`${group}/${kind}`];
  return extra ? field in extra({}) : false;
}
