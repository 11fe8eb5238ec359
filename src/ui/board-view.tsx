import { Box, Text } from 'ink';
import React from 'react';
import type { BoardEntry } from '../engine/board.js';
import { CONFIDENCE_COLOR, CONFIDENCE_SYMBOL, color, truncate } from './theme.js';

/** The hypothesis board: every cause suspected, confirmed or ruled out, with its latest evidence. */
export function BoardView({ entries, titles, width }: { entries: BoardEntry[]; titles: ReadonlyMap<string, string>; width: number }) {
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold>Hypotheses</Text>
      {entries.length === 0 ? <Text dimColor>  none yet: answers and checks add them here</Text> : null}
      {entries.map((e) => (
        <Box key={e.cause} flexDirection="column">
          <Text>
            <Text color={color(CONFIDENCE_COLOR[e.confidence])}>{`  ${CONFIDENCE_SYMBOL[e.confidence]} ${e.confidence.padEnd(10)}`}</Text>
            <Text>{truncate(titles.get(e.cause) ?? e.cause, width - 16)}</Text>
          </Text>
          <Text dimColor>{`      ${truncate(e.evidence[e.evidence.length - 1] ?? '', width - 8)}`}</Text>
        </Box>
      ))}
    </Box>
  );
}
