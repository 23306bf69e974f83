/**
 * Parses the Dockerfile subset `minato image build` supports: FROM, COPY, ADD, RUN, ENV, WORKDIR,
 * ENTRYPOINT, CMD, EXPOSE, USER. Line continuations (`\`) and comments are handled; build args,
 * variable substitution, heredocs and instruction flags (`--chown`, `--from`) are not, and are
 * rejected rather than silently ignored so a build never differs from what the file says.
 */

/** A command in exec (JSON array) form or shell form (run through `/bin/sh -c`). */
export type CommandForm = { exec: string[] } | { shell: string };

/** One parsed instruction. */
export type Instruction =
  | { kind: 'FROM'; image: string; line: number }
  | { kind: 'COPY' | 'ADD'; sources: string[]; dest: string; line: number }
  | { kind: 'RUN' | 'CMD' | 'ENTRYPOINT'; command: CommandForm; line: number }
  | { kind: 'ENV'; vars: Array<[string, string]>; line: number }
  | { kind: 'WORKDIR' | 'USER'; value: string; line: number }
  | { kind: 'EXPOSE'; ports: string[]; line: number };

/** Joins continuation lines, drops comments and blank lines; keeps the first line number of each. */
function logicalLines(text: string): Array<{ text: string; line: number }> {
  const out: Array<{ text: string; line: number }> = [];
  let current: { text: string; line: number } | undefined;
  text.split(/\r?\n/).forEach((raw, i) => {
    const trimmed = raw.trim();
    if (trimmed.startsWith('#')) return; // comments may sit inside a continued instruction
    if (!current) {
      if (trimmed === '') return;
      current = { text: '', line: i + 1 };
    }
    if (trimmed.endsWith('\\')) {
      current.text += `${trimmed.slice(0, -1)} `;
      return;
    }
    current.text += trimmed;
    out.push(current);
    current = undefined;
  });
  if (current && current.text.trim() !== '') out.push({ ...current, text: current.text.trim() });
  return out;
}

/** Parses a JSON string array, or returns undefined when `rest` is not one (then it is shell form). */
function jsonArray(rest: string): string[] | undefined {
  if (!rest.startsWith('[')) return undefined;
  try {
    const v: unknown = JSON.parse(rest);
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  } catch {
    // Docker treats a malformed array as shell form too
  }
  return undefined;
}

/** Splits on whitespace, honouring double and single quotes and backslash escapes (for ENV, COPY). */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < text.length) word += text[++i];
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) throw new Error(`unterminated quote in ${JSON.stringify(text)}`);
  if (inWord) words.push(word);
  return words;
}

function parseEnv(rest: string, where: string): Array<[string, string]> {
  const words = splitWords(rest);
  const first = words[0];
  if (first === undefined) throw new Error(`${where}: ENV needs a variable`);
  if (!first.includes('=')) {
    // legacy form `ENV KEY value with spaces`
    const m = /^(\S+)\s+(.*)$/.exec(rest);
    if (!m) throw new Error(`${where}: ENV ${first} needs a value`);
    return [[m[1] as string, m[2] as string]];
  }
  return words.map((w) => {
    const eq = w.indexOf('=');
    if (eq <= 0) throw new Error(`${where}: ENV expects KEY=value, got ${JSON.stringify(w)}`);
    return [w.slice(0, eq), w.slice(eq + 1)];
  });
}

/** Parses Dockerfile text into instructions; throws with the line number on anything unsupported. */
export function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  for (const { text: l, line } of logicalLines(text)) {
    const m = /^(\S+)\s*(.*)$/s.exec(l);
    const keyword = (m?.[1] ?? '').toUpperCase();
    const rest = (m?.[2] ?? '').trim();
    const where = `Dockerfile line ${line}`;
    if (rest === '') throw new Error(`${where}: ${keyword} needs arguments`);
    switch (keyword) {
      case 'FROM': {
        const words = splitWords(rest);
        if (words.length !== 1 || words[0]?.startsWith('--')) throw new Error(`${where}: only "FROM <image>" is supported`);
        out.push({ kind: 'FROM', image: words[0] as string, line });
        break;
      }
      case 'COPY':
      case 'ADD': {
        const words = jsonArray(rest) ?? splitWords(rest);
        if (words.some((w) => w.startsWith('--'))) throw new Error(`${where}: ${keyword} flags are not supported`);
        if (words.length < 2) throw new Error(`${where}: ${keyword} needs a source and a destination`);
        out.push({ kind: keyword, sources: words.slice(0, -1), dest: words[words.length - 1] as string, line });
        break;
      }
      case 'RUN':
      case 'CMD':
      case 'ENTRYPOINT': {
        if (keyword === 'RUN' && rest.startsWith('--')) throw new Error(`${where}: RUN flags are not supported`);
        const exec = jsonArray(rest);
        out.push({ kind: keyword, command: exec ? { exec } : { shell: rest }, line });
        break;
      }
      case 'ENV':
        out.push({ kind: 'ENV', vars: parseEnv(rest, where), line });
        break;
      case 'WORKDIR':
      case 'USER':
        out.push({ kind: keyword, value: rest, line });
        break;
      case 'EXPOSE':
        out.push({ kind: 'EXPOSE', ports: splitWords(rest).map((p) => (p.includes('/') ? p : `${p}/tcp`)), line });
        break;
      default:
        throw new Error(`${where}: unsupported instruction ${keyword}`);
    }
  }
  if (out[0]?.kind !== 'FROM') throw new Error('Dockerfile must start with FROM');
  if (out.filter((i) => i.kind === 'FROM').length > 1) throw new Error('multi-stage builds are not supported');
  return out;
}

/** The argv of a command form: shell form runs through `/bin/sh -c`, as Docker does. */
export function commandArgv(c: CommandForm): string[] {
  return 'exec' in c ? c.exec : ['/bin/sh', '-c', c.shell];
}
