import { apigwGatewayResponses } from './apigw-gateway-responses.js';
import { apigwIntegration } from './apigw-integration.js';
import { apigwResolve } from './apigw-resolve.js';
import { apigwStage } from './apigw-stage.js';
import { clbAttributes } from './clb-attributes.js';
import { clbInstanceHealth } from './clb-instance-health.js';
import { clbNetworkPath } from './clb-network-path.js';
import { clbResolve } from './clb-resolve.js';
import { cloudwatchApigwMetrics } from './cloudwatch-apigw-metrics.js';
import { cloudwatchClbMetrics } from './cloudwatch-clb-metrics.js';
import { cloudwatchLambdaMetrics } from './cloudwatch-lambda-metrics.js';
import { cloudwatchWhoMade502 } from './cloudwatch-who-made-502.js';
import { ec2Instances } from './ec2-instances.js';
import { ec2NetworkPath } from './ec2-network-path.js';
import { elbv2LbAttributes } from './elbv2-lb-attributes.js';
import { elbv2Resolve } from './elbv2-resolve.js';
import { elbv2TargetGroupConfig } from './elbv2-target-group-config.js';
import { elbv2TargetHealth } from './elbv2-target-health.js';
import { nlbClientPath } from './nlb-client-path.js';
import { cloudwatchNlbResets } from './cloudwatch-nlb-resets.js';
import { stsWhoami } from './sts-whoami.js';
import { timeoutChain } from './timeout-chain.js';
import type { Check } from './types.js';

/** The aws checks, registered by id in ./registry.ts. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each check has its own evidence type; the registry only needs the shape
export const awsChecks: Check<any>[] = [
  stsWhoami,
  elbv2Resolve,
  elbv2TargetHealth,
  ec2Instances,
  ec2NetworkPath,
  elbv2LbAttributes,
  elbv2TargetGroupConfig,
  timeoutChain,
  cloudwatchWhoMade502,
  clbResolve,
  clbInstanceHealth,
  clbNetworkPath,
  clbAttributes,
  cloudwatchClbMetrics,
  nlbClientPath,
  cloudwatchLambdaMetrics,
  apigwResolve,
  apigwIntegration,
  apigwStage,
  apigwGatewayResponses,
  cloudwatchApigwMetrics,
  cloudwatchNlbResets,
];
