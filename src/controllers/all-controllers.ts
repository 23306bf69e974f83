import type { ControllerFactory } from './controller-context.ts';
import { createHpaController } from './hpa/hpa-controller.ts';
import { createDisruptionController } from './disruption/disruption-controller.ts';
import { createResourceQuotaController } from './resourcequota/resourcequota-controller.ts';
import { createNodeLifecycleController } from './nodelifecycle/node-lifecycle-controller.ts';

/**
 * Every controller the controller manager runs, by name. One line per controller; each lives in
 * its own folder under src/controllers/.
 */
export const ALL_CONTROLLERS: Record<string, ControllerFactory> = {
  hpa: createHpaController,
  disruption: createDisruptionController,
  resourcequota: createResourceQuotaController,
  nodelifecycle: createNodeLifecycleController,
};
