/**
 * A small Mermaid flowchart builder with deterministic output: nodes and edges are printed sorted, ids
 * are sanitized, labels escaped, duplicate edges dropped. GitHub renders the result in Markdown.
 */

export type Shape = 'rect' | 'round' | 'stadium' | 'cylinder' | 'hexagon';

interface Node {
  readonly id: string;
  readonly lines: readonly string[];
  readonly shape: Shape;
  readonly group?: string;
}

interface Edge {
  readonly from: string;
  readonly to: string;
  readonly label?: readonly string[];
  readonly dotted: boolean;
}

const OPEN: Record<Shape, [string, string]> = { rect: ['["', '"]'], round: ['("', '")'], stadium: ['(["', '"])'], cylinder: ['[("', '")]'], hexagon: ['{{"', '"}}'] };

/** Mermaid ids: letters, digits and underscores. */
export function mermaidId(...parts: string[]): string {
  return parts.join('__').replace(/[^A-Za-z0-9_]/g, '_');
}

/** Escapes text for a quoted Mermaid label. */
export function escapeLabel(text: string): string {
  return text.replace(/&/g, '#amp;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}

export class Flowchart {
  private readonly nodes = new Map<string, Node>();
  private readonly edges = new Map<string, Edge>();
  private readonly groups = new Map<string, string>();

  constructor(private readonly direction: 'LR' | 'TB' = 'LR') {}

  /** Adds (or keeps the first definition of) a node; returns its id. */
  node(id: string, lines: string | readonly string[], shape: Shape = 'rect', group?: string): string {
    const safe = mermaidId(id);
    if (!this.nodes.has(safe)) this.nodes.set(safe, { id: safe, lines: typeof lines === 'string' ? [lines] : lines, shape, group: group && mermaidId(group) });
    return safe;
  }

  has(id: string): boolean {
    return this.nodes.has(mermaidId(id));
  }

  /** A subgraph that nodes join by naming it as their group. */
  group(id: string, title: string): string {
    const safe = mermaidId(id);
    this.groups.set(safe, title);
    return safe;
  }

  /** An edge; a label given as several lines is printed one line each. */
  edge(from: string, to: string, label?: string | readonly string[], dotted = false): void {
    const [f, t] = [mermaidId(from), mermaidId(to)];
    const lines = label === undefined ? undefined : typeof label === 'string' ? [label] : label;
    this.edges.set(`${f}\0${t}\0${(lines ?? []).join('\n')}\0${dotted}`, { from: f, to: t, label: lines && lines.length > 0 ? lines : undefined, dotted });
  }

  render(): string {
    const out = [`flowchart ${this.direction}`];
    const nodeLine = (n: Node, indent: string) => {
      const [open, close] = OPEN[n.shape];
      return `${indent}${n.id}${open}${n.lines.map(escapeLabel).join('<br/>')}${close}`;
    };
    const sortedNodes = [...this.nodes.values()].sort((a, b) => a.id.localeCompare(b.id));
    for (const [id, title] of [...this.groups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const members = sortedNodes.filter((n) => n.group === id);
      if (members.length === 0) continue;
      out.push(`  subgraph ${id}["${escapeLabel(title)}"]`);
      out.push(...members.map((n) => nodeLine(n, '    ')));
      out.push('  end');
    }
    out.push(...sortedNodes.filter((n) => !n.group || !this.groups.has(n.group)).map((n) => nodeLine(n, '  ')));
    const text = (e: Edge) => (e.label ?? []).join('\n');
    const edges = [...this.edges.values()].sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to) || text(a).localeCompare(text(b)));
    for (const e of edges) {
      const arrow = e.dotted ? '-.->' : '-->';
      out.push(`  ${e.from} ${arrow}${e.label ? `|"${e.label.map(escapeLabel).join('<br/>')}"|` : ''} ${e.to}`);
    }
    return out.join('\n');
  }
}
