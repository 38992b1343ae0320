/**
 * Go's text/template, for the subset the ApplicationSets use, with Go's semantics rather than what
 * seems reasonable: Argo CD renders every string of an ApplicationSet template with
 * `template.New("").Funcs(sprig).Parse(s)`, the `goTemplateOptions`, and `Execute(params)`
 * (argo-cd applicationset/utils/utils.go, Render.Replace).
 *
 * Values are typed like Go's, because the result depends on the type: the cluster generator's params
 * are a `map[string]any` whose `metadata` is a `map[string]any` holding `annotations` and `labels` as
 * `map[string]string` (only when the Secret has any; argo-cd applicationset/generators/cluster.go,
 * getClusterParameters). Go (text/template exec.go evalField, funcs.go index):
 *  - `.a.b` on a map without key `b`: with missingkey=error an error ("map has no entry for key");
 *    with missingkey=zero the element type's zero value; by default an invalid value;
 *  - `index m "k"` on a missing key: ALWAYS the element type's zero value, whatever missingkey says:
 *    "" for a `map[string]string`, a nil `any` for a `map[string]any`;
 *  - printing an invalid value or a nil `any` gives "<no value>".
 * Anything outside the subset (pipes, other functions, variables, control structures) throws
 * `unsupported`, so a template this emulator cannot follow fails the tests instead of passing them.
 */

export type GoValue =
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'map'; readonly elem: 'string' | 'any'; readonly entries: ReadonlyMap<string, GoValue> }
  | { readonly type: 'nil' } // a nil `any`
  | { readonly type: 'invalid' }; // reflect.Value{}: a missing key under missingkey=default

export type MissingKey = 'default' | 'zero' | 'error';

export class GoTemplateError extends Error {}

export const goString = (value: string): GoValue => ({ type: 'string', value });
export const stringMap = (record: Record<string, string>): GoValue => ({
  type: 'map',
  elem: 'string',
  entries: new Map(Object.entries(record).map(([k, v]) => [k, goString(v)])),
});
export const anyMap = (record: Record<string, GoValue>): GoValue => ({ type: 'map', elem: 'any', entries: new Map(Object.entries(record)) });

const INVALID: GoValue = { type: 'invalid' };
const zeroOf = (elem: 'string' | 'any'): GoValue => (elem === 'string' ? goString('') : { type: 'nil' });

/** `missingkey=...` from goTemplateOptions (the last one wins, as with template.Option). */
export function missingKeyOption(options: readonly string[]): MissingKey {
  let mode: MissingKey = 'default';
  for (const option of options) {
    const m = /^missingkey=(default|invalid|zero|error)$/.exec(option);
    if (!m) throw new GoTemplateError(`unsupported template option ${JSON.stringify(option)}`);
    mode = m[1] === 'invalid' ? 'default' : (m[1] as MissingKey);
  }
  return mode;
}

interface Token {
  readonly kind: 'field' | 'ident' | 'string' | 'dot';
  readonly text: string;
}

function tokenize(action: string): Token[] {
  const tokens: Token[] = [];
  let rest = action.trim();
  while (rest.length > 0) {
    let m: RegExpExecArray | null;
    if ((m = /^"((?:[^"\\]|\\.)*)"/.exec(rest))) tokens.push({ kind: 'string', text: JSON.parse(`"${m[1]}"`) as string });
    else if ((m = /^(\.[A-Za-z_][A-Za-z0-9_]*)+/.exec(rest))) tokens.push({ kind: 'field', text: m[0] });
    else if ((m = /^\.(?=\s|$)/.exec(rest))) tokens.push({ kind: 'dot', text: '.' });
    else if ((m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest))) tokens.push({ kind: 'ident', text: m[0] });
    else throw new GoTemplateError(`unsupported template syntax near ${JSON.stringify(rest)} in {{${action}}}`);
    rest = rest.slice(m[0].length).trimStart();
  }
  return tokens;
}

