// Starts shared test services (moto server) once per run; see test/helpers/moto.ts.
import type { TestProject } from 'vitest/node';
import { EC2Client, DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import { findMotoPython, startMoto, type MotoServer } from './moto-server.js';

let server: MotoServer | undefined;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The SDK's Node 20 end-of-support notice repeats in every worker; test output does not need it.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const python = findMotoPython();
  if (!python) {
    if (process.env.CI === 'true') {
      throw new Error('moto_server not found: install moto[server] — CI requires it');
    }
    project.provide('motoEndpoint', '');
    return async () => {};
  }
  server = await startMoto(python);
  // The first EC2 call costs ~1 s in moto; pay it once here, not in the first test.
  const ec2 = new EC2Client({ region: 'us-east-1', endpoint: server.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  await ec2.send(new DescribeRegionsCommand({}));
  project.provide('motoEndpoint', server.endpoint);
  return async () => {
    await server?.stop();
    server = undefined;
  };
}
