// A recording keeps what its run was pointed at, so `--replay FILE` alone asks what the recorded run
// asked; flags given with the replay still win.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newRecording } from '../../src/ports/recording.js';
import { setupRun } from '../../src/run-context.js';

describe('replay targeting', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'badgate-replay-target-')), 'rec.json');
  writeFileSync(file, JSON.stringify({ ...newRecording('eu-west-1'), target: { api: 'a1b2c3d4e5', stage: 'prod', url: 'http://127.0.0.1:8080/orders', since: '30m' } }));

  it('the recorded target fills the flags not given', async () => {
    const { facts, mode } = await setupRun({ replay: file });
    expect(mode).toBe('replay');
    expect(facts).toMatchObject({ 'target.api': 'a1b2c3d4e5', 'target.stage': 'prod', 'target.url': 'http://127.0.0.1:8080/orders', 'target.since': '30m', 'target.region': 'eu-west-1' });
  });

  it('a flag given with the replay wins over the recorded one', async () => {
    const { facts } = await setupRun({ replay: file, stage: 'staging', since: '2h' });
    expect(facts).toMatchObject({ 'target.api': 'a1b2c3d4e5', 'target.stage': 'staging', 'target.since': '2h' });
  });

  it('a recording from before targets were kept replays with the defaults', async () => {
    const old = join(mkdtempSync(join(tmpdir(), 'badgate-replay-target-')), 'old.json');
    writeFileSync(old, JSON.stringify(newRecording('us-east-1')));
    const { facts } = await setupRun({ replay: old });
    expect(facts['target.api']).toBeUndefined();
    expect(facts['target.since']).toBe('3h');
  });
});
