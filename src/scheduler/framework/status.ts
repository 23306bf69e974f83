/**
 * The small status vocabulary every plugin answers with (kube-scheduler's framework codes).
 * `Unschedulable` may be fixed by preemption; `UnschedulableAndUnresolvable` may not; `Skip`
 * from PreFilter means the plugin has nothing to check for this pod.
 */
export type Code = 'Success' | 'Unschedulable' | 'UnschedulableAndUnresolvable' | 'Error' | 'Skip';

export interface Status {
  readonly code: Code;
  /** Human reasons, as they appear in the FailedScheduling message (`Insufficient cpu`). */
  readonly reasons: readonly string[];
  /** The plugin that answered (set by the framework). */
  plugin?: string;
}

const SUCCESS: Status = Object.freeze({ code: 'Success', reasons: [] });
const SKIP: Status = Object.freeze({ code: 'Skip', reasons: [] });

export const success = (): Status => SUCCESS;
export const skip = (): Status => SKIP;
export const unschedulable = (...reasons: string[]): Status => ({ code: 'Unschedulable', reasons });
export const unresolvable = (...reasons: string[]): Status => ({ code: 'UnschedulableAndUnresolvable', reasons });
export const error = (message: string): Status => ({ code: 'Error', reasons: [message] });

export const isSuccess = (s: Status): boolean => s.code === 'Success' || s.code === 'Skip';
export const isRejection = (s: Status): boolean => s.code === 'Unschedulable' || s.code === 'UnschedulableAndUnresolvable';
