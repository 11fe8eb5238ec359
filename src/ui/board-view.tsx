import { Box, Text } from 'ink';
import React from 'react';
import type { BoardEntry } from '../engine/board.js';
import { CONFIDENCE_COLOR, CONFIDENCE_SYMBOL, color, truncate } from './theme.js';

/** Standing hypotheses shown in full; more than this are counted, so the panel never pushes the question off screen. */
const MAX_STANDING = 4;
/** On a short terminal (80x24) fewer fit under the question. */
const MAX_STANDING_SHORT = 2;

/**
 * The hypothesis board: standing causes first (the deepest cause leads, the symptoms it
 * explains say so), each with its strongest evidence and its weight; disagreements between
 * evidence are shown as conflicts; ruled-out causes fold into one line.
 */
export function BoardView({ entries, titles, width, rows = 40 }: { entries: BoardEntry[]; titles: ReadonlyMap<string, string>; width: number; rows?: number }) {
  const standing = entries.filter((e) => e.confidence !== 'ruled-out');
  const ruledOut = entries.filter((e) => e.confidence === 'ruled-out');
  const short = rows < 30;
  const shown = standing.slice(0, short ? MAX_STANDING_SHORT : MAX_STANDING);
  const conflicts = entries.filter((e) => e.conflict);
  return (
    <Box flexDirection="column" marginTop={short ? 0 : 1}>
      <Text bold>{short ? `Hypotheses (${standing.length} standing)` : 'Hypotheses'}</Text>
      {entries.length === 0 ? <Text dimColor>  none yet: answers and checks add them here</Text> : null}
      {shown.map((e) => (
        <Box key={e.cause} flexDirection="column">
          <Text>
            <Text color={color(CONFIDENCE_COLOR[e.confidence])}>{`  ${CONFIDENCE_SYMBOL[e.confidence]} ${e.confidence.padEnd(10)}`}</Text>
            <Text>{truncate(`${titles.get(e.cause) ?? e.cause}${e.explainedBy.length ? ` (explained by ${titles.get(e.explainedBy[0]) ?? e.explainedBy[0]})` : ''}`, width - 16)}</Text>
          </Text>
          {short ? null : <Text dimColor>{`      ${truncate(`[${e.strength}] ${e.evidence[0] ?? ''}`, width - 8)}`}</Text>}
        </Box>
      ))}
      {standing.length > shown.length ? <Text dimColor>{`  … ${standing.length - shown.length} more standing`}</Text> : null}
      {conflicts.map((e) => (
        <Text key={`conflict-${e.cause}`} color={color('yellow')}>
          {truncate(`  ⚠ conflict on ${titles.get(e.cause) ?? e.cause}: kept the ${e.conflict!.kept === 'for' ? 'evidence for it' : 'evidence against it'} (${e.conflict!.because})`, width - 2)}
        </Text>
      ))}
      {ruledOut.length ? <Text dimColor>{truncate(`  ✗ ruled out: ${ruledOut.map((e) => titles.get(e.cause) ?? e.cause).join('; ')}`, width - 2)}</Text> : null}
    </Box>
  );
}
