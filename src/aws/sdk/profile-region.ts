import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The `region` of a profile in ~/.aws/config (or AWS_CONFIG_FILE). A tiny parser on
 * purpose: the SDK's own loader is not a direct dependency, and only one key is needed.
 */
export function profileRegion(profile: string, configFile = process.env.AWS_CONFIG_FILE ?? join(homedir(), '.aws', 'config')): string | undefined {
  let text: string;
  try {
    text = readFileSync(configFile, 'utf8');
  } catch {
    return undefined;
  }
  const wanted = profile === 'default' ? ['default', 'profile default'] : [`profile ${profile}`, profile];
  let inSection = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/[#;].*$/, '').trim();
    if (!line) continue;
    const section = /^\[\s*(.+?)\s*\]$/.exec(line);
    if (section) {
      inSection = wanted.includes(section[1].replace(/\s+/g, ' '));
      continue;
    }
    if (!inSection) continue;
    const kv = /^([A-Za-z0-9_]+)\s*=\s*(.*)$/.exec(line);
    if (kv && kv[1].toLowerCase() === 'region' && kv[2]) return kv[2].trim();
  }
  return undefined;
}

function sections(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return [...text.matchAll(/^\s*\[\s*(.+?)\s*\]\s*$/gm)].map((m) => m[1].replace(/\s+/g, ' '));
}

/** Whether a profile is named in ~/.aws/config (as `profile x`) or ~/.aws/credentials (as `x`). */
export function profileExists(
  profile: string,
  configFile = process.env.AWS_CONFIG_FILE ?? join(homedir(), '.aws', 'config'),
  credentialsFile = process.env.AWS_SHARED_CREDENTIALS_FILE ?? join(homedir(), '.aws', 'credentials'),
): boolean {
  const inConfig = sections(configFile).some((s) => s === `profile ${profile}` || (profile === 'default' && s === 'default'));
  return inConfig || sections(credentialsFile).includes(profile);
}
