import { describe, expect, it } from 'vitest';
import { awsChecks } from '../../src/checks/aws.js';
import { allChecks } from '../../src/checks/registry.js';
import { buildIamPolicy, declaredActions } from '../../src/checks/iam-policy.js';
import type { CheckMeta } from '../../src/engine/vocabulary.js';

const meta = (apis: string[]): { meta: CheckMeta } => ({ meta: { id: 'x', title: 'x', docs: 'https://x', apis, params: {}, outcomes: [] } });

describe('buildIamPolicy', () => {
  it('covers every action the aws checks declare, grouped per service, Resource * for describes', () => {
    const policy = buildIamPolicy();
    const granted = policy.Statement.flatMap((s) => s.Action);
    for (const a of declaredActions(awsChecks)) expect(granted).toContain(a);
    const elb = policy.Statement.find((s) => s.Sid === 'ElbDescribe');
    expect(elb?.Resource).toBe('*');
    expect(elb?.Action).toContain('elasticloadbalancing:DescribeTargetHealth');
    expect(policy.Statement.find((s) => s.Sid === 'NetworkDescribe')?.Action).toContain('ec2:DescribeNetworkAcls');
    expect(policy.Version).toBe('2012-10-17');
  });

  it('covers the checks outside the aws set too: the Lambda target reads, scoped to functions', () => {
    const policy = buildIamPolicy();
    const granted = policy.Statement.flatMap((s) => s.Action);
    for (const a of declaredActions([...allChecks])) expect(granted).toContain(a);
    expect(policy.Statement.find((s) => s.Sid === 'LambdaTargets')).toMatchObject({
      Action: ['lambda:GetFunctionConfiguration', 'lambda:GetPolicy'], Resource: 'arn:aws:lambda:*:ACCOUNT_ID:function:*',
    });
    expect(JSON.stringify(policy)).not.toContain('Microsoft.');
  });

  it('scopes S3 to the LOG_BUCKET placeholders and skips probe entries', () => {
    const policy = buildIamPolicy([meta(['s3:ListBucket', 's3:GetObject', 'probe:tcp', 'cloudwatch:GetMetricData']) as never]);
    const list = policy.Statement.find((s) => s.Sid === 'AccessLogList');
    expect(list).toMatchObject({ Resource: 'arn:aws:s3:::LOG_BUCKET', Condition: { StringLike: { 's3:prefix': ['LOG_PREFIX/AWSLogs/*'] } } });
    expect(policy.Statement.find((s) => s.Sid === 'AccessLogRead')?.Resource).toBe('arn:aws:s3:::LOG_BUCKET/LOG_PREFIX/AWSLogs/*');
    expect(JSON.stringify(policy)).not.toContain('probe:');
  });

  it('grants apigateway:GET on the REST and HTTP API paths and VPC links only, and the Lambda reads on functions', () => {
    const policy = buildIamPolicy();
    const apigw = policy.Statement.find((s) => s.Sid === 'ApiGatewayRead');
    expect(apigw?.Action).toEqual(['apigateway:GET']);
    expect(apigw?.Resource).toEqual(expect.arrayContaining(['arn:aws:apigateway:*::/restapis/*', 'arn:aws:apigateway:*::/apis/*', 'arn:aws:apigateway:*::/vpclinks/*']));
    expect(apigw?.Resource).not.toContain('*');
    const lambda = policy.Statement.find((s) => s.Action.includes('lambda:GetPolicy'));
    expect(lambda).toMatchObject({ Action: ['lambda:GetFunctionConfiguration', 'lambda:GetPolicy'], Resource: 'arn:aws:lambda:*:ACCOUNT_ID:function:*' });
  });

  it('grants nothing a check does not declare', () => {
    const policy = buildIamPolicy([meta(['ec2:DescribeInstances']) as never]);
    expect(policy.Statement).toEqual([{ Sid: 'NetworkDescribe', Effect: 'Allow', Action: ['ec2:DescribeInstances'], Resource: '*' }]);
  });
});

describe('iam-policy --with athena', () => {
  it('adds the Athena SELECT, Glue read and result-bucket statements that logs --athena needs, and only then', async () => {
    const { athenaStatements, buildIamPolicy } = await import('../../src/checks/iam-policy.js');
    const base = buildIamPolicy().Statement.flatMap((s) => s.Action);
    expect(base).not.toContain('athena:StartQueryExecution');
    const extra = athenaStatements().flatMap((s) => s.Action);
    // Everything the Athena adapter sends (src/aws/sdk/athena.ts) is granted.
    expect(extra).toEqual(expect.arrayContaining(['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults', 'glue:GetTable']));
    expect(extra.filter((a) => /:(Create|Delete|Update|Put)/.test(a))).toEqual(['s3:PutObject']);
  });
});
