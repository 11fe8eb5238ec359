import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KeyPair {
  key: string;
  cert: string;
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

/**
 * Test certificates made with the installed openssl (3.0 has no `x509 -not_after`,
 * so the expired one is signed with `openssl ca -startdate/-enddate`).
 */
export function makeCerts(): { ca: KeyPair; trusted: KeyPair; selfSigned: KeyPair; expired: KeyPair; mismatched: KeyPair; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'badgate-tls-'));
  const read = (name: string): KeyPair => ({ key: readFileSync(join(dir, `${name}.key`), 'utf8'), cert: readFileSync(join(dir, `${name}.pem`), 'utf8') });
  const san = 'subjectAltName=DNS:localhost,IP:127.0.0.1';

  openssl(dir, ['req', '-x509', ...EC, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=badgate test CA']);
  openssl(dir, ['req', '-new', ...EC, '-keyout', 'trusted.key', '-out', 'trusted.csr', '-subj', '/CN=localhost']);
  writeFileSync(join(dir, 'san.ext'), `${san}\n`);
  openssl(dir, ['x509', '-req', '-in', 'trusted.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'trusted.pem', '-days', '2', '-extfile', 'san.ext']);

  openssl(dir, ['req', '-x509', ...EC, '-keyout', 'selfSigned.key', '-out', 'selfSigned.pem', '-days', '2', '-subj', '/CN=localhost', '-addext', san]);
  openssl(dir, ['req', '-x509', ...EC, '-keyout', 'mismatched.key', '-out', 'mismatched.pem', '-days', '2', '-subj', '/CN=wrong.example', '-addext', 'subjectAltName=DNS:wrong.example']);

  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '01\n');
  writeFileSync(
    join(dir, 'ca.cnf'),
    ['[ca]', 'default_ca = d', '[d]', 'dir = .', 'database = ./index.txt', 'new_certs_dir = .', 'serial = ./serial', 'default_md = sha256', 'policy = p', 'copy_extensions = copy', 'unique_subject = no', '[p]', 'commonName = supplied', ''].join('\n'),
  );
  openssl(dir, ['req', '-new', ...EC, '-keyout', 'expired.key', '-out', 'expired.csr', '-subj', '/CN=localhost', '-addext', san]);
  openssl(dir, ['ca', '-batch', '-config', 'ca.cnf', '-selfsign', '-keyfile', 'expired.key', '-in', 'expired.csr', '-out', 'expired.pem', '-startdate', '20200101000000Z', '-enddate', '20200201000000Z', '-notext']);

  return {
    ca: read('ca'),
    trusted: read('trusted'),
    selfSigned: read('selfSigned'),
    expired: read('expired'),
    mismatched: read('mismatched'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
