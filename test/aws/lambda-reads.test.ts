// The Lambda reads against moto_server over HTTP: configuration (timeout, state) and the
// resource-based policy that lets API Gateway or an ALB invoke the function.
import { expect, it } from 'vitest';
import { parsePolicy } from '../../src/aws/sdk/lambda-reads.js';
import { describeMoto, newAccount } from '../helpers/moto.js';
import { seedFunctions } from '../helpers/seed-lambda.js';

describeMoto('lambda reads against moto', (endpoint) => {
  it('reads timeout and policy statements; a function with no policy has none', async () => {
    const acct = await newAccount(endpoint());
    const apiArn = `arn:aws:execute-api:us-east-1:${acct.accountId}:abc123/*/GET/orders`;
    await seedFunctions(acct, [{ name: 'orders', timeoutSeconds: 35, allow: [{ principal: 'apigateway.amazonaws.com', sourceArn: apiArn }] }, { name: 'bare' }]);
    const reader = acct.reader();
    const fn = await reader.getFunctionConfiguration('orders');
    expect(fn).toMatchObject({ name: 'orders', timeoutSeconds: 35, runtime: 'nodejs20.x' });
    const policy = await reader.getFunctionPolicy('orders');
    expect(policy.statements).toEqual([expect.objectContaining({ sid: 'allow-0', principals: ['apigateway.amazonaws.com'], actions: ['lambda:InvokeFunction'], sourceArns: [apiArn] })]);
    expect((await reader.getFunctionPolicy('bare')).statements).toEqual([]);
    await expect(reader.getFunctionConfiguration('missing')).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});

it('reads a policy document as Lambda returns it (string principal, ArnLike condition, one statement object)', () => {
  // Shape from https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html (GetPolicy output).
  const p = parsePolicy(JSON.stringify({
    Version: '2012-10-17',
    Id: 'default',
    Statement: {
      Sid: 'elb', Effect: 'Allow', Principal: { Service: 'elasticloadbalancing.amazonaws.com' }, Action: 'lambda:InvokeFunction',
      Resource: 'arn:aws:lambda:us-east-1:123456789012:function:my-function',
      Condition: { ArnLike: { 'AWS:SourceArn': 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/my-tg/0123456789abcdef' } },
    },
  }));
  expect(p.statements).toEqual([{ sid: 'elb', effect: 'Allow', principals: ['elasticloadbalancing.amazonaws.com'], actions: ['lambda:InvokeFunction'], sourceArns: ['arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/my-tg/0123456789abcdef'], sourceAccounts: [] }]);
  expect(parsePolicy('{"Statement":[{"Effect":"Allow","Principal":"*","Action":["lambda:InvokeFunction"]}]}').statements[0].principals).toEqual(['*']);
});
