/**
 * PromQL read with Prometheus's own grammar (@prometheus-io/lezer-promql, the parser of the Prometheus UI),
 * and what a query's result carries: its metrics, its label matchers, and the labels of the series it
 * returns (so `by (...)`, `on (...)` and a summary's `{{ $labels.x }}` can be checked against them).
 *
 * The label model, per node (promql/engine.go semantics):
 *  - a selector returns the metric's labels (catalogue) plus the target labels Prometheus adds;
 *  - `sum/avg/max/min/count/... by (l)` returns exactly `l`; `without (l)` the input minus `l`;
 *    `topk/bottomk/...` keep the input's labels;
 *  - rate, increase, *_over_time, abs, ... keep the input's labels (the metric name is dropped);
 *    histogram_quantile drops `le`; label_replace adds its destination label; absent(selector) returns the
 *    selector's equality matchers, absent(anything else) nothing; vector() and scalars nothing;
 *  - a binary operation between vectors returns the left side's labels (with `group_left (l)`: plus `l`;
 *    `group_right`: the right side's); with a scalar, the vector's; `and/unless` the left's, `or` both.
 */
import { parser } from '@prometheus-io/lezer-promql';
import type { SyntaxNode } from '@lezer/common';

export interface MetricInfo {
  readonly labels: readonly string[];
  /** Where the name and labels come from (exporter version, docs). */
  readonly source: string;
}

export type Catalogue = Readonly<Record<string, MetricInfo>>;

export interface Selector {
  readonly metric: string;
  readonly matchers: { readonly label: string; readonly op: string; readonly value: string }[];
}

export interface Analysis {
  readonly selectors: Selector[];
  /** Problems found (parse errors, unknown metrics, labels that cannot be there). */
  readonly problems: string[];
  /** Labels of the series the expression returns (undefined: a scalar). */
  readonly labels: Set<string> | undefined;
}

