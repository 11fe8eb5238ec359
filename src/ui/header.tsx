import { Box, Text } from 'ink';
import React from 'react';
import type { Phase } from '../engine/flow-schema.js';
import { color, elapsed, truncate } from './theme.js';

export interface HeaderProps {
  title: string;
  incidentStart?: string;
  now: Date;
  phases: readonly Phase[];
  current?: Phase;
  /** Phases the path has been through; the fast lanes skip some. */
  visited: ReadonlySet<Phase>;
  /** Phases that were examined (a check answered, a step was looked at); only these get a tick. */
  examined?: ReadonlySet<Phase>;
  answered: number;
  width: number;
  /** What the clock counts from; a drill counts from its own start. */
  clockLabel?: string;
}

/** Incident title, time since it started, and the phase breadcrumb with progress. */
export function Header({ title, incidentStart, now, phases, current, visited, examined = visited, answered, width, clockLabel = 'since start' }: HeaderProps) {
  const idx = current ? phases.indexOf(current) : phases.length - 1;
  const clock = incidentStart ? `⏱ ${elapsed(incidentStart, now)} ${clockLabel}` : '';
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={color('cyan')} paddingX={1} width={Math.min(width, 100)}>
      <Box justifyContent="space-between">
        <Text bold>{truncate(`badgate · ${title}`, Math.max(20, Math.min(width, 100) - clock.length - 6))}</Text>
        <Text color={color('yellow')}>{clock}</Text>
      </Box>
      <Text wrap="truncate-end">
        {phases.map((p, i) => (
          <Text key={p}>
            {i > 0 ? <Text dimColor> › </Text> : null}
            {i === idx
              ? <Text bold underline>{`[${p}]`}</Text>
              : examined.has(p)
                ? <Text color={color('green')}>{`✓${p}`}</Text>
                // Passed through on unknown checks or skipped steps: not done, and it says so.
                : visited.has(p) ? <Text color={color('yellow')}>{`?${p}`}</Text> : <Text dimColor>{p}</Text>}
          </Text>
        ))}
        <Text dimColor>{`  phase ${idx + 1}/${phases.length} · ${answered} answered`}</Text>
      </Text>
    </Box>
  );
}
