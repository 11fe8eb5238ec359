import { requireAws } from './env.js';
import type { Check } from './types.js';

export interface WhoAmIEvidence {
  account: string;
  arn: string;
  region: string;
}

/** Who the run acts as. Never the keys: only the account, principal ARN and region. */
export const stsWhoami: Check<WhoAmIEvidence> = {
  meta: {
    id: 'sts.whoami',
    title: 'Which AWS account and principal this run uses',
    docs: 'https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html',
    apis: ['sts:GetCallerIdentity'],
    params: {},
    outcomes: ['ok'],
    facts: ['aws.account', 'aws.arn', 'aws.region'],
  },
  async collect(ctx) {
    const aws = requireAws(ctx);
    const id = await aws.getCallerIdentity();
    return { account: id.account, arn: id.arn, region: aws.region };
  },
  evaluate: (ev) => ({
    status: 'pass',
    outcome: 'ok',
    summary: `AWS account ${ev.account} as ${ev.arn} in ${ev.region}`,
    facts: { 'aws.account': ev.account, 'aws.arn': ev.arn, 'aws.region': ev.region },
  }),
};
