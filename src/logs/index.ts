/** Public surface of src/logs for the CLI, the TUI and the checks. */
export { analyzeInputs, type RunOptions } from './run-analysis.js';
export { LogAnalyzer, analyzeText, type AnalyzerOptions } from './log-analyzer.js';
export { loadSource, type LoadedSource, type LoadOptions } from './load-source.js';
export { resolveLocalSource, stdinInput, type LogInput } from './local-source.js';
export type { LogObject, LogObjectStore } from './log-object-store.js';
export { planS3, parseS3Uri, keyEndTime, type S3Plan } from './s3-plan.js';
export { sparkline } from './sparkline.js';
export { renderAnalysis } from './render-text.js';
export { parseWindow, parseTimeArg } from './time-window.js';
export { parseAccessLine, ALB_FIELDS, CLB_FIELDS } from './access-record.js';
export { parseNginxErrorLine, classifyNginxMessage, type NginxKind } from './nginx-error.js';
export { createAlbTableSql, classificationSql, perMinuteSql, breakdownSql } from './athena-sql.js';
export { analyzeWithAthena, type AthenaQueryRunner } from './athena-analysis.js';
export { NEXT_STEP } from './next-steps.js';
export type * from './types.js';
