import { Box, Static, Text } from 'ink';
import React from 'react';
import type { CheckEntry } from '../engine/session.js';
import { sparkline } from '../logs/sparkline.js';
import { STATUS_COLOR, STATUS_SYMBOL, color, truncate } from './theme.js';

export function CheckLine({ entry, width }: { entry: CheckEntry; width: number }) {
  const r = entry.result;
  return (
    <Box flexDirection="column">
      <Text>
        <Text color={color(STATUS_COLOR[r.status])}>{`${STATUS_SYMBOL[r.status]} ${r.status.toUpperCase().padEnd(7)}`}</Text>
        <Text bold>{entry.check}</Text>
        <Text>{` ${truncate(r.summary, width - entry.check.length - 12)}`}</Text>
      </Text>
      {(r.details ?? []).slice(0, 6).map((d, i) => <Text key={i} dimColor>{`          ${truncate(d, width - 12)}`}</Text>)}
      {(r.series ?? []).filter((x) => x.values.some((v) => v > 0)).slice(0, 4).map((x) => (
        <Text key={x.name}>{`          ${x.name.slice(0, 28).padEnd(28)} ${sparkline(x.values, Math.max(10, width - 52))} max ${Math.max(...x.values)}`}</Text>
      ))}
      {r.nextStep ? <Text color={color('yellow')}>{`          next step: ${truncate(r.nextStep, width - 22)}`}</Text> : null}
    </Box>
  );
}

/** Commands printed whole into the scrollback, so a copy from the screen is one unbroken line. */
export interface PrintedCommands {
  key: string;
  title: string;
  commands: string[];
}

export type LogItem = { kind: 'check'; entry: CheckEntry } | { kind: 'commands'; block: PrintedCommands };

/**
 * Finished checks and the full commands of each step, written once above the live screen.
 * A command is never wrapped by the layout (its box is as wide as the command): the terminal
 * soft-wraps it, so a copy (or `tmux capture-pane -J`) gives the command whole. Only this
 * part is written once; the live screen below is redrawn and keeps to the terminal's width.
 */
export function CheckLog({ entries, width, items }: { entries?: CheckEntry[]; width: number; items?: LogItem[] }) {
  const all: LogItem[] = items ?? (entries ?? []).map((entry) => ({ kind: 'check', entry }));
  return (
    <Static items={all.map((it, i) => ({ it, key: it.kind === 'check' ? `${i}-${it.entry.node}-${it.entry.at}` : `${i}-${it.block.key}` }))}>
      {({ it, key }) => it.kind === 'check'
        ? <CheckLine key={key} entry={it.entry} width={width} />
        : (
          <Box key={key} flexDirection="column">
            <Text dimColor>{`── commands: ${it.block.title}`}</Text>
            {it.block.commands.map((c, i) => <Box key={i} width={Math.max(width, c.length + 1)}><Text>{c}</Text></Box>)}
          </Box>
        )}
    </Static>
  );
}
