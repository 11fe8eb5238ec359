import { Box, Text } from 'ink';
import React from 'react';

export function HelpView({ nodeHelp }: { nodeHelp?: string }) {
  return (
    <Box flexDirection="column" borderStyle="single" paddingX={1}>
      <Text bold>Keys</Text>
      <Text>  ↑/↓ or j/k  move      1–9  pick a choice      enter  answer / done</Text>
      <Text>  b  back (undo the last answer)    n  add a note to the timeline    c  copy the step's command</Text>
      <Text>  ?  this help    q  quit (everything is already saved)    s  skip the check that is running</Text>
      <Text>  While typing: enter submits, esc goes back, ctrl+n adds a note.</Text>
      {nodeHelp ? <Box marginTop={1} flexDirection="column"><Text bold>About this step</Text><Text>{nodeHelp}</Text></Box> : null}
      <Text dimColor>press any key to close</Text>
    </Box>
  );
}
