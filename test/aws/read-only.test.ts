// badgate only reads: every AWS command the code can send must be Describe*/Get*/List*
// (or one of the query APIs it runs when asked), and so must every IAM action a check declares.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isReadOnlyAction, registeredChecks } from '../../src/checks/iam-policy.js';
import { READER_ACTIONS } from '../../src/aws/reader.js';

const SDK_DIR = join(import.meta.dirname, '../../src/aws/sdk');
const ALLOWED = new Set([
  'StartQueryExecutionCommand', 'GetQueryResultsCommand', 'GetQueryExecutionCommand', // Athena
  'StartQueryCommand', 'FilterLogEventsCommand', 'StopQueryCommand', // CloudWatch Logs (StopQuery ends only badgate's own query)
]);

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? tsFiles(full) : full.endsWith('.ts') ? [full] : [];
  });
}

/** `new XCommand(`, imported `XCommand` names and `paginateX` helpers (which send XCommand). */
function commandsIn(source: string): string[] {
  const found = new Set<string>();
  for (const m of source.matchAll(/\bnew\s+([A-Z][A-Za-z0-9]*Command)\s*\(/g)) found.add(m[1]);
  for (const m of source.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*['"]@aws-sdk\/client-[^'"]+['"]/g)) {
    for (const raw of m[1].split(',')) {
      const name = raw.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0];
      if (/Command$/.test(name) && !/^type\s/.test(raw.trim())) found.add(name);
      const pag = /^paginate([A-Z][A-Za-z0-9]*)$/.exec(name);
      if (pag) found.add(`${pag[1]}Command`);
    }
  }
  // Dynamic construction (client[name], require) would dodge this scan: forbid it.
  if (/\bcommands?\[/.test(source) || /require\(\s*['"]@aws-sdk/.test(source)) found.add('DynamicCommand');
  return [...found];
}

const isReadOnlyCommand = (c: string) => /^(Describe|Get|List)[A-Za-z0-9]*Command$/.test(c) || ALLOWED.has(c);

describe('read-only AWS surface', () => {
  const files = tsFiles(SDK_DIR);
  const all = files.flatMap((f) => commandsIn(readFileSync(f, 'utf8')).map((c) => ({ file: f, command: c })));

  it('finds the commands the adapter sends (the scan itself works)', () => {
    const names = all.map((x) => x.command);
    for (const c of ['DescribeLoadBalancersCommand', 'DescribeTargetHealthCommand', 'DescribeInstancesCommand', 'DescribeNetworkAclsCommand', 'GetMetricDataCommand', 'GetCallerIdentityCommand']) {
      expect(names).toContain(c);
    }
  });

  it('the scanner catches a write command and a paginator', () => {
    expect(commandsIn("import { DeleteLoadBalancerCommand } from '@aws-sdk/client-elastic-load-balancing-v2';")).toContain('DeleteLoadBalancerCommand');
    expect(commandsIn('await c.send(new ModifyTargetGroupAttributesCommand({}))')).toContain('ModifyTargetGroupAttributesCommand');
    expect(commandsIn("import { paginateDescribeRules } from '@aws-sdk/client-elastic-load-balancing-v2';")).toContain('DescribeRulesCommand');
    expect(isReadOnlyCommand('DeleteLoadBalancerCommand')).toBe(false);
  });

  it('sends only Describe*/Get*/List* (and allowed query) commands', () => {
    const offenders = all.filter((x) => !isReadOnlyCommand(x.command)).map((x) => `${x.file}: ${x.command}`);
    expect(offenders).toEqual([]);
  });

  it('every IAM action a check declares, and every reader method, is read-only', () => {
    const actions = [...registeredChecks().flatMap((c) => c.meta.apis.filter((a) => !a.startsWith('probe:'))), ...Object.values(READER_ACTIONS)];
    expect(actions.length).toBeGreaterThan(10);
    expect(actions.filter((a) => !isReadOnlyAction(a))).toEqual([]);
  });
});
