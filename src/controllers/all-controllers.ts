import type { ControllerFactory } from './controller-context.ts';
import { createDaemonSetController } from './daemonset/daemonset-controller.ts';
import { createVolumeBinderController } from './volume-binder/volume-binder-controller.ts';
import { createStatefulSetController } from './statefulset/statefulset-controller.ts';
import { createReplicaSetController } from './replicaset/replicaset-controller.ts';
import { createDeploymentController } from './deployment/deployment-controller.ts';
import { createHpaController } from './hpa/hpa-controller.ts';
import { createDisruptionController } from './disruption/disruption-controller.ts';
import { createResourceQuotaController } from './resourcequota/resourcequota-controller.ts';
import { createNodeLifecycleController } from './nodelifecycle/node-lifecycle-controller.ts';
import { createJobController } from './job/job-controller.ts';
import { createCronJobController } from './cronjob/cronjob-controller.ts';
import { createGarbageCollector } from './garbage-collector/garbage-collector.ts';
import { createNamespaceController } from './namespace/namespace-controller.ts';
import { createServiceAccountController } from './serviceaccount/serviceaccount-controller.ts';
import { createEndpointsController } from './endpoints/endpoints-controller.ts';
import { createEndpointSliceController } from './endpointslice/endpointslice-controller.ts';
import { createServiceLbController } from './service-lb/service-lb-controller.ts';

/**
 * Every controller the controller manager runs, by name. One line per controller; each lives in
 * its own folder under src/controllers/.
 */
export const ALL_CONTROLLERS: Record<string, ControllerFactory> = {
  daemonset: createDaemonSetController,
  volumebinder: createVolumeBinderController,
  statefulset: createStatefulSetController,
  replicaset: createReplicaSetController,
  deployment: createDeploymentController,
  hpa: createHpaController,
  disruption: createDisruptionController,
  resourcequota: createResourceQuotaController,
  nodelifecycle: createNodeLifecycleController,
  job: createJobController,
  cronjob: createCronJobController,
  garbagecollector: createGarbageCollector,
  namespace: createNamespaceController,
  serviceaccount: createServiceAccountController,
  endpoints: createEndpointsController,
  endpointslice: createEndpointSliceController,
  servicelb: (ctx) => createServiceLbController(ctx),
};
