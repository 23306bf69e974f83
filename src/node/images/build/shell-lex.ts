/**
 * Dockerfile word processing: splitting an instruction's arguments into raw words and expanding
 * `$VAR`, `${VAR}`, `${VAR:-word}`, `${VAR-word}`, `${VAR:+word}`, `${VAR+word}`, `${VAR:?msg}`
 * and `${VAR?msg}` the way Docker does for FROM, COPY, ADD, ENV, LABEL, ARG, WORKDIR, USER,
 * EXPOSE, VOLUME and STOPSIGNAL. Single quotes keep text literal, double quotes allow expansion,
 * the escape character (`\` unless the `# escape=` directive says otherwise) makes the next
 * character literal, so `\$` is a dollar sign. RUN, CMD and ENTRYPOINT are never expanded here:
 * their shell does it.
 */

/** Looks a variable up: a string when set (possibly empty), undefined when unset. */
export type VariableLookup = (name: string) => string | undefined;

/**
 * Splits on unquoted whitespace, keeping quotes and escapes in the words (they are processed by
 * {@link expandWord}), as Docker's parser does for ENV/LABEL/ARG pairs and COPY arguments.
 */
export function splitRawWords(text: string, escape = '\\'): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quote === undefined && /\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      continue;
    }
    inWord = true;
    word += c;
    if (c === escape && quote !== "'" && i + 1 < text.length) word += text[++i];
    else if (quote === undefined && (c === '"' || c === "'")) quote = c;
    else if (c === quote) quote = undefined;
  }
  if (quote !== undefined) throw new Error(`unterminated quote in ${JSON.stringify(text)}`);
  if (inWord) words.push(word);
  return words;
}

/** Cursor over one word; the output is a list of words so that unquoted expansions can split. */
class WordLexer {
  private pos = 0;
  private readonly words: string[] = [];
  private current = '';
  private started = false;

  constructor(
    private readonly text: string,
    private readonly lookup: VariableLookup,
    private readonly escape: string,
    private readonly split: boolean,
  ) {}

  run(): string[] {
    while (this.pos < this.text.length) {
      const c = this.text[this.pos++] as string;
      if (c === this.escape) this.literal(this.pos < this.text.length ? (this.text[this.pos++] as string) : c);
      else if (c === "'") this.singleQuoted();
      else if (c === '"') this.doubleQuoted();
      else if (c === '$') this.expansion(this.dollar(), false);
      else if (this.split && /\s/.test(c)) this.endWord();
      else this.literal(c);
    }
    this.endWord();
    return this.words;
  }

  private literal(s: string): void {
    this.current += s;
    this.started = true;
  }

  private endWord(): void {
    if (this.started) this.words.push(this.current);
    this.current = '';
    this.started = false;
  }

  /** Appends an expansion; unquoted values split on whitespace when words are wanted. */
  private expansion(value: string, quoted: boolean): void {
    if (quoted || !this.split) {
      this.current += value;
      if (quoted) this.started = true;
      else if (value !== '') this.started = true;
      return;
    }
    const parts = value.split(/\s+/);
    parts.forEach((p, i) => {
      if (i > 0) this.endWord();
      if (p !== '') this.literal(p);
    });
  }

  private singleQuoted(): void {
    const end = this.text.indexOf("'", this.pos);
    if (end < 0) throw new Error(`unexpected end of statement while looking for matching single-quote in ${JSON.stringify(this.text)}`);
    this.literal(this.text.slice(this.pos, end));
    this.pos = end + 1;
  }

  private doubleQuoted(): void {
    this.started = true;
    for (;;) {
      if (this.pos >= this.text.length) throw new Error(`unexpected end of statement while looking for matching double-quote in ${JSON.stringify(this.text)}`);
      const c = this.text[this.pos++] as string;
      if (c === '"') return;
      if (c === '$') this.expansion(this.dollar(), true);
      else if (c === this.escape && ['"', '$', this.escape].includes(this.text[this.pos] ?? '')) this.literal(this.text[this.pos++] as string);
      else this.literal(c);
    }
  }

  /** Called after `$`: returns the expansion, or `$` itself when no name follows. */
  private dollar(): string {
    const next = this.text[this.pos];
    if (next === '{') {
      this.pos++;
      return this.braced();
    }
    const name = this.name();
    if (name === '') return '$';
    return this.lookup(name) ?? '';
  }

  private name(): string {
    const m = /^(?:[A-Za-z_][A-Za-z0-9_]*|[0-9])/.exec(this.text.slice(this.pos));
    if (!m) return '';
    this.pos += m[0].length;
    return m[0];
  }

  private braced(): string {
    const name = this.name();
    if (name === '') throw new Error(`bad substitution in ${JSON.stringify(this.text)}: missing variable name after \${`);
    const rest = this.text.slice(this.pos);
    if (rest.startsWith('}')) {
      this.pos++;
      return this.lookup(name) ?? '';
    }
    if (rest === '') throw new Error(`syntax error: missing '}' in ${JSON.stringify(this.text)}`);
    const op = /^(:?[-+?])/.exec(rest)?.[1];
    if (!op) throw new Error(`unsupported modifier in \${${name}${rest.slice(0, 1)}...} in ${JSON.stringify(this.text)}`);
    this.pos += op.length;
    const word = this.bracedWord();
    const value = this.lookup(name);
    const colon = op.startsWith(':');
    const isSet = value !== undefined && (!colon || value !== '');
    switch (op.slice(-1)) {
      case '-':
        return isSet ? (value as string) : word;
      case '+':
        return isSet ? word : '';
      default:
        if (!isSet) throw new Error(`${name}: ${word === '' ? 'is not allowed to be unset' : word}`);
        return value as string;
    }
  }

  /** The word of `${name:-word}` up to the matching `}`, itself expanded (no splitting). */
  private bracedWord(): string {
    let depth = 0;
    let end = this.pos;
    for (; end < this.text.length; end++) {
      const c = this.text[end];
      if (c === this.escape) end++;
      else if (c === '{') depth++;
      else if (c === '}' && depth-- === 0) break;
    }
    if (end >= this.text.length) throw new Error(`syntax error: missing '}' in ${JSON.stringify(this.text)}`);
    const inner = this.text.slice(this.pos, end);
    this.pos = end + 1;
    return new WordLexer(inner, this.lookup, this.escape, false).run().join('');
  }
}

/** Expands one word (quotes removed); always exactly one string, possibly empty. */
export function expandWord(word: string, lookup: VariableLookup, escape = '\\'): string {
  return new WordLexer(word, lookup, escape, false).run().join('');
}

/**
 * Expands a raw word into zero or more words: an unquoted expansion containing whitespace splits
 * (`COPY $FILES /dst/` with FILES="a b"), an unquoted expansion to nothing vanishes.
 */
export function expandWords(word: string, lookup: VariableLookup, escape = '\\'): string[] {
  return new WordLexer(word, lookup, escape, true).run();
}
