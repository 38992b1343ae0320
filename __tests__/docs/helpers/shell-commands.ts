/**
 * Reads the commands out of Markdown: the fenced `bash`/`sh`/`shell` blocks, split into simple commands the
 * way a shell would split them (quotes, line continuations, comments, `&&`/`||`/`;`/`|`/`&`, `$( )`,
 * `for`/`do`/`done`, redirections, leading `VAR=value` assignments). It does not run anything and knows
 * nothing about this project: `doc-checks.ts` decides what each command must satisfy.
 */

export interface ShellBlock {
  /** 1-based line of the first line inside the fence. */
  readonly line: number;
  readonly lang: string;
  readonly body: string;
}

export interface SimpleCommand {
  /** 1-based line in the Markdown file where the command starts. */
  readonly line: number;
  /** Words with quotes removed; a command substitution stays as the text `$(...)`. */
  readonly words: readonly string[];
  /** `VAR=value` words before the command, and the assignments of `export`. */
  readonly assignments: Readonly<Record<string, string>>;
}

const SHELL_LANGS = new Set(['bash', 'sh', 'shell', 'console']);

/** The fenced shell blocks of `markdown` (indented fences inside list items included). */
export function shellBlocks(markdown: string): ShellBlock[] {
  const lines = markdown.split('\n');
  const blocks: ShellBlock[] = [];
  let open: { fence: string; indent: number; lang: string; start: number; body: string[] } | undefined;
  lines.forEach((raw, i) => {
    const match = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/.exec(raw);
    if (open) {
      if (match && match[2].startsWith(open.fence) && raw.trim() === match[2]) {
        if (SHELL_LANGS.has(open.lang)) blocks.push({ line: open.start, lang: open.lang, body: open.body.join('\n') });
        open = undefined;
      } else {
        // Strip the fence's own indentation (a block inside a list item), not more.
        open.body.push(raw.slice(Math.min(open.indent, raw.length - raw.trimStart().length)));
      }
      return;
    }
    if (match) open = { fence: match[2], indent: match[1].length, lang: match[3].toLowerCase(), start: i + 2, body: [] };
  });
  return blocks;
}

const KEYWORDS_BEFORE_COMMAND = new Set(['do', 'then', 'else', 'elif', 'if', 'while', 'until', '!', 'time', '{', '}']);
const KEYWORDS_ALONE = new Set(['done', 'fi', 'esac', '}']);
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;

interface Token {
  readonly kind: 'word' | 'op';
  readonly text: string;
  readonly line: number;
}

/**
 * Splits `body` into tokens. Command substitutions are parsed recursively; their inner commands are pushed
 * to `nested` (with their lines) and the word keeps the text `$(...)`.
 */
