import { describe, expect, it } from 'vitest';
import { createMemoReader } from '../../src/aws/memo-reader.js';
import type { AwsReader } from '../../src/aws/reader.js';

describe('createMemoReader', () => {
  it('answers identical calls once, distinct args separately, and does not cache failures', async () => {
    let calls = 0;
    let fail = true;
    const inner = {
      region: 'us-east-1',
      describeTargetHealth: async (arn: string) => { calls++; return [{ id: arn, state: 'healthy' }]; },
      describeLoadBalancerAttributes: async () => {
        calls++;
        if (fail) { fail = false; throw Object.assign(new Error('slow down'), { name: 'Throttling' }); }
        return { a: '1' };
      },
    } as unknown as AwsReader;
    const memo = createMemoReader(inner);
    await Promise.all([memo.describeTargetHealth('tg1'), memo.describeTargetHealth('tg1')]);
    await memo.describeTargetHealth('tg2');
    expect(calls).toBe(2);
    await expect(memo.describeLoadBalancerAttributes('lb')).rejects.toThrow('slow down');
    expect(await memo.describeLoadBalancerAttributes('lb')).toEqual({ a: '1' });
    expect(calls).toBe(4);
  });
});
