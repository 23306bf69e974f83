import type { HPAScalingRules, HorizontalPodAutoscalerBehavior } from 'kubernetes-types/autoscaling/v2.js';

/** A recommendation or a scale change, with when it happened. */
interface Timed {
  at: number;
  value: number;
}

/** The outcome of normalization: replicas plus the AbleToScale and ScalingLimited explanations. */
export interface Normalized {
  replicas: number;
  stabilized: { reason: string; message: string };
  limited: { status: 'True' | 'False'; reason: string; message: string };
}

const WITHIN_RANGE = { reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };
const READY = { reason: 'ReadyForNewScale', message: 'recommended size matches current size' };
const TOO_FEW = { reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
const TOO_MANY = { reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' };
const UP_LIMIT = { reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' };
const DOWN_LIMIT = { reason: 'ScaleDownLimit', message: 'the desired replica count is decreasing faster than the maximum scale rate' };
const DOWN_STABILIZED = { reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' };
const UP_STABILIZED = { reason: 'ScaleUpStabilized', message: 'recent recommendations were lower than current one, applying the lowest recent recommendation' };

/**
 * Per-autoscaler memory the upstream controller keeps in process: recent recommendations (for the
 * stabilization windows) and recent scale changes (for the rate policies).
 */
export class ScalingHistory {
  private readonly recommendations: Timed[] = [];
  private readonly ups: Timed[] = [];
  private readonly downs: Timed[] = [];

  /** Upstream's normalization without `behavior`: downscale window, then ×2 (min 4) scale-up cap. */
  normalize(now: number, current: number, desired: number, min: number, max: number, downWindowMs: number): Normalized {
    const window = this.recommendations.filter((r) => r.at >= now - downWindowMs);
    const stabilizedTo = Math.max(desired, ...window.map((r) => r.value));
    this.record(now, desired, downWindowMs);
    const stabilized = stabilizedTo !== desired ? DOWN_STABILIZED : READY;
    const upLimit = Math.max(2 * current, 4);
    const [maxAllowed, overMax] = max > upLimit ? [upLimit, UP_LIMIT] : [max, TOO_MANY];
    let replicas = stabilizedTo;
    let why = WITHIN_RANGE;
    if (stabilizedTo < min) [replicas, why] = [min, TOO_FEW];
    else if (stabilizedTo > maxAllowed) [replicas, why] = [maxAllowed, overMax];
    return { replicas, stabilized, limited: { status: replicas === stabilizedTo ? 'False' : 'True', ...why } };
  }

  /** Upstream's normalization with `behavior`: both windows, then the Pods/Percent rate policies. */
  normalizeWithBehavior(now: number, current: number, desired: number, min: number, max: number, behavior: HorizontalPodAutoscalerBehavior, defaultDownWindowMs: number): Normalized {
    const upWindow = (behavior.scaleUp?.stabilizationWindowSeconds ?? 0) * 1000;
    const downWindow = behavior.scaleDown?.stabilizationWindowSeconds !== undefined ? behavior.scaleDown.stabilizationWindowSeconds * 1000 : defaultDownWindowMs;
    let upRec = desired;
    let downRec = desired;
    for (const r of this.recommendations) {
      if (r.at > now - upWindow) upRec = Math.min(upRec, r.value);
      if (r.at > now - downWindow) downRec = Math.max(downRec, r.value);
    }
    const stabilizedTo = Math.min(Math.max(current, upRec), downRec);
    this.record(now, desired, Math.max(upWindow, downWindow));
    const stabilized = stabilizedTo !== desired ? (desired >= current ? UP_STABILIZED : DOWN_STABILIZED) : READY;
    let replicas = stabilizedTo;
    let why = WITHIN_RANGE;
    if (stabilizedTo > current) {
      const limit = Math.max(current, this.upLimit(now, current, behavior.scaleUp));
      const [maxAllowed, overMax] = max > limit ? [limit, UP_LIMIT] : [max, TOO_MANY];
      if (stabilizedTo > maxAllowed) [replicas, why] = [maxAllowed, overMax];
    } else if (stabilizedTo < current) {
      const limit = Math.min(current, this.downLimit(now, current, behavior.scaleDown));
      const [minAllowed, underMin] = min < limit ? [limit, DOWN_LIMIT] : [min, TOO_FEW];
      if (stabilizedTo < minAllowed) [replicas, why] = [minAllowed, underMin];
    }
    return { replicas, stabilized, limited: { status: replicas === stabilizedTo ? 'False' : 'True', ...why } };
  }

  /** Remembers a scale change for the rate policies (only autoscalers with `behavior` use them). */
  recordScale(now: number, from: number, to: number): void {
    const events = to > from ? this.ups : this.downs;
    events.push({ at: now, value: Math.abs(to - from) });
    // Nothing older than an hour (the longest policy period allowed) is ever consulted.
    for (const list of [this.ups, this.downs]) while (list.length && (list[0] as Timed).at < now - 3_600_000) list.shift();
  }

  private record(now: number, value: number, keepMs: number): void {
    this.recommendations.push({ at: now, value });
    while (this.recommendations.length > 1 && (this.recommendations[0] as Timed).at < now - keepMs) this.recommendations.shift();
  }

  private changedWithin(events: Timed[], now: number, periodSeconds: number): number {
    return events.filter((e) => e.at > now - periodSeconds * 1000).reduce((a, e) => a + e.value, 0);
  }

  private periodStart(now: number, current: number, periodSeconds: number): number {
    return current - this.changedWithin(this.ups, now, periodSeconds) + this.changedWithin(this.downs, now, periodSeconds);
  }

  private upLimit(now: number, current: number, rules: HPAScalingRules | undefined): number {
    if (rules?.selectPolicy === 'Disabled') return current;
    const proposals = (rules?.policies ?? []).map((p) => {
      const start = this.periodStart(now, current, p.periodSeconds);
      return p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
    });
    if (proposals.length === 0) return Number.MAX_SAFE_INTEGER;
    return rules?.selectPolicy === 'Min' ? Math.min(...proposals) : Math.max(...proposals);
  }

  private downLimit(now: number, current: number, rules: HPAScalingRules | undefined): number {
    if (rules?.selectPolicy === 'Disabled') return current;
    const proposals = (rules?.policies ?? []).map((p) => {
      const start = this.periodStart(now, current, p.periodSeconds);
      return p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
    });
    if (proposals.length === 0) return Number.MIN_SAFE_INTEGER;
    return rules?.selectPolicy === 'Min' ? Math.max(...proposals) : Math.min(...proposals);
  }
}
