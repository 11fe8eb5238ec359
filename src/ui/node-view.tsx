import { Box, Text } from 'ink';
import { Spinner } from '@inkjs/ui';
import React from 'react';
import type { Facts } from '../engine/vocabulary.js';
import type { QuestionNode, StepNode } from '../engine/flow-schema.js';
import { interpolate, interpolateShell, type Lookups } from '../engine/template.js';
import type { Running } from './use-session.js';
import { color, truncate } from './theme.js';

export function RunningView({ running }: { running: Running }) {
  return (
    <Box marginTop={1}>
      <Spinner label={`${running.title}: ${running.message}  (s skips it)`} />
    </Box>
  );
}

/**
 * Flow text is written with line breaks at ~100 columns; re-flow it so the terminal wraps it at its
 * own width. Blank lines and list items (1. / - ) keep their breaks.
 */
export function reflow(text: string): string {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const prev = out.at(-1);
    const item = /^\s*(\d+[.)]|[-*•])\s/.test(line);
    if (prev !== undefined && prev.trim() !== '' && line.trim() !== '' && !item) out[out.length - 1] = `${prev} ${line.trim()}`;
    else out.push(line);
  }
  return out.join('\n');
}

export interface NodeViewProps {
  node: QuestionNode | StepNode;
  facts: Readonly<Facts>;
  /** How commands read facts not known yet (the flow's lookups). */
  lookups?: Lookups;
  cursor: number;
  /** Long commands are cut to this width here; they are printed whole above. */
  width?: number;
  /** A short terminal (80x24): no blank lines between the parts. */
  compact?: boolean;
  text: string;
  error?: string;
  notice?: string;
}

/** The current question or manual step: its text, the commands to copy, and the answer widget. */
export function NodeView({ node, facts, lookups, cursor, width = 1000, compact = false, text, error, notice }: NodeViewProps) {
  const gap = compact ? 0 : 1;
  const input = node.kind === 'question' ? node.input : undefined;
  return (
    <Box flexDirection="column" marginTop={gap}>
      <Text bold color={color('cyan')}>{`${node.kind === 'step' ? '▶ ' : '? '}${interpolate(node.title, facts)}`}</Text>
      {node.body ? <Text>{reflow(interpolate(node.body, facts).trimEnd())}</Text> : null}
      {node.kind === 'step' && node.commands?.length ? (
        // No border: a box's side bars and padding end up in a copied command.
        <Box flexDirection="column" marginTop={gap}>
          {node.commands.map((c, i) => <Text key={i}>{truncate(`${node.commands!.length > 1 ? `${i + 1}) ` : ''}${interpolateShell(c, facts, lookups)}`, width)}</Text>)}
          <Text dimColor>{`${node.commands.length > 1 ? 'c copies the next command' : 'c copies the command'} to the clipboard (OSC 52)${node.commands.some((c) => interpolateShell(c, facts, lookups).length + 3 > width) ? '; each is printed whole above' : ''}`}</Text>
        </Box>
      ) : null}
      <Box flexDirection="column" marginTop={gap}>
        {node.choices?.map((c, i) => (
          <Text key={c.value} color={i === cursor ? color('cyan') : undefined} bold={i === cursor}>
            {`${i === cursor ? '›' : ' '} ${i < 9 ? `${i + 1}.` : '  '} ${c.label}`}
          </Text>
        ))}
        {input ? (
          <Text>
            <Text color={color('cyan')}>{'› '}</Text>
            {text ? <Text>{text}</Text> : <Text dimColor>{input.placeholder ?? ''}{input.optional ? ' (enter to skip)' : ''}</Text>}
            <Text inverse>{' '}</Text>
          </Text>
        ) : null}
        {!node.choices && !input ? <Text color={color('cyan')}>{'› press enter when done'}</Text> : null}
        {error ? <Text color={color('red')}>{`✘ ${error}`}</Text> : null}
        {notice ? <Text color={color('green')}>{`✔ ${notice}`}</Text> : null}
      </Box>
    </Box>
  );
}
