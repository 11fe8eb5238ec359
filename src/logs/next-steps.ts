/** One next step per cause, for the text output (the flow and the catalog say more). */
import type { LogCause } from './types.js';

export const NEXT_STEP: Record<LogCause, string> = {
  'keepalive-race': "make the backend's keep-alive timeout longer than the LB idle timeout (ALB default 60 s), e.g. Node: server.keepAliveTimeout = 65000; server.headersTimeout = 66000",
  'target-not-listening': 'check the process is up and listening on the target-group port (ss -ltnp on the target), and that the port in the target group is the real one',
  'target-crashed-or-overloaded': "read the app's logs, OOM kills and restarts around the burst (journalctl -k | grep -i oom; docker/ECS stop reasons); add capacity if CPU or memory were exhausted",
  'all-targets-unhealthy': 'every upstream is marked down: fix the app, then check max_fails/fail_timeout and the health checks',
  'target-tls-handshake': "compare the target's TLS protocols, ciphers and certificate with what the LB offers (openssl s_client -connect TARGET:PORT); check TargetTLSNegotiationErrorCount",
  'malformed-response': "curl -v the target directly and look for invalid header syntax, bare LF, a bad Content-Length, or headers over 32 KB",
  'response-headers-too-large': 'measure the response headers (curl -sD - -o /dev/null); trim big Set-Cookie/CSP headers or raise proxy_buffer_size on nginx',
  'deregistration-delay': 'raise deregistration_delay.timeout_seconds above your longest request, and let the app finish in-flight requests on SIGTERM',
  'target-generated-502': "the 502 came from the target itself (often an nginx/Envoy sidecar that can't reach the app): read that proxy's error log (badgate logs /var/log/nginx/error.log)",
  'lambda-invalid-response': 'return {statusCode, statusDescription, isBase64Encoded, headers, body} and keep the response under 1 MB',
  'lambda-error-or-timeout': "read the function's CloudWatch logs for errors, timeouts and throttles; compare its timeout and concurrency with the traffic",
  unclassified: 'read the example lines below; error_reason names authenticate, WAF or weighted-target-group failures',
  'origin-dns-failure': 'CloudFront could not resolve the origin domain with public DNS: dig ORIGIN @8.8.8.8, then publish the record (an alias to the ALB) or fix the origin domain',
  'timeout-mismatch': "a hop gave up waiting for the next one: API Gateway's integration timeout (29 s default) vs the backend's time, or CloudFront timing out on the origin (OriginCommError): compare the origin's response time with the origin response timeout, and check the origin's security group lets CloudFront in",
  'lambda-invoke-permission-missing': "let the gateway invoke the function (aws lambda get-policy --function-name FUNCTION shows who may): aws lambda add-permission --function-name FUNCTION --statement-id gateway-invoke --action lambda:InvokeFunction with --principal elasticloadbalancing.amazonaws.com --source-arn TARGET_GROUP_ARN for an ALB, or --principal apigateway.amazonaws.com and the API's execute-api ARN for API Gateway",
  'apigw-integration-misconfigured': 'read the failing method\'s integration (aws apigateway get-integration --rest-api-id API --resource-id RES --http-method METHOD): URI, VPC link status, mapping templates and integration responses',
};
