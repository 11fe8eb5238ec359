// Seeds CloudWatch Logs in moto: a group, one stream, and the given lines as events.
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { MotoAccount } from './moto-server.js';

export interface SeedEvent {
  /** Epoch ms; or a number of ms before `now`. */
  at: number;
  message: string;
}

/** Creates the group (and a stream) and writes the events, oldest first as PutLogEvents requires. */
export async function seedLogGroup(acct: Pick<MotoAccount, 'clientConfig'>, group: string, events: SeedEvent[], stream = '2026/12/03/[$LATEST]0123456789abcdef'): Promise<void> {
  const logs = new CloudWatchLogsClient(acct.clientConfig);
  await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
  if (!events.length) return;
  const sorted = [...events].sort((a, b) => a.at - b.at);
  await logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: sorted.map((e) => ({ timestamp: e.at, message: e.message })) }));
}

/** Lines one after another, a second apart, ending `endMs`. */
export function eventsAt(endMs: number, lines: string[]): SeedEvent[] {
  return lines.map((message, i) => ({ at: endMs - (lines.length - i) * 1000, message }));
}
