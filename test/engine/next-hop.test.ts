import { describe, expect, it } from 'vitest';
import { nextHop } from '../../src/engine/next-hop.js';

const FLOWS = ['alb', 'cloudfront', 'apigw', 'nlb', 'nginx'];
const ended = { node: 'done', at: '2026-12-04T10:00:00.000Z' };

describe('nextHop', () => {
  it('CloudFront → ALB: the origin ALB and the affected URL, with the intake answers carried', () => {
    const hop = nextHop({ sessionId: 's1', flowId: 'cloudfront', ended, facts: { 'handover.flow': 'alb', 'cf.origin.albName': 'web-alb', 'incident.url': 'https://www.example.com/', 'incident.title': 'Shop 502', 'incident.startedAt': '2026-12-04T09:30:00.000Z', 'target.profile': 'prod' } }, FLOWS);
    expect(hop).toEqual({
      flow: 'alb', lb: 'web-alb', url: 'https://www.example.com/',
      carried: { 'handover.from': 's1', 'handover.fromFlow': 'cloudfront', 'incident.title': 'Shop 502', 'incident.startedAt': '2026-12-04T09:30:00.000Z' },
    });
  });

  it('API Gateway → NLB names the VPC link\'s NLB; an HTTP backend\'s URL wins over the affected URL', () => {
    expect(nextHop({ sessionId: 's2', flowId: 'apigw', ended, facts: { 'handover.flow': 'nlb', 'apigw.nlbName': 'billing-nlb' } }, FLOWS)).toMatchObject({ flow: 'nlb', lb: 'billing-nlb' });
    expect(nextHop({ sessionId: 's3', flowId: 'apigw', ended, facts: { 'handover.flow': 'nginx', 'apigw.backendUrl': 'http://backend.example.com/orders', 'incident.url': 'https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod/orders' } }, FLOWS)?.url).toBe('http://backend.example.com/orders');
  });

  it('no hand-over before the end, to the same flow, or to a flow that is not shipped', () => {
    expect(nextHop({ sessionId: 's', flowId: 'cloudfront', ended: null, facts: { 'handover.flow': 'alb' } }, FLOWS)).toBeUndefined();
    expect(nextHop({ sessionId: 's', flowId: 'alb', ended, facts: { 'handover.flow': 'alb' } }, FLOWS)).toBeUndefined();
    expect(nextHop({ sessionId: 's', flowId: 'cloudfront', ended, facts: { 'handover.flow': 'nosuch' } }, FLOWS)).toBeUndefined();
    expect(nextHop({ sessionId: 's', flowId: 'cloudfront', ended, facts: {} }, FLOWS)).toBeUndefined();
  });
});
