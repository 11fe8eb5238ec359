// Regenerates flows/schema.json from the zod flow schema (editors use it to complete flows).
import { writeFileSync } from 'node:fs';
import { flowJsonSchema } from '../src/commands/flows.js';
import { FLOWS_DIR } from '../src/flow-files.js';

writeFileSync(`${FLOWS_DIR}schema.json`, flowJsonSchema());
process.stdout.write(`wrote ${FLOWS_DIR}schema.json\n`);