/** The chain `.a.b.c` evaluated from `dot`. */
function evalFieldChain(dot: GoValue, chain: string, missingKey: MissingKey, action: string): GoValue {
  let receiver = dot;
  for (const name of chain.split('.').slice(1)) {
    if (receiver.type === 'invalid') {
      if (missingKey === 'error') throw new GoTemplateError(`executing {{${action}}}: nil data; no entry for key "${name}"`);
      return INVALID;
    }
    if (receiver.type === 'nil') throw new GoTemplateError(`executing {{${action}}}: nil pointer evaluating interface {}.${name}`);
    if (receiver.type !== 'map') throw new GoTemplateError(`executing {{${action}}}: can't evaluate field ${name} in type string`);
    const found = receiver.entries.get(name);
    if (found !== undefined) receiver = found;
    else if (missingKey === 'error') throw new GoTemplateError(`executing {{${action}}}: map has no entry for key "${name}"`);
    else if (missingKey === 'zero') receiver = zeroOf(receiver.elem);
    else receiver = INVALID;
  }
  return receiver;
}

function evalIndex(item: GoValue, keys: string[], action: string): GoValue {
  let current = item;
  for (const key of keys) {
    if (current.type === 'invalid' || current.type === 'nil') throw new GoTemplateError(`executing {{${action}}}: error calling index: index of untyped nil`);
    if (current.type !== 'map') throw new GoTemplateError(`executing {{${action}}}: error calling index: can't index item of type string`);
    current = current.entries.get(key) ?? zeroOf(current.elem);
  }
  return current;
}

/** fmt.Sprint of the pipeline's final value, after text/template's "dig into interface{}" step. */
function print(value: GoValue): string {
  switch (value.type) {
    case 'string':
      return value.value;
    case 'nil':
    case 'invalid':
      return '<no value>';
    case 'map':
      return `map[${[...value.entries.keys()].sort().map((k) => `${k}:${print(value.entries.get(k) as GoValue)}`).join(' ')}]`;
  }
}

function evalAction(action: string, dot: GoValue, missingKey: MissingKey): string {
  if (action.includes('|')) throw new GoTemplateError(`unsupported: pipes in {{${action}}}`);
  const tokens = tokenize(action);
  const [head, ...args] = tokens;
  if (head === undefined) throw new GoTemplateError('missing value for command');
  const operand = (t: Token): GoValue => {
    if (t.kind === 'field') return evalFieldChain(dot, t.text, missingKey, action);
    if (t.kind === 'dot') return dot;
    if (t.kind === 'string') return goString(t.text);
    throw new GoTemplateError(`unsupported: function ${t.text} as an argument in {{${action}}}`);
  };
  if (head.kind === 'ident') {
    if (head.text !== 'index') throw new GoTemplateError(`unsupported: function ${head.text} in {{${action}}}`);
    if (args.length < 1) throw new GoTemplateError(`wrong number of args for index: want at least 1 got 0`);
    const keys = args.slice(1).map((a) => {
      if (a.kind !== 'string') throw new GoTemplateError(`unsupported: non-literal index key in {{${action}}}`);
      return a.text;
    });
    return print(evalIndex(operand(args[0]), keys, action));
  }
  if (args.length > 0) throw new GoTemplateError(`can't give argument to non-function ${head.text}`);
  return print(operand(head));
}

/** Executes one template string against `data`. */
export function executeTemplate(text: string, data: GoValue, options: readonly string[] = []): string {
  const missingKey = missingKeyOption(options);
  let out = '';
  let rest = text;
  for (;;) {
    const open = rest.indexOf('{{');
    if (open < 0) return out + rest;
    let before = rest.slice(0, open);
    let body = rest.slice(open + 2);
    const close = body.indexOf('}}');
    if (close < 0) throw new GoTemplateError(`unclosed action in ${JSON.stringify(text)}`);
    let action = body.slice(0, close);
    rest = body.slice(close + 2);
    if (/^-\s/.test(action)) {
      before = before.trimEnd();
      action = action.slice(1);
    }
    if (/\s-$/.test(action)) {
      action = action.slice(0, -1);
      rest = rest.trimStart();
    }
    if (/^\s*\/\*/.test(action)) {
      out += before;
      continue;
    }
    out += before + evalAction(action, data, missingKey);
    body = '';
  }
}

/** Every `{{ ... }}` action of a string, for the static checks (which bridge keys a template reads). */
export function actionsOf(text: string): string[] {
  return [...text.matchAll(/\{\{-?\s*(.*?)\s*-?\}\}/g)].map((m) => m[1]);
}