function tokenize(body: string, firstLine: number, nested: SimpleCommand[]): Token[] {
  const tokens: Token[] = [];
  let line = firstLine;
  let word: string | undefined;
  let wordLine = line;
  const push = () => {
    if (word !== undefined) tokens.push({ kind: 'word', text: word, line: wordLine });
    word = undefined;
  };
  const add = (text: string) => {
    if (word === undefined) {
      word = '';
      wordLine = line;
    }
    word += text;
  };
  /** Reads `$( ... )` starting at `i` (pointing at `$`); returns the index after `)`. */
  const substitution = (i: number): number => {
    let depth = 0;
    let j = i + 1;
    let quote: string | undefined;
    for (; j < body.length; j++) {
      const c = body[j];
      if (quote) {
        if (c === quote) quote = undefined;
        else if (c === '\\' && quote === '"') j++;
        continue;
      }
      if (c === "'" || c === '"') quote = c;
      else if (c === '(') depth++;
      else if (c === ')') {
        depth--;
        if (depth === 0) break;
      }
    }
    const inner = body.slice(i + 2, j);
    nested.push(...commandsOf(inner, line));
    add(`$(${inner})`);
    line += (inner.match(/\n/g) ?? []).length;
    return j + 1;
  };

  let i = 0;
  let heredoc: string | undefined;
  while (i < body.length) {
    const c = body[i];
    if (c === '\\' && body[i + 1] === '\n') {
      line++;
      i += 2;
      continue;
    }
    if (c === '\n') {
      push();
      tokens.push({ kind: 'op', text: ';', line });
      line++;
      i++;
      if (heredoc !== undefined) {
        // Skip the here-document up to its delimiter line.
        const end = body.indexOf(`\n${heredoc}\n`, i - 1);
        const stop = end === -1 ? body.length : end + heredoc.length + 2;
        line += (body.slice(i, stop).match(/\n/g) ?? []).length;
        i = stop;
        heredoc = undefined;
      }
      continue;
    }
    if (c === ' ' || c === '\t') {
      push();
      i++;
      continue;
    }
    if (c === '#' && word === undefined) {
      while (i < body.length && body[i] !== '\n') i++;
      continue;
    }
    if (c === "'") {
      const end = body.indexOf("'", i + 1);
      const stop = end === -1 ? body.length : end;
      add(body.slice(i + 1, stop));
      line += (body.slice(i + 1, stop).match(/\n/g) ?? []).length;
      i = stop + 1;
      continue;
    }
    if (c === '"') {
      if (word === undefined) add('');
      i++;
      while (i < body.length && body[i] !== '"') {
        if (body[i] === '\\' && i + 1 < body.length) {
          add(body[i + 1]);
          i += 2;
        } else if (body[i] === '$' && body[i + 1] === '(') {
          i = substitution(i);
        } else {
          if (body[i] === '\n') line++;
          add(body[i]);
          i++;
        }
      }
      i++;
      continue;
    }
    if (c === '\\') {
      add(body[i + 1] ?? '');
      i += 2;
      continue;
    }
    if (c === '$' && body[i + 1] === '(') {
      i = substitution(i);
      continue;
    }
    if (c === '<' && body[i + 1] === '<') {
      push();
      // `<<EOF`, `<<'EOF'`, `<<-EOF`: remember the delimiter, skip the body after this line.
      const m = /^<<-?\s*['"]?([A-Za-z_]+)['"]?/.exec(body.slice(i));
      if (m) {
        heredoc = m[1];
        i += m[0].length;
        continue;
      }
    }
    const placeholder = c === '<' ? /^<[^\s<>|&;]([^<>\n|&;]{0,58}[^\s<>|&;])?>/.exec(body.slice(i)) : null;
    if (placeholder) {
      // `<env>`, `<state_kms_key_arn>`: the documentation's placeholders, part of a word (not a redirection).
      add(placeholder[0]);
      i += placeholder[0].length;
      continue;
    }
    if (c === '>' || c === '<') {
      // A redirection: the operator (with a leading fd digit) and its target are not command words.
      if (word !== undefined && /^\d$/.test(word)) word = undefined;
      push();
      i++;
      if (body[i] === '>' || body[i] === '&') i++;
      while (body[i] === ' ') i++;
      const m = /^[^\s;&|<>]+/.exec(body.slice(i));
      if (m) i += m[0].length;
      continue;
    }
    const two = body.slice(i, i + 2);
    if (two === '&&' || two === '||') {
      push();
      tokens.push({ kind: 'op', text: two, line });
      i += 2;
      continue;
    }
    if (c === ';' || c === '|' || c === '&' || c === '(' || c === ')') {
      push();
      tokens.push({ kind: 'op', text: c, line });
      i++;
      continue;
    }
    add(c);
    i++;
  }
  push();
  return tokens;
}

/** The simple commands of a shell script, in order (command substitutions' commands included). */
export function commandsOf(script: string, firstLine = 1): SimpleCommand[] {
  const nested: SimpleCommand[] = [];
  const tokens = tokenize(script, firstLine, nested);
  const commands: SimpleCommand[] = [];
  let current: Token[] = [];
  const flush = () => {
    const words = current.map((t) => t.text);
    const line = current[0]?.line ?? firstLine;
    current = [];
    while (words.length > 0 && KEYWORDS_BEFORE_COMMAND.has(words[0])) words.shift();
    if (words.length === 0 || KEYWORDS_ALONE.has(words[0])) return;
    // `for x in a b c` names items, not a command.
    if (words[0] === 'for' || words[0] === 'case') return;
    const assignments: Record<string, string> = {};
    while (words.length > 0 && ASSIGNMENT.test(words[0])) {
      const [, name, value] = ASSIGNMENT.exec(words.shift()!)!;
      assignments[name] = value;
    }
    if (words[0] === 'export') {
      for (const w of words.slice(1)) {
        const m = ASSIGNMENT.exec(w);
        if (m) assignments[m[1]] = m[2];
      }
      commands.push({ line, words: ['export'], assignments });
      return;
    }
    commands.push({ line, words, assignments });
  };
  for (const token of tokens) {
    if (token.kind === 'op') flush();
    else current.push(token);
  }
  flush();
  return [...commands, ...nested].sort((a, b) => a.line - b.line);
}
