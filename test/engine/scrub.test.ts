import { describe, expect, it } from 'vitest';
import { scrubValue } from '../../src/engine/scrub.js';

describe('the one scrubber', () => {
  it('drops text under credential keys and key-shaped values, and leaves flags and counts alone', () => {
    const out = scrubValue({
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE', SecretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', sessionToken: 'FwoGZXIvYXdzEJr',
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/sts/aws4_request', cookie: 'a=b' },
      note: 'keys AKIAIOSFODNN7EXAMPLE in text',
      keepalive: { signature: false, keepaliveSignature: true, tokenCount: 3 },
    });
    expect(JSON.stringify(out)).not.toMatch(/AKIAIOSFODNN7EXAMPLE|wJalrXUtnFEMI|FwoGZXIvYXdzEJr|a=b/);
    expect(out.keepalive).toEqual({ signature: false, keepaliveSignature: true, tokenCount: 3 });
  });
});
