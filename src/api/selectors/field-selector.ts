import { SelectorParseError } from './label-selector.ts';

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

export interface FieldSelector {
  requirements: FieldRequirement[];
  empty: boolean;
  matches(fields: Record<string, string>): boolean;
  /** The value required for `field` by an `=` term, if any (lets the server narrow a list to one key). */
  exact(field: string): string | undefined;
}

/** Parses `fieldSelector` text: comma-separated `f=v`, `f==v`, `f!=v` terms (backslash escapes allowed). */
export function parseFieldSelector(text: string | undefined): FieldSelector {
  const requirements: FieldRequirement[] = [];
  for (const term of splitUnescaped(text ?? '', ',')) {
    if (term.trim() === '') continue;
    const m = /^([^=!]+)(==|=|!=)(.*)$/s.exec(term);
    if (!m) throw new SelectorParseError(`invalid selector: '${text}'; can't understand '${term}'`);
    requirements.push({ field: (m[1] as string).trim(), op: m[2] === '!=' ? '!=' : '=', value: unescape((m[3] as string).trim()) });
  }
  return {
    requirements,
    empty: requirements.length === 0,
    matches(fields) {
      return requirements.every((r) => ((fields[r.field] ?? '') === r.value) === (r.op === '='));
    },
    exact(field) {
      return requirements.find((r) => r.field === field && r.op === '=')?.value;
    },
  };
}

function splitUnescaped(text: string, sep: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\\' && i + 1 < text.length) {
      current += c + (text[i + 1] as string);
      i++;
    } else if (c === sep) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts;
}

function unescape(v: string): string {
  return v.replace(/\\(.)/g, '$1');
}
