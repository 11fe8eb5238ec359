import { statSync } from 'node:fs';
import { BadgateError } from '../engine/errors.js';

/**
 * The targeting flags, checked before anything runs: a typo must stop the run with the fix,
 * not surface later as a RangeError inside a check or a 500 from the region's endpoint.
 */
export interface TargetFlagValues {
  since?: string;
  until?: string;
  url?: string;
  region?: string;
  awsTimeout?: number;
  config?: string;
  errorLog?: string;
  api?: string;
  stage?: string;
}

const DURATION = /^\d+(?:\.\d+)?\s*[smhdw]$/i;
const ISO = /^\d{4}-\d\d-\d\d([T ]\d\d:\d\d(:\d\d(\.\d+)?)?)?(Z|[+-]\d\d:?\d\d)?$/;
/** Every AWS region name has this shape (us-east-1, ap-northeast-3, us-gov-west-1, cn-north-1, eu-central-2). */
/** API ids are short lower-case alphanumerics (`a1b2c3d4e5`), optionally with the stage (`ID/prod`). */
const API_ID = /^[a-z0-9]{4,20}(\/(\$default|[A-Za-z0-9_-]{1,128}))?$/;
const STAGE = /^(\$default|[A-Za-z0-9_-]{1,128})$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-(north|south|east|west|central|northeast|southeast|northwest|southwest)-\d{1,2}$/;

export function checkTargetFlags(f: TargetFlagValues): void {
  for (const [flag, value] of [['--since', f.since], ['--until', f.until]] as const) {
    if (value === undefined) continue;
    if (!DURATION.test(value.trim()) && !ISO.test(value.trim()) && value.trim() !== 'now') {
      throw new BadgateError(`${flag} "${value}" is neither a duration nor a time`, `e.g. ${flag} 2h, ${flag} 30m or ${flag} 2026-12-01T13:00:00Z`);
    }
  }
  if (f.url !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(f.url);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
      throw new BadgateError(`--url "${f.url}" is not an http or https URL`, 'e.g. --url https://shop.example.com/checkout');
    }
  }
  if (f.api !== undefined && !API_ID.test(f.api.trim())) {
    throw new BadgateError(`--api "${f.api}" is not an API id`, 'e.g. --api a1b2c3d4e5 or --api a1b2c3d4e5/prod (`aws apigateway get-rest-apis` / `aws apigatewayv2 get-apis` list them)');
  }
  if (f.stage !== undefined && !STAGE.test(f.stage.trim())) {
    throw new BadgateError(`--stage "${f.stage}" is not a stage name`, 'e.g. --stage prod (letters, digits, - and _; HTTP APIs also have $default)');
  }
  if (f.region !== undefined && !REGION.test(f.region)) {
    throw new BadgateError(`--region "${f.region}" is not an AWS region name`, 'e.g. --region us-east-1 or --region ap-northeast-1 (`aws ec2 describe-regions` lists them)');
  }
  const files = [
    ['--config', f.config, 'save it with `sudo sh -c \'nginx -v; nginx -T\' > nginx-T.txt 2>&1` and pass --config nginx-T.txt'],
    ['--error-log', f.errorLog, 'copy the error log (error_log in the config, often /var/log/nginx/error.log) and pass its path'],
  ] as const;
  for (const [flag, path, next] of files) {
    // A glob (error.log*) is for the log reader to expand; it says itself when nothing matches.
    if (path === undefined || (flag === '--error-log' && /[*?[]/.test(path))) continue;
    let kind: 'file' | 'dir' | 'missing' = 'missing';
    try {
      const st = statSync(path);
      kind = st.isDirectory() ? 'dir' : 'file';
    } catch {
      kind = 'missing';
    }
    // A log directory is fine for --error-log (the log reader takes folders); a config must be one file.
    if (kind === 'missing' || (kind === 'dir' && flag === '--config')) {
      throw new BadgateError(`${flag} ${path}: ${kind === 'dir' ? 'a directory, not a file' : 'no such file'}`, next);
    }
  }
  if (f.awsTimeout !== undefined && !(f.awsTimeout >= 1 && f.awsTimeout <= 600)) {
    throw new BadgateError(`--aws-timeout must be seconds from 1 to 600, not ${f.awsTimeout}`, 'e.g. --aws-timeout 30 (the default)');
  }
}
