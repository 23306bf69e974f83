/**
 * Path patterns as Docker uses them for `.dockerignore` and COPY/ADD sources: Go's
 * `filepath.Match` (`*` and `?` stop at `/`, `[...]` classes negated by `^`, `\` escapes) plus
 * `**`, which matches any number of directories (including none). `.dockerignore` rules are
 * cleaned like Go's `filepath.Clean` with a leading `/` dropped; a rule matches a path when it
 * matches the path itself or one of its parent directories, and the last matching rule decides,
 * so a later `!rule` re-includes.
 */
import { posix } from 'node:path';

/** True when `s` contains glob metacharacters (then COPY expands it against the source tree). */
export function hasGlob(s: string): boolean {
  return /[*?[]/.test(s);
}

function classToRegExp(pattern: string, start: number): { source: string; end: number } {
  let i = start + 1;
  let body = '';
  if (pattern[i] === '^') {
    body = '^';
    i++;
  }
  const first = i;
  for (; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === ']' && i > first) return { source: `[${body}]`, end: i };
    if (c === '\\') {
      const next = pattern[++i];
      if (next === undefined) break;
      body += `\\${next}`;
    } else if (c === '/') {
      break;
    } else {
      body += c === '[' || c === ']' || c === '^' ? `\\${c}` : c;
    }
  }
  throw new Error(`syntax error in pattern ${JSON.stringify(pattern)}: unterminated [`);
}

/** Translates one pattern to an anchored regular expression. */
export function patternToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*' && pattern[i + 1] === '*') {
      i++;
      if (pattern[i + 1] === '/') {
        i++;
        re += '(?:.*/)?';
      } else {
        re += '.*';
      }
    } else if (c === '*') {
      re += '[^/]*';
    } else if (c === '?') {
      re += '[^/]';
    } else if (c === '[') {
      const cls = classToRegExp(pattern, i);
      re += cls.source;
      i = cls.end;
    } else if (c === '\\') {
      const next = pattern[++i];
      if (next === undefined) throw new Error(`syntax error in pattern ${JSON.stringify(pattern)}: trailing \\`);
      re += next.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else {
      re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  return new RegExp(`^${re}$`);
}

/** Go's filepath.Clean for slash paths, with the leading `/` dropped (patterns are context-relative). */
export function cleanRelative(path: string): string {
  const cleaned = posix.normalize(`/${path}`).replace(/\/+$/, '');
  return cleaned.replace(/^\/+/, '') || '.';
}

interface IgnoreRule {
  pattern: string;
  regexp: RegExp;
  exception: boolean;
}

/** The rules of a `.dockerignore` file. */
export class IgnoreRules {
  private constructor(private readonly rules: IgnoreRule[]) {}

  /** Parses `.dockerignore` text; throws for a bare `!` or a malformed pattern. */
  static parse(text: string): IgnoreRules {
    const rules: IgnoreRule[] = [];
    for (const raw of text.split(/\r?\n/)) {
      let line = raw.trim();
      if (line === '' || line.startsWith('#')) continue;
      const exception = line.startsWith('!');
      if (exception) {
        line = line.slice(1).trim();
        if (line === '') throw new Error('.dockerignore: illegal exclusion pattern: "!"');
      }
      const pattern = cleanRelative(line);
      if (pattern === '.') continue;
      rules.push({ pattern, regexp: patternToRegExp(pattern), exception });
    }
    return new IgnoreRules(rules);
  }

  static none(): IgnoreRules {
    return new IgnoreRules([]);
  }

  /** Whether some rule re-includes paths (then an excluded directory must still be walked). */
  get hasExceptions(): boolean {
    return this.rules.some((r) => r.exception);
  }

  /** Whether `path` (context-relative, `/`-separated) is excluded from the build context. */
  excludes(path: string): boolean {
    const candidates: string[] = [];
    for (let p = cleanRelative(path); p !== '.'; p = posix.dirname(p)) candidates.push(p);
    let excluded = false;
    for (const rule of this.rules) {
      if (candidates.some((c) => rule.regexp.test(c))) excluded = !rule.exception;
    }
    return excluded;
  }
}
