import { Box, Text } from 'ink';
import React from 'react';
import type { BoardEntry } from '../engine/board.js';
import type { Unexplored } from '../engine/summary.js';
import { CONFIDENCE_COLOR, CONFIDENCE_SYMBOL, color, truncate } from './theme.js';

export interface HypothesesViewProps {
  entries: BoardEntry[];
  titles: ReadonlyMap<string, string>;
  unexplored: Unexplored[];
  /** The next step the flow takes, offered as the next unexplored branch. */
  next?: string;
  /** The hand-over summary, when escalating. */
  summary?: string[];
  width: number;
  /** How many standing causes and unexplored steps fit the screen. */
  rows: number;
}

/** The open hypotheses ranked, what was left unexplored, and (escalating) what to hand over. */
export function HypothesesView({ entries, titles, unexplored, next, summary, width, rows }: HypothesesViewProps) {
  const standing = entries.filter((e) => e.confidence !== 'ruled-out');
  const ruledOut = entries.filter((e) => e.confidence === 'ruled-out');
  const name = (c: string) => titles.get(c) ?? c;
  const shown = standing.slice(0, rows);
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold>Open hypotheses, most likely first</Text>
      {standing.length === 0 ? <Text dimColor>  none named yet</Text> : null}
      {shown.map((e, i) => (
        <Text key={e.cause}>
          <Text color={color(CONFIDENCE_COLOR[e.confidence])}>{`  ${i + 1}. ${CONFIDENCE_SYMBOL[e.confidence]} ${e.confidence.padEnd(10)}`}</Text>
          <Text>{truncate(`${name(e.cause)} [${e.strength}] ${e.evidence[0] ?? ''}`, width - 18)}</Text>
        </Text>
      ))}
      {standing.length > shown.length ? <Text dimColor>{`  … ${standing.length - shown.length} more standing`}</Text> : null}
      {ruledOut.length ? <Text dimColor>{truncate(`  ✗ ruled out: ${ruledOut.map((e) => name(e.cause)).join('; ')}`, width - 2)}</Text> : null}
      {unexplored.length && !summary ? (
        <Box flexDirection="column">
          <Text bold>Unexplored</Text>
          {unexplored.slice(0, rows).map((u, i) => <Text key={`${u.node}-${i}`} dimColor>{truncate(`  · ${u.title}: ${u.why}`, width - 2)}</Text>)}
          {unexplored.length > rows ? <Text dimColor>{`  … ${unexplored.length - rows} more`}</Text> : null}
        </Box>
      ) : null}
      {next ? <Text color={color('cyan')}>{truncate(`Next unexplored branch: ${next}`, width)}</Text> : null}
      {summary ? (
        <Box flexDirection="column">
          <Text bold>Hand over (session summary, printed whole above to copy into the ticket)</Text>
          {summary.slice(0, rows).map((l, i) => <Text key={i}>{truncate(l, width)}</Text>)}
        </Box>
      ) : null}
    </Box>
  );
}
