/**
 * Parses a Dockerfile into stages of instructions, following Docker's Dockerfile reference:
 * parser directives at the top (`# escape=` and the ignored `# syntax=`/`# check=`), line
 * continuations with the escape character, comments (also inside a continued instruction), JSON
 * (exec) and shell forms, instruction flags, `ENV`/`LABEL` in both `k=v` and legacy `k v` form,
 * `ARG` before the first FROM (meta args, usable in FROM lines) and per stage.
 *
 * Arguments stay raw here (quotes and `$VAR` intact): variables are expanded when the instruction
 * runs, with the values the build has reached at that point (see `shell-lex.ts`).
 * Unsupported constructs (heredocs, `RUN --mount`, ONBUILD, HEALTHCHECK) are rejected with the line
 * number instead of being ignored, so a build never differs silently from what the file says.
 */
import { splitRawWords } from './shell-lex.ts';

/** A command in exec (JSON array) form or shell form (run through the SHELL, `/bin/sh -c` by default). */
export type CommandForm = { exec: string[] } | { shell: string };

interface Base {
  line: number;
  /** The instruction as written (continuations joined), for `Step n/m : …` output. */
  text: string;
  /** `--name=value` flags; raw values (expanded at build time). */
  flags: Record<string, string>;
}

/** One FROM: the image (raw), and the stage name of `AS name`, lower-cased. */
export type FromInstruction = Base & { kind: 'FROM'; image: string; stageName?: string };
/** One ARG: `name` or `name=default` pairs (raw). */
export type ArgInstruction = Base & { kind: 'ARG'; args: Array<{ name: string; value?: string }> };

/** One parsed instruction. */
export type Instruction =
  | FromInstruction
  | ArgInstruction
  | (Base & { kind: 'COPY' | 'ADD'; args: string[]; json: boolean })
  | (Base & { kind: 'RUN' | 'CMD' | 'ENTRYPOINT'; command: CommandForm })
  | (Base & { kind: 'ENV' | 'LABEL'; pairs: Array<[string, string]> })
  | (Base & { kind: 'WORKDIR' | 'USER' | 'STOPSIGNAL'; value: string })
  | (Base & { kind: 'EXPOSE' | 'VOLUME'; args: string[]; json: boolean })
  | (Base & { kind: 'SHELL'; shell: string[] });

/** One build stage: its FROM and what follows up to the next FROM. */
export interface Stage {
  index: number;
  name?: string;
  from: FromInstruction;
  instructions: Instruction[];
}

/** A parsed Dockerfile. */
export interface Dockerfile {
  /** The escape character (`\` or `` ` ``). */
  escape: string;
  /** ARGs before the first FROM. */
  metaArgs: ArgInstruction[];
  stages: Stage[];
}

/** Which flags each instruction takes; instructions not listed take none. */
const FLAGS: Record<string, readonly string[]> = { FROM: ['platform'], COPY: ['from', 'chown', 'chmod'], ADD: ['chown', 'chmod'], RUN: [] };
const UNSUPPORTED = new Set(['ONBUILD', 'HEALTHCHECK', 'MAINTAINER']);
const STAGE_NAME = /^[a-z][a-z0-9._-]*$/;

interface LogicalLine {
  text: string;
  line: number;
}

/** Reads the parser directives at the top; returns the escape character and where instructions start. */
function directives(lines: string[]): { escape: string; first: number } {
  let escape = '\\';
  const seen = new Set<string>();
  let i = 0;
  for (; i < lines.length; i++) {
    const m = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.*?)\s*$/.exec(lines[i] as string);
    const name = m?.[1]?.toLowerCase();
    if (!m || !name || !['escape', 'syntax', 'check'].includes(name)) break;
    if (seen.has(name)) throw new Error(`Dockerfile line ${i + 1}: only one ${name} parser directive can be used`);
    seen.add(name);
    if (name === 'escape') {
      if (m[2] !== '\\' && m[2] !== '`') throw new Error(`Dockerfile line ${i + 1}: invalid escape token '${m[2]}' does not match ` + '` or \\');
      escape = m[2];
    }
  }
  return { escape, first: i };
}

