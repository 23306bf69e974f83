import type { LabelSelector as LabelSelectorObject } from 'kubernetes-types/meta/v1.js';

export type Requirement =
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'doesnotexist' };

/** A parsed label selector: every requirement must hold (comma means AND). */
export interface LabelSelector {
  requirements: Requirement[];
  matches(labels: Record<string, string> | undefined): boolean;
  /** True when it selects everything. */
  empty: boolean;
}

export class SelectorParseError extends Error {}

const KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function fromRequirements(requirements: Requirement[]): LabelSelector {
  return {
    requirements,
    empty: requirements.length === 0,
    matches(labels) {
      const l = labels ?? {};
      return requirements.every((r) => matchRequirement(r, l));
    },
  };
}

function matchRequirement(r: Requirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  switch (r.op) {
    case 'exists':
      return has;
    case 'doesnotexist':
      return !has;
    case 'in':
      return has && r.values.includes(labels[r.key] as string);
    case 'notin':
      return !has || !r.values.includes(labels[r.key] as string);
  }
}

/** Splits on commas that are not inside parentheses. */
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms.map((t) => t.trim()).filter((t) => t !== '');
}

function checkKey(key: string): string {
  if (!KEY.test(key)) throw new SelectorParseError(`invalid label key "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`);
  return key;
}

function checkValue(value: string): string {
  if (value.length > 63 || !VALUE.test(value)) throw new SelectorParseError(`invalid label value: "${value}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`);
  return value;
}

function parseTerm(term: string): Requirement {
  const setMatch = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(term);
  if (setMatch) {
    const values = (setMatch[3] ?? '').split(',').map((v) => checkValue(v.trim()));
    return { key: checkKey(setMatch[1] as string), op: setMatch[2] as 'in' | 'notin', values };
  }
  const eq = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
  if (eq) {
    const key = checkKey(eq[1] as string);
    const value = checkValue(eq[3] as string);
    return { key, op: eq[2] === '!=' ? 'notin' : 'in', values: [value] };
  }
  if (term.startsWith('!')) return { key: checkKey(term.slice(1).trim()), op: 'doesnotexist' };
  return { key: checkKey(term), op: 'exists' };
}

/** Parses the `labelSelector` query syntax: `a=b`, `a==b`, `a!=b`, `a`, `!a`, `a in (x,y)`, `a notin (x)`. */
export function parseLabelSelector(text: string | undefined): LabelSelector {
  if (!text || text.trim() === '') return fromRequirements([]);
  return fromRequirements(splitTerms(text).map(parseTerm));
}

/**
 * Converts a `metav1.LabelSelector` object (matchLabels + matchExpressions) into a selector.
 * Per upstream, a nil selector matches nothing and an empty one matches everything; callers decide
 * which applies, this function treats undefined as "everything".
 */
export function labelSelectorFromObject(sel: LabelSelectorObject | undefined): LabelSelector {
  const reqs: Requirement[] = [];
  for (const [key, value] of Object.entries(sel?.matchLabels ?? {})) reqs.push({ key, op: 'in', values: [value] });
  for (const e of sel?.matchExpressions ?? []) {
    const op = e.operator.toLowerCase();
    if (op === 'in' || op === 'notin') reqs.push({ key: e.key, op, values: e.values ?? [] });
    else if (op === 'exists' || op === 'doesnotexist') reqs.push({ key: e.key, op });
    else throw new SelectorParseError(`"${e.operator}" is not a valid label selector operator`);
  }
  return fromRequirements(reqs);
}

/** Renders a selector object as query text (`app=web,tier in (a,b)`), as kubectl and Scale status print it. */
export function formatLabelSelector(sel: LabelSelectorObject | undefined): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(sel?.matchLabels ?? {})) parts.push(`${k}=${v}`);
  for (const e of sel?.matchExpressions ?? []) {
    const op = e.operator.toLowerCase();
    if (op === 'exists') parts.push(e.key);
    else if (op === 'doesnotexist') parts.push(`!${e.key}`);
    else parts.push(`${e.key} ${op} (${(e.values ?? []).join(',')})`);
  }
  return parts.join(',');
}

/** Whether `labels` satisfy a `metav1.LabelSelector` object; a selector with an unknown operator matches nothing. */
export function labelSelectorMatches(sel: LabelSelectorObject, labels: Record<string, string> | undefined): boolean {
  try {
    return labelSelectorFromObject(sel).matches(labels);
  } catch (err) {
    if (err instanceof SelectorParseError) return false;
    throw err;
  }
}
