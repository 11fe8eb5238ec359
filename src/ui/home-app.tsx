import { Box, Text, useApp, useInput } from 'ink';
import React, { useRef, useState } from 'react';
import { useChoiceList } from './choice-list.js';
import { HelpView } from './help-view.js';
import { actionFor, footerFor } from './keymap.js';
import { color } from './theme.js';

export interface HomeChoice {
  value: string;
  label: string;
  hint?: string;
}

/** The first screen of a bare `badgate`: start, resume or replay. */
export function HomeApp({ choices, banner, onChoose }: { choices: HomeChoice[]; banner?: string; onChoose(value: string | undefined): void }) {
  const { exit } = useApp();
  const list = useChoiceList(choices.length, 'home');
  const [help, setHelpState] = useState(false);
  // Keys can arrive before React re-renders: the handler reads the ref.
  const helpRef = useRef(false);
  const setHelp = (v: boolean) => { helpRef.current = v; setHelpState(v); };
  useInput((input, key) => {
    if (helpRef.current) { setHelp(false); return; }
    const action = actionFor('home', input, key);
    if (action === 'help') { setHelp(true); return; }
    if (action === 'quit') { onChoose(undefined); exit(); return; }
    const r = list.handle(input, key);
    if (r.chosen !== undefined) { onChoose(choices[r.chosen].value); exit(); }
  });
  return (
    <Box flexDirection="column">
      <Box borderStyle="round" borderColor={color('cyan')} paddingX={1} flexDirection="column">
        <Text bold>badgate — 502 Bad Gateway incident wizard</Text>
        {banner ? <Text dimColor>{banner}</Text> : null}
      </Box>
      {help ? <HelpView contexts={['home']} nodeHelp="Start a new incident, resume one you left (nothing typed is lost), or replay a recording offline. In the wizard, ? shows the keys of each screen." /> : (
        <Box flexDirection="column" marginTop={1}>
          {choices.map((c, i) => (
            <Box key={c.value} flexDirection="column">
              <Text color={i === list.cursor ? color('cyan') : undefined} bold={i === list.cursor}>{`${i === list.cursor ? '›' : ' '} ${i + 1}. ${c.label}`}</Text>
              {/* A box, so a hint that wraps keeps its indent. */}
              {c.hint ? <Box paddingLeft={5}><Text dimColor>{c.hint}</Text></Box> : null}
            </Box>
          ))}
        </Box>
      )}
      <Text dimColor>{footerFor('home')}</Text>
    </Box>
  );
}
