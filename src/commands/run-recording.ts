import { basename } from 'node:path';
import { shippedFlowFiles } from '../flow-files.js';

/**
 * The flow a recorded incident belongs to, from its file name: `flows/recordings/<flow>-<what>.json`
 * (clb-backend-502.json → clb). A name with no shipped flow in front replays through the ALB flow,
 * which is what every recording was before the other gateways had flows.
 */
export function recordingFlow(file: string): string {
  const prefix = basename(file).split('-')[0];
  return shippedFlowFiles().some((f) => basename(f, '.yaml') === prefix) ? prefix : 'alb';
}
