import type { LabelSelector } from 'kubernetes-types/meta/v1.js';

/**
 * True when `labels` satisfy a structured metav1.LabelSelector (every matchLabels entry and every
 * matchExpressions requirement). An empty selector matches everything, as upstream's does.
 */
export function labelSelectorMatches(selector: LabelSelector, labels: Record<string, string>): boolean {
  const exact = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  return exact && (selector.matchExpressions ?? []).every((req) => requirementMatches(req.key, req.operator, req.values ?? [], labels));
}

function requirementMatches(key: string, operator: string, values: string[], labels: Record<string, string>): boolean {
  const value = labels[key];
  switch (operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    default:
      return false;
  }
}
