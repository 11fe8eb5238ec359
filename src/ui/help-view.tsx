import { Box, Text } from 'ink';
import React from 'react';
import { helpFor, type KeyContext } from './keymap.js';

/** The keys of the given screens, written from the keymap (the same table the input handlers read). */
export function HelpView({ nodeHelp, contexts, drill = false }: { nodeHelp?: string; contexts: readonly KeyContext[]; drill?: boolean }) {
  const keys = helpFor(contexts, { drill });
  const w = Math.max(...keys.map((k) => k.keys.length));
  return (
    <Box flexDirection="column" borderStyle="single" paddingX={1}>
      <Text bold>Keys</Text>
      {keys.map((k) => <Text key={`${k.keys}-${k.help}`}>{`  ${k.keys.padEnd(w)}  ${k.help}`}</Text>)}
      {nodeHelp ? <Box marginTop={1} flexDirection="column"><Text bold>About this step</Text><Text>{nodeHelp}</Text></Box> : null}
      <Text dimColor>press any key to close</Text>
    </Box>
  );
}
