import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- eslint.config.js is plain JavaScript without type declarations
import { FLOORS } from '../../eslint.config.js';

const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });

async function importErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: file });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import floors', () => {
  it('an import back up a floor fails lint, a downhill one passes', async () => {
    expect(await importErrors('src/engine/probe-me.ts', "import type { Check } from '../checks/types.js';\nexport type X = Check;\n"))
      .toEqual([expect.stringContaining('src/engine may not import src/checks')]);
    expect(await importErrors('src/net/probe-me.ts', "import { getCheck } from '../checks/registry.js';\nexport const x = getCheck;\n"))
      .toEqual([expect.stringContaining('src/net may not import src/checks')]);
    expect(await importErrors('src/logs/probe-me.ts', "import { AWS_PORT } from '../aws/port-spec.js';\nexport const x = AWS_PORT;\n"))
      .toEqual([expect.stringContaining('src/logs may not import src/aws')]);
    expect(await importErrors('src/checks/probe-me.ts', "import { setupRun } from '../run-context.js';\nexport const x = setupRun;\n"))
      .toEqual([expect.stringContaining('src/checks may not import src/run-context.ts')]);
    expect(await importErrors('src/aws/sdk/probe-me.ts', "import { runLogsCommand } from '../../commands/logs.js';\nexport const x = runLogsCommand;\n"))
      .toEqual([expect.stringContaining('src/aws may not import src/commands')]);
    expect(await importErrors('src/checks/probe-me.ts', "import type { Finding } from '../engine/vocabulary.js';\nexport type X = Finding;\n")).toEqual([]);
  });

  it('the engine stays free of UI and AWS SDK code, and only the sdk adapter builds AWS clients', async () => {
    expect(await importErrors('src/engine/probe-me.ts', "import { render } from 'ink';\nexport const x = render;\n")).toHaveLength(1);
    expect(await importErrors('src/checks/probe-me.ts', "import { EC2Client } from '@aws-sdk/client-ec2';\nexport const x = EC2Client;\n")).toHaveLength(1);
    expect(await importErrors('src/aws/probe-me.ts', "import { EC2Client } from '@aws-sdk/client-ec2';\nexport const x = EC2Client;\n")).toHaveLength(1);
    expect(await importErrors('src/aws/sdk/probe-me.ts', "import { EC2Client } from '@aws-sdk/client-ec2';\nexport const x = EC2Client;\n")).toEqual([]);
  });

  it('every folder under src/ has a floor', async () => {
    const { readdirSync } = await import('node:fs');
    const src = new URL('../../src', import.meta.url).pathname;
    const folders = readdirSync(src, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    expect(folders.filter((f) => !(f in FLOORS))).toEqual([]);
  });
});
