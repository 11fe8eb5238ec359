/** Mermaid labels are quoted; quotes and angle brackets inside must be entities. */
export function mermaidLabel(s: string): string {
  return `"${s.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;').replace(/\n/g, ' ')}"`;
}

export interface PathEdge {
  from: string;
  to: string;
  label?: string;
}

/**
 * The path taken through the flow, as a top-down flowchart: one line per step, each node
 * declared where it first appears, so a long walk stays short in the raw text.
 */
export function pathFlowchart(nodes: { id: string; title: string }[], edges: PathEdge[]): string {
  const ids = new Map(nodes.map((n, i) => [n.id, `n${i}`]));
  const titles = new Map(nodes.map((n) => [n.id, n.title]));
  const declared = new Set<string>();
  const ref = (id: string) => {
    const short = ids.get(id)!;
    if (declared.has(id)) return short;
    declared.add(id);
    return `${short}[${mermaidLabel(titles.get(id) ?? id)}]`;
  };
  const lines = ['flowchart TD'];
  for (const e of edges) {
    if (!ids.has(e.from) || !ids.has(e.to)) continue;
    const a = ref(e.from);
    lines.push(e.label ? `  ${a} -->|${mermaidLabel(e.label)}| ${ref(e.to)}` : `  ${a} --> ${ref(e.to)}`);
  }
  for (const n of nodes) if (!declared.has(n.id)) lines.push(`  ${ref(n.id)}`);
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

/**
 * Key moments as a mermaid timeline, one section per day. Times are written `11.40` and colons
 * in the text become dashes: mermaid reads `:` as the separator between a period and its events.
 */
export function timelineChart(title: string, moments: { at: string; event: string }[]): string {
  const clean = (s: string) => s.replace(/[:;#\n]/g, ' - ').replace(/\s+/g, ' ').trim();
  const lines = ['timeline', `  title ${clean(title)}`];
  let day = '';
  let period = '';
  for (const m of moments) {
    if (m.at.slice(0, 10) !== day) {
      day = m.at.slice(0, 10);
      lines.push(`  section ${day}`);
      period = '';
    }
    const p = m.at.slice(11, 16).replace(':', '.');
    if (p === period) lines[lines.length - 1] += ` : ${clean(m.event)}`;
    else lines.push(`    ${p} : ${clean(m.event)}`);
    period = p;
  }
  return lines.join('\n');
}
