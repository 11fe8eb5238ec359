import { basename } from 'node:path';
import { shippedFlowIds } from '../flow-files.js';

/**
 * The flow a recorded incident belongs to, from its file name: `flows/recordings/<flow>-<what>.json`
 * (clb-backend-502.json → clb). A name with no shipped flow in front replays through the ALB flow,
 * which is what every recording was before the other gateways had flows.
 */
export function recordingFlow(file: string): string {
  const prefix = basename(file).split('-')[0];
  return shippedFlowIds().includes(prefix) ? prefix : 'alb';
}
