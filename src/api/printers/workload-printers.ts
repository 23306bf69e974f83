import type { DaemonSet, Deployment, ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { ControllerRevision } from 'kubernetes-types/apps/v1.js';
import type { PodTemplate, ReplicationController } from 'kubernetes-types/core/v1.js';
import type { TablePrinter } from '../resource-definition.ts';
import { ageColumn, column, containerColumns, nameColumn, wideColumn } from './columns.ts';
import { ageOf, asKind, controllerOf, formatLabelSelector, formatLabels, labelSelectorString, layoutContainerCells, nameOf } from './format.ts';
import { parseApiVersion } from '../types.ts';

const SELECTOR_DESCRIPTION = 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.';

/** Deployments: NAME READY UP-TO-DATE AVAILABLE AGE, wide CONTAINERS IMAGES SELECTOR. */
export const deploymentPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Ready', 'Number of the pod with ready state'),
    column('Up-to-date', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
    column('Available', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    ageColumn(),
    ...containerColumns(),
    wideColumn('Selector', SELECTOR_DESCRIPTION),
  ],
  cells(obj, now) {
    const d = asKind<Deployment>(obj);
    let selector: string;
    try {
      selector = labelSelectorString(d.spec?.selector);
    } catch {
      selector = '<invalid>';
    }
    const [names, images] = layoutContainerCells(d.spec?.template?.spec?.containers);
    const ready = `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 0}`;
    return [nameOf(d), ready, d.status?.updatedReplicas ?? 0, d.status?.availableReplicas ?? 0, ageOf(d, now), names, images, selector];
  },
};

/** ReplicaSets: NAME DESIRED CURRENT READY AGE, wide CONTAINERS IMAGES SELECTOR. */
export const replicaSetPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Desired', 'Replicas is the number of desired replicas.', { type: 'integer' }),
    column('Current', 'Replicas is the most recently observed number of replicas.', { type: 'integer' }),
    column('Ready', 'The number of ready replicas for this replica set.', { type: 'integer' }),
    ageColumn(),
    ...containerColumns(),
    wideColumn('Selector', 'Selector is a label query over pods that should match the replica count.'),
  ],
  cells(obj, now) {
    const rs = asKind<ReplicaSet>(obj);
    const [names, images] = layoutContainerCells(rs.spec?.template?.spec?.containers);
    const status = rs.status;
    return [nameOf(rs), rs.spec?.replicas ?? 0, status?.replicas ?? 0, status?.readyReplicas ?? 0, ageOf(rs, now), names, images, formatLabelSelector(rs.spec?.selector)];
  },
};

/** ReplicationControllers: like ReplicaSets, with a map selector. */
export const replicationControllerPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Desired', 'Replicas is the number of desired replicas.', { type: 'integer' }),
    column('Current', 'Replicas is the most recently observed number of replicas.', { type: 'integer' }),
    column('Ready', 'The number of ready replicas for this replication controller.', { type: 'integer' }),
    ageColumn(),
    ...containerColumns(),
    wideColumn('Selector', 'Selector is a label query over pods that should match the Replicas count.'),
  ],
  cells(obj, now) {
    const rc = asKind<ReplicationController>(obj);
    const [names, images] = layoutContainerCells(rc.spec?.template?.spec?.containers);
    const status = rc.status;
    return [nameOf(rc), rc.spec?.replicas ?? 0, status?.replicas ?? 0, status?.readyReplicas ?? 0, ageOf(rc, now), names, images, formatLabels(rc.spec?.selector)];
  },
};

/** StatefulSets: NAME READY AGE, wide CONTAINERS IMAGES. */
export const statefulSetPrinter: TablePrinter = {
  columns: [nameColumn(), column('Ready', 'Number of the pod with ready state'), ageColumn(), ...containerColumns()],
  cells(obj, now) {
    const sts = asKind<StatefulSet>(obj);
    const [names, images] = layoutContainerCells(sts.spec?.template?.spec?.containers);
    return [nameOf(sts), `${sts.status?.readyReplicas ?? 0}/${sts.spec?.replicas ?? 0}`, ageOf(sts, now), names, images];
  },
};

/** DaemonSets: NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE, wide CONTAINERS IMAGES SELECTOR. */
export const daemonSetPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Desired', 'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod).', { type: 'integer' }),
    column('Current', 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.', { type: 'integer' }),
    column('Ready', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.', { type: 'integer' }),
    column('Up-to-date', 'The total number of nodes that are running updated daemon pod', { type: 'integer' }),
    column('Available', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)', { type: 'integer' }),
    column('Node Selector', "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node."),
    ageColumn(),
    ...containerColumns(),
    wideColumn('Selector', 'A label query over pods that are managed by the daemon set. Must match in order to be controlled.'),
  ],
  cells(obj, now) {
    const ds = asKind<DaemonSet>(obj);
    const s = ds.status;
    const template = ds.spec?.template?.spec;
    const [names, images] = layoutContainerCells(template?.containers);
    return [
      nameOf(ds),
      s?.desiredNumberScheduled ?? 0,
      s?.currentNumberScheduled ?? 0,
      s?.numberReady ?? 0,
      s?.updatedNumberScheduled ?? 0,
      s?.numberAvailable ?? 0,
      formatLabels(template?.nodeSelector),
      ageOf(ds, now),
      names,
      images,
      formatLabelSelector(ds.spec?.selector),
    ];
  },
};

/** `kind.group/name` in lower case (`statefulset.apps/web`), as upstream's `formatResourceName`. */
function controllerName(apiVersion: string, kind: string, name: string): string {
  const { group } = parseApiVersion(apiVersion);
  if (kind === '' && group === '') return name;
  const groupKind = group === '' ? kind : `${kind}.${group}`;
  return `${groupKind.toLowerCase()}/${name}`;
}

/** ControllerRevisions: NAME CONTROLLER REVISION AGE. */
export const controllerRevisionPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Controller', 'Controller of the object'),
    column('Revision', 'Revision indicates the revision of the state represented by Data.'),
    ageColumn(),
  ],
  cells(obj, now) {
    const cr = asKind<ControllerRevision>(obj);
    const ref = controllerOf(cr.metadata);
    const controller = ref ? controllerName(ref.apiVersion, ref.kind, ref.name) : '<none>';
    return [nameOf(cr), controller, cr.revision ?? 0, ageOf(cr, now)];
  },
};

/** PodTemplates: NAME CONTAINERS IMAGES POD LABELS. */
export const podTemplatePrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Containers', 'Names of each container in the template.'),
    column('Images', 'Images referenced by each container in the template.'),
    column('Pod Labels', 'The labels for the pod template.'),
  ],
  cells(obj) {
    const pt = asKind<PodTemplate>(obj);
    const [names, images] = layoutContainerCells(pt.template?.spec?.containers);
    return [nameOf(pt), names, images, formatLabels(pt.template?.metadata?.labels)];
  },
};
