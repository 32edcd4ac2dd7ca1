/**
 * Debian's slapd on 127.0.0.1 for tests: a config and a directory the test writes, loaded with
 * slapadd, started in the foreground; ready when it says "slapd starting" (no polling).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

export const SLAPD = '/usr/sbin/slapd';

export interface Slapd {
  url: string;
  port: number;
  suffix: string;
  adminDn: string;
  adminPassword: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export async function startSlapd(ldif: string, suffix = 'dc=courts,dc=kz'): Promise<Slapd> {
  if (!fs.existsSync(SLAPD)) throw new Error(`${SLAPD} is missing: run scripts/setup-system.sh test (npm test does)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hallwatch-slapd-'));
  fs.mkdirSync(path.join(dir, 'data'));
  const adminDn = `cn=admin,${suffix}`;
  const adminPassword = 'slapd-admin-secret';
  const conf = path.join(dir, 'slapd.conf');
  fs.writeFileSync(conf, [
    'include /etc/ldap/schema/core.schema',
    'include /etc/ldap/schema/cosine.schema',
    'include /etc/ldap/schema/inetorgperson.schema',
    'modulepath /usr/lib/ldap',
    'moduleload back_mdb',
    `pidfile ${dir}/slapd.pid`,
    'database mdb',
    `directory ${dir}/data`,
    'maxsize 10485760',
    `suffix "${suffix}"`,
    `rootdn "${adminDn}"`,
    `rootpw ${adminPassword}`,
    // Users may read the directory once bound; anonymous readers may not.
    'access to attrs=userPassword by self write by anonymous auth by * none',
    'access to * by users read by anonymous auth',
  ].join('\n') + '\n');
  fs.writeFileSync(path.join(dir, 'data.ldif'), ldif);
  execFileSync('/usr/sbin/slapadd', ['-f', conf, '-l', path.join(dir, 'data.ldif')], { stdio: 'pipe' });
  const port = await freePort();
  const child: ChildProcess = spawn(SLAPD, ['-f', conf, '-h', `ldap://127.0.0.1:${port}/`, '-d', '256'], { stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    const lines: string[] = [];
    const rl = readline.createInterface({ input: child.stderr! });
    rl.on('line', (l) => {
      lines.push(l);
      if (l.includes('slapd starting')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`slapd exited with ${code}:\n${lines.join('\n')}`)));
  });
  return {
    url: `ldap://127.0.0.1:${port}`, port, suffix, adminDn, adminPassword,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