/** Joins continuation lines and drops comments and blank lines, as Docker's parser does. */
function logicalLines(lines: string[], first: number, escape: string): LogicalLine[] {
  const out: LogicalLine[] = [];
  const continuation = new RegExp(`${escape === '\\' ? '\\\\' : '`'}[ \\t]*$`);
  let current: LogicalLine | undefined;
  for (let i = first; i < lines.length; i++) {
    const raw = lines[i] as string;
    const trimmed = raw.trimStart();
    if (trimmed.startsWith('#')) continue;
    if (!current) {
      if (trimmed === '') continue;
      current = { text: '', line: i + 1 };
    } else if (trimmed === '') {
      continue; // empty continuation lines are skipped (Docker warns about them)
    }
    const piece = current.text === '' ? trimmed : raw;
    if (continuation.test(piece)) {
      current.text += piece.replace(continuation, '');
      continue;
    }
    current.text += piece;
    out.push({ ...current, text: current.text.trim() });
    current = undefined;
  }
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

/** Splits leading `--name=value` flags off the arguments. */
function takeFlags(keyword: string, rest: string, where: string): { flags: Record<string, string>; rest: string } {
  const allowed = FLAGS[keyword];
  const flags: Record<string, string> = {};
  if (!allowed) return { flags, rest };
  let remaining = rest;
  for (;;) {
    const m = /^--([a-zA-Z][a-zA-Z0-9-]*)(?:=(\S*))?(?:\s+|$)/.exec(remaining);
    if (!m) return { flags, rest: remaining };
    const name = m[1] as string;
    if (keyword === 'RUN') throw new Error(`${where}: RUN --${name} is not supported`);
    if (!allowed.includes(name)) throw new Error(`${where}: unknown flag: ${name} (${keyword} takes ${allowed.map((f) => `--${f}`).join(', ')})`);
    if (m[2] === undefined || m[2] === '') throw new Error(`${where}: --${name} needs a value (--${name}=…)`);
    flags[name] = m[2];
    remaining = remaining.slice(m[0].length);
  }
}

/** ENV and LABEL: `k=v k2="v 2"` pairs, or the legacy `k value with spaces`. */
function nameValuePairs(keyword: string, rest: string, escape: string, where: string): Array<[string, string]> {
  const words = splitRawWords(rest, escape);
  const first = words[0];
  if (first === undefined) throw new Error(`${where}: ${keyword} requires at least one argument`);
  if (!first.includes('=')) {
    const m = /^(\S+)\s+(.*)$/s.exec(rest);
    if (!m) throw new Error(`${where}: ${keyword} ${first} needs a value (${keyword} name=value)`);
    return [[m[1] as string, (m[2] as string).trim()]];
  }
  return words.map((w) => {
    const eq = w.indexOf('=');
    if (eq < 0) throw new Error(`${where}: syntax error - can't find = in ${JSON.stringify(w)}; must be of the form name=value`);
    if (eq === 0) throw new Error(`${where}: ${keyword} names can not be blank`);
    return [w.slice(0, eq), w.slice(eq + 1)];
  });
}

function argPairs(rest: string, escape: string, where: string): Array<{ name: string; value?: string }> {
  const words = splitRawWords(rest, escape);
  if (words.length === 0) throw new Error(`${where}: ARG requires at least one argument (ARG name[=default])`);
  return words.map((w) => {
    const eq = w.indexOf('=');
    const name = eq < 0 ? w : w.slice(0, eq);
    if (name === '') throw new Error(`${where}: ARG names can not be blank`);
    return eq < 0 ? { name } : { name, value: w.slice(eq + 1) };
  });
}

function fromInstruction(base: Base, rest: string, escape: string, where: string): FromInstruction {
  const words = splitRawWords(rest, escape);
  if (words.length === 3 && words[1]?.toLowerCase() === 'as') {
    const stageName = (words[2] as string).toLowerCase();
    if (!STAGE_NAME.test(stageName)) throw new Error(`${where}: invalid name for build stage: ${JSON.stringify(words[2])}, name can't start with a number or contain symbols`);
    return { ...base, kind: 'FROM', image: words[0] as string, stageName };
  }
  if (words.length !== 1) throw new Error(`${where}: FROM requires either one or three arguments (FROM image [AS name])`);
  return { ...base, kind: 'FROM', image: words[0] as string };
}

/** Parses one logical line. */
function parseInstruction({ text, line }: LogicalLine, escape: string): Instruction {
  const where = `Dockerfile line ${line}`;
  const m = /^(\S+)\s*(.*)$/s.exec(text);
  const keyword = (m?.[1] ?? '').toUpperCase();
  if (UNSUPPORTED.has(keyword)) throw new Error(`${where}: ${keyword} is not supported by minato image build`);
  const { flags, rest } = takeFlags(keyword, (m?.[2] ?? '').trim(), where);
  const base: Base = { line, text, flags };
  if (/^<<-?["']?[A-Za-z_]/.test(rest) && ['RUN', 'COPY', 'ADD'].includes(keyword)) throw new Error(`${where}: heredocs are not supported`);
  const needArgs = (): void => {
    if (rest === '') throw new Error(`${where}: ${keyword} requires at least one argument`);
  };
  switch (keyword) {
    case 'FROM':
      return fromInstruction(base, rest, escape, where);
    case 'ARG':
      return { ...base, kind: 'ARG', args: argPairs(rest, escape, where) };
    case 'COPY':
    case 'ADD': {
      const json = jsonArray(rest);
      const args = json ?? splitRawWords(rest, escape);
      if (args.length < 2) throw new Error(`${where}: ${keyword} requires at least two arguments (source and destination)`);
      return { ...base, kind: keyword, args, json: json !== undefined };
    }
    case 'RUN':
    case 'CMD':
    case 'ENTRYPOINT': {
      if (keyword === 'RUN') needArgs();
      const exec = jsonArray(rest);
      return { ...base, kind: keyword, command: exec ? { exec } : { shell: rest } };
    }
    case 'ENV':
    case 'LABEL':
      return { ...base, kind: keyword, pairs: nameValuePairs(keyword, rest, escape, where) };
    case 'WORKDIR':
    case 'USER':
    case 'STOPSIGNAL':
      needArgs();
      return { ...base, kind: keyword, value: rest };
    case 'EXPOSE':
    case 'VOLUME': {
      needArgs();
      const json = keyword === 'VOLUME' ? jsonArray(rest) : undefined;
      return { ...base, kind: keyword, args: json ?? splitRawWords(rest, escape), json: json !== undefined };
    }
    case 'SHELL': {
      const shell = jsonArray(rest);
      if (!shell || shell.length === 0) throw new Error(`${where}: SHELL requires the arguments to be in JSON form, e.g. SHELL ["/bin/sh", "-c"]`);
      return { ...base, kind: 'SHELL', shell };
    }
    default:
      throw new Error(`${where}: unknown instruction: ${m?.[1] ?? text}`);
  }
}

/** Parses Dockerfile text into meta args and stages; throws with the line number on any error. */
export function parseDockerfile(text: string): Dockerfile {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const { escape, first } = directives(lines);
  const metaArgs: ArgInstruction[] = [];
  const stages: Stage[] = [];
  for (const logical of logicalLines(lines, first, escape)) {
    const ins = parseInstruction(logical, escape);
    const stage = stages[stages.length - 1];
    if (ins.kind === 'FROM') {
      if (ins.stageName && stages.some((s) => s.name === ins.stageName)) {
        throw new Error(`Dockerfile line ${ins.line}: duplicate stage name ${JSON.stringify(ins.stageName)}`);
      }
      stages.push({ index: stages.length, name: ins.stageName, from: ins, instructions: [] });
    } else if (stage) {
      stage.instructions.push(ins);
    } else if (ins.kind === 'ARG') {
      metaArgs.push(ins);
    } else {
      throw new Error(`Dockerfile line ${ins.line}: ${ins.kind} before the first FROM (only ARG may come before FROM)`);
    }
  }
  if (stages.length === 0) throw new Error('Dockerfile has no FROM instruction');
  return { escape, metaArgs, stages };
}
