// API Gateway and Lambda log lines, each as AWS documents or a public report shows it.
// Request ids, IPs and times are the sources' own or documentation ranges (192.0.2.0/24, 198.51.100.0/24).

/**
 * Execution log, as the Knowledge Center quotes the console's output:
 * https://repost.aws/knowledge-center/malformed-502-api-gateway
 */
export const KC_MALFORMED_CONSOLE = [
  'Thu Dec 08 01:13:00 UTC 2016 : Execution failed due to configuration error: Malformed Lambda proxy response',
  'Thu Dec 08 01:13:00 UTC 2016 : Method completed with status: 502',
];

/**
 * Execution log as CloudWatch stores it: every message prefixed with `(request-id) `
 * (https://repost.aws/knowledge-center/api-gateway-errors-cloudwatch-logs). The messages of one request:
 * malformed proxy response (KC malformed-502-api-gateway), missing invoke permission
 * (https://repost.aws/knowledge-center/api-gateway-rest-api-lambda-integrations; the 500 as in
 * https://github.com/CodeGenieApp/serverless-express/issues/247), a function timeout reported as a customer
 * function error, an integration timeout (REST answers 504), and a VPC-link failure as
 * https://repost.aws/knowledge-center/api-gateway-500-error-vpc quotes it (answered 500).
 */
export function execRequest(id: string, kind: 'malformed' | 'permission' | 'function-timeout' | 'integration-timeout' | 'ok' | 'http-502' | 'vpc-link'): string[] {
  const head = [
    `(${id}) Extended Request Id: d4qiDGxbBcwFXJw=`,
    `(${id}) Starting execution for request: ${id}`,
    `(${id}) HTTP Method: GET, Resource Path: /orders`,
  ];
  const lambda = `(${id}) Sending request to https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:orders/invocations`;
  switch (kind) {
    case 'malformed': return [...head, lambda, `(${id}) Execution failed due to configuration error: Malformed Lambda proxy response`, `(${id}) Method completed with status: 502`];
    case 'permission': return [...head, lambda, `(${id}) Execution failed due to configuration error: Invalid permissions on Lambda function`, `(${id}) Method completed with status: 500`];
    case 'function-timeout': return [...head, lambda, `(${id}) Lambda execution failed with status 200 due to customer function error: 2026-12-03T08:00:03.012Z ${id} Task timed out after 3.00 seconds`, `(${id}) Method completed with status: 502`];
    case 'integration-timeout': return [...head, lambda, `(${id}) Execution failed due to a timeout error`, `(${id}) Method completed with status: 504`];
    case 'http-502': return [...head, `(${id}) Sending request to http://backend.example.com/orders`, `(${id}) Received response. Status: 502, Integration latency: 12 ms`, `(${id}) Method completed with status: 502`];
    case 'vpc-link': return [...head, `(${id}) Sending request to http://internal-nlb.example.com/orders`, `(${id}) Execution failed due to configuration error: There was an internal error while executing your request`, `(${id}) Method completed with status: 500`];
    case 'ok': return [...head, lambda, `(${id}) Received response. Status: 200, Integration latency: 45 ms`, `(${id}) Method completed with status: 200`];
  }
}

/**
 * Access logs in the JSON formats the console proposes
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html for REST,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging.html for HTTP APIs),
 * with $context.integrationErrorMessage and $context.integration.status added as
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-lambda.html advises.
 */
export const HTTP_API_PERMISSION = JSON.stringify({
  requestId: 'KFzp5gqFoAMEJhg=', ip: '198.51.100.0', requestTime: '03/Dec/2026:08:00:01 +0000', httpMethod: 'GET', routeKey: 'GET /hello',
  status: '500', protocol: 'HTTP/1.1', responseLength: '35',
  // The message the Knowledge Center quotes: https://repost.aws/knowledge-center/api-gateway-http-lambda-integrations
  integrationErrorMessage: "The IAM role configured on the integration or API Gateway doesn't have permissions to call the integration. Check the permissions and try again.",
});
export const HTTP_API_OK = JSON.stringify({
  requestId: 'KFzp9hXKoAMEJKw=', ip: '198.51.100.7', requestTime: '03/Dec/2026:08:00:02 +0000', httpMethod: 'GET', routeKey: 'GET /hello',
  status: '200', protocol: 'HTTP/1.1', responseLength: '12', integrationErrorMessage: '-',
});
export const REST_JSON_BACKEND_502 = JSON.stringify({
  requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef', ip: '192.0.2.1', caller: '-', user: '-', requestTime: '03/Dec/2026:08:00:03 +0000',
  httpMethod: 'GET', resourcePath: '/orders', status: '502', protocol: 'HTTP/1.1', responseLength: '122', 'integration.status': '502',
});
export const REST_JSON_TIMEOUT = JSON.stringify({
  requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbee2', ip: '192.0.2.2', caller: '-', user: '-', requestTime: '03/Dec/2026:08:00:04 +0000',
  httpMethod: 'POST', resourcePath: '/orders', status: '504', protocol: 'HTTP/1.1', responseLength: '41', errorMessage: 'Endpoint request timed out', errorResponseType: 'INTEGRATION_TIMEOUT',
});

