import { Box, Text, useApp, useInput } from 'ink';
import React, { useState } from 'react';
import { color } from './theme.js';

export interface HomeChoice {
  value: string;
  label: string;
  hint?: string;
}

/** The first screen of a bare `badgate`: start, resume or replay. */
export function HomeApp({ choices, banner, onChoose }: { choices: HomeChoice[]; banner?: string; onChoose(value: string | undefined): void }) {
  const { exit } = useApp();
  const [cursor, setCursor] = useState(0);
  useInput((input, key) => {
    if (key.upArrow || input === 'k') setCursor((c) => (c + choices.length - 1) % choices.length);
    else if (key.downArrow || input === 'j') setCursor((c) => (c + 1) % choices.length);
    else if (/^[1-9]$/.test(input) && Number(input) <= choices.length) setCursor(Number(input) - 1);
    else if (key.return) { onChoose(choices[cursor].value); exit(); }
    else if (input === 'q' || key.escape) { onChoose(undefined); exit(); }
  });
  return (
    <Box flexDirection="column">
      <Box borderStyle="round" borderColor={color('cyan')} paddingX={1} flexDirection="column">
        <Text bold>badgate — 502 Bad Gateway incident wizard</Text>
        {banner ? <Text dimColor>{banner}</Text> : null}
      </Box>
      <Box flexDirection="column" marginTop={1}>
        {choices.map((c, i) => (
          <Box key={c.value} flexDirection="column">
            <Text color={i === cursor ? color('cyan') : undefined} bold={i === cursor}>{`${i === cursor ? '›' : ' '} ${i + 1}. ${c.label}`}</Text>
            {c.hint ? <Text dimColor>{`     ${c.hint}`}</Text> : null}
          </Box>
        ))}
      </Box>
      <Text dimColor>↑↓ move · enter choose · q quit</Text>
    </Box>
  );
}
