/**
 * The instructions that only change the image config or the build's variables: ENV, LABEL, ARG,
 * CMD, ENTRYPOINT, EXPOSE, USER, SHELL, STOPSIGNAL, VOLUME (and WORKDIR's config half). Variables
 * follow Docker: ENV values (the base image's included) override ARGs of the same name; an ARG's
 * value is the `--build-arg`, else its default, else — for `ARG name` without default — the value
 * of the meta ARG of that name. ARG values are visible to later instructions and to RUN's
 * environment, but not written to the image config.
 */
import { posix } from 'node:path';
import type { CommandForm, Instruction } from './dockerfile-parser.ts';
import { PROXY_ARGS } from './stage-plan.ts';
import type { StageState } from './stage-state.ts';
import { expandWord, expandWords, type VariableLookup } from './shell-lex.ts';

/** Where ARG values come from, shared by every stage of one build. */
export interface ArgSources {
  buildArgs: ReadonlyMap<string, string>;
  /** Build-args some ARG used; the rest are reported as unused. */
  consumed: Set<string>;
  metaArgs: ReadonlyMap<string, string | undefined>;
  escape: string;
}

/** PATH Docker gives an image whose config has no Env. */
export const DEFAULT_ENV: readonly string[] = ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'];
const DEFAULT_SHELL: readonly string[] = ['/bin/sh', '-c'];

function envValue(env: readonly string[] | null | undefined, name: string): string | undefined {
  const entry = env?.find((e) => e.startsWith(`${name}=`));
  return entry === undefined ? undefined : entry.slice(name.length + 1);
}

/** The variables a stage's instructions see: its ENV first, then its ARGs. */
export function variableLookup(s: StageState): VariableLookup {
  return (name) => envValue(s.config.Env, name) ?? s.args.get(name);
}

/** RUN's environment: the config's Env plus every ARG with a value that no ENV overrides. */
export function runEnvironment(s: StageState, args: ArgSources): string[] {
  const env = [...(s.config.Env ?? DEFAULT_ENV)];
  const add = (name: string, value: string | undefined): void => {
    if (value !== undefined && envValue(env, name) === undefined) env.push(`${name}=${value}`);
  };
  for (const [name, value] of s.args) add(name, value);
  for (const name of PROXY_ARGS) add(name, args.buildArgs.get(name));
  return env;
}

/** The argv of a command form: shell form runs through the stage's SHELL (`/bin/sh -c`). */
export function commandArgv(c: CommandForm, s: StageState): string[] {
  return 'exec' in c ? c.exec : [...(s.config.Shell ?? DEFAULT_SHELL), c.shell];
}

function setEnv(s: StageState, name: string, value: string): void {
  const env = [...(s.config.Env ?? DEFAULT_ENV)];
  const i = env.findIndex((e) => e.startsWith(`${name}=`));
  if (i >= 0) env[i] = `${name}=${value}`;
  else env.push(`${name}=${value}`);
  s.config.Env = env;
}

function declareArgs(ins: Extract<Instruction, { kind: 'ARG' }>, s: StageState, a: ArgSources): void {
  for (const { name, value } of ins.args) {
    let v: string | undefined;
    if (a.buildArgs.has(name)) {
      a.consumed.add(name);
      v = a.buildArgs.get(name);
    } else if (value !== undefined) {
      v = expandWord(value, variableLookup(s), a.escape);
    } else {
      v = a.metaArgs.get(name);
    }
    s.args.set(name, v);
  }
}

function exposedPort(p: string, line: number): string {
  if (!/^\d+(-\d+)?(\/(tcp|udp|sctp))?$/i.test(p)) throw new Error(`Dockerfile line ${line}: invalid port ${JSON.stringify(p)} (EXPOSE port[/tcp|udp|sctp])`);
  return p.includes('/') ? p.toLowerCase() : `${p}/tcp`;
}

/** The new WORKDIR: absolute, or relative to the current one; variables expanded. */
export function workdirOf(value: string, s: StageState, a: ArgSources): string {
  return posix.resolve(s.config.WorkingDir || '/', expandWord(value, variableLookup(s), a.escape));
}

/**
 * Applies a config-only instruction to the stage; returns the text that identifies its effect
 * (after substitution) for the build cache. Throws for an instruction that changes files.
 */
export function applyConfigInstruction(ins: Instruction, s: StageState, a: ArgSources): string {
  const c = s.config;
  const word = (w: string): string => expandWord(w, variableLookup(s), a.escape);
  const words = (ws: string[], json: boolean): string[] => (json ? ws.map(word) : ws.flatMap((w) => expandWords(w, variableLookup(s), a.escape)));
  switch (ins.kind) {
    case 'ENV':
    case 'LABEL': {
      // Every pair is expanded with the values from before this instruction, as Docker does.
      const pairs = ins.pairs.map(([k, v]) => [word(k), word(v)] as const);
      for (const [k, v] of pairs) {
        if (ins.kind === 'ENV') setEnv(s, k, v);
        else c.Labels = { ...(c.Labels ?? {}), [k]: v };
      }
      return JSON.stringify([ins.kind, pairs]);
    }
    case 'ARG':
      declareArgs(ins, s, a);
      // The value is not part of the key: steps that use it (RUN's environment, expansions) are.
      return JSON.stringify(['ARG', ins.args]);
    case 'CMD':
      c.Cmd = commandArgv(ins.command, s);
      s.cmdSet = true;
      return JSON.stringify(['CMD', c.Cmd]);
    case 'ENTRYPOINT':
      c.Entrypoint = commandArgv(ins.command, s);
      if (!s.cmdSet) c.Cmd = null; // an inherited CMD does not survive a new ENTRYPOINT
      return JSON.stringify(['ENTRYPOINT', c.Entrypoint]);
    case 'EXPOSE': {
      const ports = words(ins.args, false).map((p) => exposedPort(p, ins.line));
      c.ExposedPorts = { ...(c.ExposedPorts ?? {}), ...Object.fromEntries(ports.map((p) => [p, {}])) };
      return JSON.stringify(['EXPOSE', ports]);
    }
    case 'VOLUME': {
      const paths = words(ins.args, ins.json);
      c.Volumes = { ...(c.Volumes ?? {}), ...Object.fromEntries(paths.map((p) => [p, {}])) };
      return JSON.stringify(['VOLUME', paths]);
    }
    case 'USER':
      c.User = word(ins.value);
      return JSON.stringify(['USER', c.User]);
    case 'STOPSIGNAL':
      c.StopSignal = word(ins.value);
      return JSON.stringify(['STOPSIGNAL', c.StopSignal]);
    case 'SHELL':
      c.Shell = ins.shell;
      return JSON.stringify(['SHELL', ins.shell]);
    default:
      throw new Error(`${ins.kind} is not a config-only instruction`);
  }
}
