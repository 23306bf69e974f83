/**
 * The subset of Kubernetes JSONPath that CRD `additionalPrinterColumns` use: `.a.b`, `['a.b']`,
 * `[0]`, `[-1]`, `[*]`, `..name`, and filters `[?(@.type=="Ready")]` (==, !=, <, >, <=, >= and
 * a bare `[?(@.x)]` existence test). Missing keys yield no result rather than an error, as the
 * CRD table convertor enables `AllowMissingKeys`.
 */

type Step =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'wildcard' }
  | { kind: 'recursive'; name: string }
  | { kind: 'filter'; path: Step[]; op?: string; literal?: unknown };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseLiteral(text: string): unknown {
  const t = text.trim();
  if ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'"))) return t.slice(1, -1);
  if (t === 'true' || t === 'false') return t === 'true';
  const n = Number(t);
  if (t !== '' && !Number.isNaN(n)) return n;
  throw new Error(`unrecognized literal ${t}`);
}

function parseFilter(body: string): Step {
  const match = /^@((?:\.[^=!<>\s]+)*)\s*(==|!=|<=|>=|<|>)?\s*(.*)$/.exec(body.trim());
  if (!match) throw new Error(`unrecognized filter ${body}`);
  const path = parsePath(match[1] ?? '');
  if (match[2] === undefined) return { kind: 'filter', path };
  return { kind: 'filter', path, op: match[2], literal: parseLiteral(match[3] ?? '') };
}

function closingBracket(text: string, open: number): number {
  let quote: string | undefined;
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '(') depth++;
    else if (c === ']' || c === ')') {
      depth--;
      if (depth === 0 && c === ']') return i;
    }
  }
  throw new Error(`unclosed bracket in ${text}`);
}

function bracketStep(body: string): Step {
  const t = body.trim();
  if (t === '*') return { kind: 'wildcard' };
  if (t.startsWith('?(') && t.endsWith(')')) return parseFilter(t.slice(2, -1));
  if (/^-?\d+$/.test(t)) return { kind: 'index', index: Number(t) };
  const literal = parseLiteral(t);
  if (typeof literal !== 'string') throw new Error(`unsupported subscript ${t}`);
  return { kind: 'field', name: literal };
}

/** Parses `.a.b[0]` (optionally wrapped in `{…}`) into steps; throws on syntax it does not support. */
export function parsePath(expression: string): Step[] {
  let text = expression.trim();
  if (text.startsWith('{') && text.endsWith('}')) text = text.slice(1, -1).trim();
  if (text.startsWith('$')) text = text.slice(1);
  const steps: Step[] = [];
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('..', i)) {
      const name = /^[^.[\]]+/.exec(text.slice(i + 2))?.[0] ?? '';
      steps.push({ kind: 'recursive', name });
      i += 2 + name.length;
    } else if (text[i] === '.') {
      const name = /^[^.[\]]*/.exec(text.slice(i + 1))?.[0] ?? '';
      if (name !== '') steps.push(name === '*' ? { kind: 'wildcard' } : { kind: 'field', name });
      i += 1 + name.length;
    } else if (text[i] === '[') {
      const close = closingBracket(text, i);
      steps.push(bracketStep(text.slice(i + 1, close)));
      i = close + 1;
    } else {
      throw new Error(`unexpected ${text.slice(i)} in JSONPath ${expression}`);
    }
  }
  return steps;
}

function compare(value: unknown, op: string, literal: unknown): boolean {
  if (op === '==') return value === literal;
  if (op === '!=') return value !== literal;
  if (typeof value !== 'number' || typeof literal !== 'number') return false;
  if (op === '<') return value < literal;
  if (op === '>') return value > literal;
  if (op === '<=') return value <= literal;
  return value >= literal;
}

function children(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  return isRecord(value) ? Object.keys(value).sort().map((k) => value[k]) : [];
}

function descendants(value: unknown, name: string): unknown[] {
  const found: unknown[] = isRecord(value) && name in value ? [value[name]] : [];
  for (const child of children(value)) found.push(...descendants(child, name));
  return found;
}

function matchesFilter(item: unknown, step: Extract<Step, { kind: 'filter' }>): boolean {
  const results = evaluate(step.path, item);
  if (step.op === undefined) return results.length > 0;
  return results.some((r) => compare(r, step.op ?? '==', step.literal));
}

function applyStep(step: Step, value: unknown): unknown[] {
  switch (step.kind) {
    case 'field':
      return isRecord(value) && step.name in value ? [value[step.name]] : [];
    case 'index': {
      if (!Array.isArray(value)) return [];
      const i = step.index < 0 ? value.length + step.index : step.index;
      return i >= 0 && i < value.length ? [value[i]] : [];
    }
    case 'wildcard':
      return children(value);
    case 'recursive':
      return descendants(value, step.name);
    case 'filter':
      return children(value).filter((item) => matchesFilter(item, step));
  }
}

/** Every value the steps select from `root`, in document order. */
export function evaluate(steps: Step[], root: unknown): unknown[] {
  let current: unknown[] = [root];
  for (const step of steps) current = current.flatMap((v) => applyStep(step, v));
  return current;
}

export type JsonPath = Step[];
