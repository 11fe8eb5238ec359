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

/** Finished checks, written once above the live screen. */
export function CheckLog({ entries, width }: { entries: CheckEntry[]; width: number }) {
  return (
    <Static items={entries.map((e, i) => ({ e, key: `${i}-${e.node}-${e.at}` }))}>
      {({ e, key }) => <CheckLine key={key} entry={e} width={width} />}
    </Static>
  );
}
