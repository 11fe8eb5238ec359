import { Box, Text, useApp, useInput } from 'ink';
import React, { useRef, useState } from 'react';
import { color } from './theme.js';
import { strokes } from './wizard-state.js';

export interface HomeChoice {
  value: string;
  label: string;
  hint?: string;
}

/** The first screen of a bare `badgate`: start, resume or replay. */
export function HomeApp({ choices, banner, onChoose }: { choices: HomeChoice[]; banner?: string; onChoose(value: string | undefined): void }) {
  const { exit } = useApp();
  const [cursor, setCursorState] = useState(0);
  // Keys can arrive before React re-renders ("2\r" in one chunk from tmux or a paste): read the ref.
  const cursorRef = useRef(0);
  const setCursor = (next: number) => { cursorRef.current = next; setCursorState(next); };
  const choose = () => { onChoose(choices[cursorRef.current].value); exit(); };
  useInput((input, key) => {
    if (key.upArrow || input === 'k') setCursor((cursorRef.current + choices.length - 1) % choices.length);
    else if (key.downArrow || input === 'j') setCursor((cursorRef.current + 1) % choices.length);
    else if (key.return) choose();
    else if (input === 'q' || key.escape) { onChoose(undefined); exit(); }
    else {
      for (const k of strokes(input)) {
        if (k.kind === 'char' && /^[1-9]$/.test(k.ch) && Number(k.ch) <= choices.length) setCursor(Number(k.ch) - 1);
        else if (k.kind === 'enter') { choose(); return; }
      }
    }
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