/** The console's CLF format for REST (… $context.requestId $context.extendedRequestId), set-up-logging page. */
export const REST_CLF_502 = '192.0.2.1 - - [03/Dec/2026:08:00:05 +0000] "GET /orders HTTP/1.1" 502 36 c6af9ac6-7b61-11e6-9a41-93e8deadbee3 d4qiDGxbBcwFXJw=';
export const REST_CLF_200 = '192.0.2.9 - - [03/Dec/2026:08:00:06 +0000] "GET /orders HTTP/1.1" 200 512 c6af9ac6-7b61-11e6-9a41-93e8deadbee4 d4qiEHxbBcwFYKx=';
/** HTTP API CLF with $context.integrationErrorMessage appended (http-api-troubleshooting-lambda). */
export const HTTP_CLF_PERMISSION = `198.51.100.0 - - [03/Dec/2026:08:00:07 +0000] "GET GET /hello HTTP/1.1" 500 35 KFzp5gqFoAMEJhg= The IAM role configured on the integration or API Gateway doesn't have permissions to call the integration. Check the permissions and try again.`;

/** Lambda function log lines. */
export const LAMBDA = {
  // https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html (START/END/REPORT, tab-separated REPORT fields)
  start: (id: string) => `START RequestId: ${id} Version: $LATEST`,
  end: (id: string) => `END RequestId: ${id}`,
  report: (id: string, ms = '12.45', status = '') => `REPORT RequestId: ${id}\tDuration: ${ms} ms\tBilled Duration: ${Math.ceil(Number(ms))} ms\tMemory Size: 128 MB\tMax Memory Used: 67 MB${status ? `\tStatus: ${status}` : ''}`,
  // https://repost.aws/knowledge-center/lambda-troubleshoot-invocation-timeouts
  timedOut: (id: string, seconds = '3.00') => `2026-12-03T08:00:03.012Z ${id} Task timed out after ${seconds} seconds`,
  // https://docs.aws.amazon.com/lambda/latest/dg/nodejs-exceptions.html
  nodeError: (id: string) => `2026-12-03T08:00:01.562Z\t${id}\tERROR\tInvoke Error \t{"errorType":"ReferenceError","errorMessage":"x is not defined","stack":["ReferenceError: x is not defined","    at Runtime.exports.handler (/var/task/index.js:2:3)"]}`,
  // https://repost.aws/knowledge-center/lambda-import-module-error-python
  importError: "[ERROR] Runtime.ImportModuleError: Unable to import module 'lambda_function': No module named 'requests'",
  // JSON log format: platform.report as the telemetry schema gives it
  // (https://docs.aws.amazon.com/lambda/latest/dg/telemetry-schema-reference.html), and a Node runtime error record
  // (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-advanced.html).
  jsonReport: (id: string, status: string, ms = 3001.2) => JSON.stringify({ time: '2026-12-03T08:00:04.000Z', type: 'platform.report', record: { requestId: id, metrics: { durationMs: ms, billedDurationMs: Math.ceil(ms), memorySizeMB: 128, maxMemoryUsedMB: 68 }, status } }),
  jsonError: (id: string) => JSON.stringify({ timestamp: '2026-12-03T08:00:02.183Z', level: 'ERROR', requestId: id, errorType: 'ReferenceError', errorMessage: 'x is not defined', stackTrace: ['ReferenceError: x is not defined', '    at Runtime.handler (file:///var/task/index.mjs:2:3)'] }),
  info: (id: string) => `2026-12-03T08:00:01.100Z\t${id}\tINFO\tfetching order 42`,
};
