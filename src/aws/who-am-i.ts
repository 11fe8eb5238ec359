import type { AwsReader, CallerIdentity } from './reader.js';

/** Account and principal the run acts as; shown at the top of a run, never the keys. */
export async function whoAmI(reader: AwsReader): Promise<CallerIdentity & { region: string }> {
  const id = await reader.getCallerIdentity();
  return { ...id, region: reader.region };
}
