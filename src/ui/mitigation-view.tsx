import { Box, Text } from 'ink';
import React from 'react';
import type { DueMitigation, MitigationChoice, MitigationLine } from '../engine/mitigate.js';
export { mitigationLines, type MitigationLine } from '../engine/mitigate.js';
import { interpolate } from '../engine/template.js';
import type { Facts } from '../engine/vocabulary.js';
import { color, truncate } from './theme.js';

export const MITIGATION_CHOICES: { value: MitigationChoice; label: string }[] = [
  { value: 'stopped-finish', label: 'Done, the 502s stopped: write the postmortem now' },
  { value: 'stopped-continue', label: 'Done, the 502s stopped: go on with the rest of the sweep (optional)' },
  { value: 'failing', label: 'Still failing: back to the open hypotheses' },
  { value: 'later', label: 'Not now: go on with the investigation' },
];

export interface MitigationViewProps {
  due: DueMitigation;
  title: string;
  facts: Readonly<Facts>;
  lines: MitigationLine[];
  cursor: number;
  notice?: string;
  /** Long commands are cut to this width here; they are printed whole above. */
  width: number;
  /** A short terminal (80x24): no blank lines, no evidence line. */
  compact?: boolean;
}

const HEADINGS = { now: 'Stop the bleeding now', fix: 'Then fix it for good', verify: 'Verify' } as const;

/** Cause confirmed → mitigate now: the move that fits this cause, the fix, and how to verify. */
export function MitigationView({ due, title, facts, lines, cursor, notice, width, compact = false }: MitigationViewProps) {
  const gap = compact ? 0 : 1;
  let n = 0;
  const sections = (['now', 'fix', 'verify'] as const).filter((s) => lines.some((l) => l.section === s));
  return (
    <Box flexDirection="column" marginTop={gap}>
      <Text bold color={color('red')}>{truncate(`■ Cause confirmed: ${title}`, compact ? width : 1000)}</Text>
      {compact ? null : <Text dimColor>{`  ${due.entry.evidence[0] ?? ''}`}</Text>}
      {sections.map((s) => (
        <Box key={s} flexDirection="column" marginTop={gap}>
          <Text bold color={color('cyan')}>{`▶ ${HEADINGS[s]}`}</Text>
          {s === 'now' ? <Text>{interpolate(due.mitigation.emergency, facts)}</Text> : null}
          {lines.filter((l) => l.section === s).map((l, i) => <Text key={i}>{l.command ? truncate(`${++n}) ${l.text}`, width) : `   ${l.text}`}</Text>)}
        </Box>
      ))}
      <Text dimColor>{compact ? 'c copies the next command (each is printed whole above)' : 'c copies the next command to the clipboard (OSC 52); each is printed whole above · badgate never runs them'}</Text>
      <Box flexDirection="column" marginTop={gap}>
        {MITIGATION_CHOICES.map((c, i) => (
          <Text key={c.value} color={i === cursor ? color('cyan') : undefined} bold={i === cursor}>{`${i === cursor ? '›' : ' '} ${i + 1}. ${c.label}`}</Text>
        ))}
        {notice ? <Text color={color('green')}>{`✔ ${notice}`}</Text> : null}
      </Box>
    </Box>
  );
}