const text = (src: string, n: SyntaxNode): string => src.slice(n.from, n.to);
const children = (n: SyntaxNode): SyntaxNode[] => {
  const out: SyntaxNode[] = [];
  for (let c = n.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
};
const unquote = (s: string): string => JSON.parse(s.startsWith("'") ? `"${s.slice(1, -1).replace(/"/g, '\\"')}"` : s.startsWith('`') ? JSON.stringify(s.slice(1, -1)) : s);

const KEEP_LABELS = new Set([
  'rate', 'irate', 'increase', 'delta', 'idelta', 'deriv', 'abs', 'ceil', 'floor', 'round', 'clamp', 'clamp_max', 'clamp_min', 'exp', 'ln', 'log2', 'log10', 'sqrt',
  'avg_over_time', 'min_over_time', 'max_over_time', 'sum_over_time', 'count_over_time', 'last_over_time', 'quantile_over_time', 'stddev_over_time', 'changes', 'resets', 'predict_linear', 'sort', 'sort_desc',
]);
const KEEP_INPUT_AGGREGATIONS = new Set(['topk', 'bottomk', 'limitk', 'limit_ratio']);

/**
 * Analyses `expr`. `labelsOf(metric)` gives a metric's labels (undefined: unknown metric, reported);
 * the returned labels let the caller check groupings and templates.
 */
export function analyse(expr: string, labelsOf: (metric: string) => readonly string[] | undefined): Analysis {
  const tree = parser.parse(expr);
  const problems: string[] = [];
  const selectors: Selector[] = [];
  tree.iterate({
    enter(n) {
      if (n.type.isError) problems.push(`parse error at ${n.from}: ${JSON.stringify(expr.slice(Math.max(0, n.from - 10), n.to + 10))}`);
    },
  });
  if (problems.length > 0) return { selectors, problems, labels: undefined };

  const grouping = (n: SyntaxNode): string[] => (n.getChild('GroupingLabels') ? children(n.getChild('GroupingLabels')!).filter((c) => c.name === 'LabelName').map((c) => text(expr, c)) : []);
  const check = (where: string, labels: readonly string[], available: Set<string> | undefined) => {
    for (const l of labels) if (available && !available.has(l)) problems.push(`${where}: label ${l} is not on the series (${[...available].sort().join(', ') || 'none'})`);
  };

  const visit = (n: SyntaxNode): Set<string> | undefined => {
    switch (n.name) {
      case 'PromQL':
      case 'ParenExpr':
      case 'FunctionCallBody':
        return visit(children(n).find((c) => !['(', ')'].includes(c.name))!);
      case 'NumberDurationLiteral':
      case 'StringLiteral':
        return undefined;
      case 'UnaryExpr':
        return visit(children(n).at(-1)!);
      case 'MatrixSelector':
      case 'SubqueryExpr':
        return visit(n.firstChild!);
      case 'VectorSelector': {
        const id = n.getChild('Identifier');
        const metric = id ? text(expr, id) : '';
        const matchers = (n.getChild('LabelMatchers') ? children(n.getChild('LabelMatchers')!) : [])
          .filter((m) => m.name === 'UnquotedLabelMatcher')
          .map((m) => ({ label: text(expr, m.getChild('LabelName')!), op: text(expr, m.getChild('MatchOp')!), value: unquote(text(expr, m.getChild('StringLiteral')!)) }));
        selectors.push({ metric, matchers });
        const known = labelsOf(metric);
        if (!known) {
          problems.push(`unknown metric ${metric}`);
          return new Set(matchers.map((m) => m.label));
        }
        const labels = new Set(known);
        check(`matcher of ${metric}`, matchers.map((m) => m.label), labels);
        return labels;
      }
      case 'AggregateExpr': {
        const op = text(expr, n.getChild('AggregateOp')!);
        const body = n.getChild('FunctionCallBody')!;
        const args = children(body).filter((c) => !['(', ')', ','].includes(c.name));
        const input = visit(args.at(-1)!);
        const modifier = n.getChild('AggregateModifier');
        if (!modifier) return KEEP_INPUT_AGGREGATIONS.has(op) ? input : new Set();
        const labels = grouping(modifier);
        check(`${op} by/without`, labels, input);
        if (modifier.getChild('Without')) return new Set([...(input ?? [])].filter((l) => !labels.includes(l)));
        return new Set(labels);
      }
      case 'FunctionCall': {
        const fn = text(expr, n.getChild('FunctionIdentifier')!);
        const args = children(n.getChild('FunctionCallBody')!).filter((c) => !['(', ')', ','].includes(c.name));
        const results = args.map(visit);
        if (fn === 'vector' || fn === 'scalar' || fn === 'time') return fn === 'vector' ? new Set() : undefined;
        if (fn === 'absent' || fn === 'absent_over_time') {
          const arg = args[0].name === 'MatrixSelector' ? args[0].firstChild! : args[0];
          if (arg.name !== 'VectorSelector') return new Set();
          return new Set(selectors.filter((s) => s.metric === text(expr, arg.getChild('Identifier')!)).at(-1)!.matchers.filter((m) => m.op === '=').map((m) => m.label));
        }
        if (fn === 'histogram_quantile') {
          const input = results[1];
          if (input && !input.has('le')) problems.push('histogram_quantile over series without le');
          return new Set([...(input ?? [])].filter((l) => l !== 'le'));
        }
        if (fn === 'label_replace') {
          const input = results[0];
          const [dst, , src] = args.slice(1, 4).map((a) => unquote(text(expr, a)));
          check('label_replace source', [src], input);
          return new Set([...(input ?? []), dst]);
        }
        if (KEEP_LABELS.has(fn)) return results.find((r) => r !== undefined);
        problems.push(`function ${fn} is not modelled`);
        return results.find((r) => r !== undefined);
      }
      case 'BinaryExpr': {
        const parts = children(n);
        const [left, right] = [parts[0], parts.at(-1)!];
        const op = parts[1].name;
        const l = visit(left);
        const r = visit(right);
        const modifier = n.getChild('MatchingModifierClause');
        if (l === undefined || r === undefined) return l ?? r;
        if (modifier) {
          const onOrIgnoring = grouping(modifier);
          check('on/ignoring', onOrIgnoring, new Set([...l, ...r]));
          const groupLeft = modifier.getChild('GroupLeft');
          const groupRight = modifier.getChild('GroupRight');
          const extra = children(modifier).filter((c) => c.name === 'GroupingLabels').slice(1).flatMap((g) => children(g).filter((c) => c.name === 'LabelName').map((c) => text(expr, c)));
          if (groupLeft) return new Set([...l, ...extra]);
          if (groupRight) return new Set([...r, ...extra]);
        }
        if (op === 'Or') return new Set([...l, ...r]);
        return l;
      }
      default:
        problems.push(`node ${n.name} is not modelled`);
        return undefined;
    }
  };
  const labels = visit(tree.topNode);
  return { selectors, problems, labels };
}

/** `{{ $labels.x }}` references of an annotation template. */
export function templateLabels(template: string): string[] {
  return [...template.matchAll(/\$labels\.([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]);
}
