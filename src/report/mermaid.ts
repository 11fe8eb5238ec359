/** Mermaid labels are quoted; quotes and angle brackets inside must be entities. */
export function mermaidLabel(s: string): string {
  return `"${s.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;').replace(/\n/g, ' ')}"`;
}

export interface PathEdge {
  from: string;
  to: string;
  label?: string;
}

/** The path taken through the flow, as a top-down flowchart. */
export function pathFlowchart(nodes: { id: string; title: string }[], edges: PathEdge[]): string {
  const ids = new Map(nodes.map((n, i) => [n.id, `n${i}`]));
  const lines = ['flowchart TD'];
  for (const n of nodes) lines.push(`  ${ids.get(n.id)}[${mermaidLabel(n.title)}]`);
  for (const e of edges) {
    const a = ids.get(e.from);
    const b = ids.get(e.to);
    if (!a || !b) continue;
    lines.push(e.label ? `  ${a} -->|${mermaidLabel(e.label)}| ${b}` : `  ${a} --> ${b}`);
  }
  return lines.join('\n');
}

/** A per-minute series as a mermaid xychart (bar). */
export function xychart(title: string, labels: string[], values: number[]): string {
  const max = Math.max(1, ...values);
  return [
    'xychart-beta',
    `  title ${mermaidLabel(title)}`,
    `  x-axis [${labels.map((l) => mermaidLabel(l)).join(', ')}]`,
    `  y-axis "count" 0 --> ${max}`,
    `  bar [${values.join(', ')}]`,
  ].join('\n');
}
