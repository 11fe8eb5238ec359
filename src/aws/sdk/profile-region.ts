import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The `region` of a profile in ~/.aws/config (or AWS_CONFIG_FILE). A tiny parser on
 * purpose: the SDK's own loader is not a direct dependency, and only one key is needed.
 */
export function profileRegion(profile: string, configFile = process.env.AWS_CONFIG_FILE ?? join(homedir(), '.aws', 'config')): string | undefined {
  const wanted = profile === 'default' ? ['default', 'profile default'] : [`profile ${profile}`, profile];
  return sections(configFile).filter((s) => wanted.includes(s.name)).map((s) => s.keys.region).find(Boolean);
}

/** The [sections] of an ini file with their lower-cased keys; none when the file cannot be read. */
function sections(file: string): { name: string; keys: Record<string, string> }[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const out: { name: string; keys: Record<string, string> }[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const section = /^\[\s*(.+?)\s*\]$/.exec(line);
    if (section) out.push({ name: section[1].replace(/\s+/g, ' '), keys: {} });
    const kv = /^([A-Za-z0-9_]+)\s*=\s*(.*)$/.exec(line);
    if (kv && out.length) out[out.length - 1].keys[kv[1].toLowerCase()] = kv[2].trim();
  }
  return out;
}

/** Whether a profile is named in ~/.aws/config (as `profile x`) or ~/.aws/credentials (as `x`). */
export function profileExists(
  profile: string,
  configFile = process.env.AWS_CONFIG_FILE ?? join(homedir(), '.aws', 'config'),
  credentialsFile = process.env.AWS_SHARED_CREDENTIALS_FILE ?? join(homedir(), '.aws', 'credentials'),
): boolean {
  const inConfig = sections(configFile).some((s) => s.name === `profile ${profile}` || (profile === 'default' && s.name === 'default'));
  return inConfig || sections(credentialsFile).some((s) => s.name === profile);
}
