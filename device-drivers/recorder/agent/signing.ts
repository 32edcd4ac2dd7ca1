/**
 * The court's signing key (000 §20: the record is signed automatically after the hearing): an
 * X.509 key pair from PEM files, or from a PKCS#12 file (.p12/.pfx) with its passphrase.
 *
 * Node's crypto cannot read PKCS#12, so the system `openssl` converts it, in memory: the
 * passphrase goes to openssl through its environment (`-passin env:…`), never on the command
 * line (visible to every user in the process list) nor in a log; the key comes back over a pipe
 * re-encrypted with a one-time random passphrase, so the plain key is never written anywhere.
 * OpenSSL 3 needs `-legacy` for older files (RC2-40, 3DES): tried when the first attempt says the
 * algorithm is unsupported.
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { AgentConfig, SecretRef } from './config';
import type { Signer } from './integrity';

/** A signing problem, naming the configuration field to fix (`signing.passphrase`, …). */
export class SigningConfigError extends Error {
  constructor(readonly field: string, message: string) {
    super(`${field}: ${message}`);
  }
}

function resolveSecret(field: string, ref: SecretRef | undefined, env: NodeJS.ProcessEnv): string {
  if (!ref) return '';
  if ('env' in ref) {
    const v = env[ref.env];
    if (v === undefined) throw new SigningConfigError(field, `environment variable ${ref.env} is not set`);
    return v;
  }
  try {
    // A passphrase file ends with a newline when written by an editor; the newline is not part of it.
    return fs.readFileSync(ref.file, 'utf8').replace(/\r?\n$/, '');
  } catch (e) {
    throw new SigningConfigError(field, `cannot read ${ref.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function pemBlocks(text: string, label: string): string[] {
  const re = new RegExp(`-----BEGIN ${label}-----[\\s\\S]*?-----END ${label}-----`, 'g');
  return text.match(re) ?? [];
}

/** The certificate (of those given) that belongs to the key; the others are its CA chain. */
function pair(key: crypto.KeyObject, certPems: string[], field: string, what: string): Signer {
  for (const certPem of certPems) {
    const cert = new crypto.X509Certificate(certPem);
    if (cert.checkPrivateKey(key)) return { key, cert, certPem: certPem.trim() + '\n' };
  }
  throw new SigningConfigError(field, `${what}: no certificate matches the private key`);
}

function fromPem(s: Extract<NonNullable<AgentConfig['signing']>, { keyFile: string }>, env: NodeJS.ProcessEnv): Signer {
  const read = (field: string, file: string) => {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new SigningConfigError(field, `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  };
  const keyPem = read('signing.keyFile', s.keyFile);
  const certText = read('signing.certFile', s.certFile);
  const passphrase = resolveSecret('signing.passphrase', s.passphrase, env);
  let key: crypto.KeyObject;
  try {
    key = crypto.createPrivateKey(passphrase ? { key: keyPem, passphrase } : keyPem);
  } catch (e) {
    const msg = (e as Error).message;
    if (/passphrase|decrypt|bad decrypt/i.test(msg)) throw new SigningConfigError('signing.passphrase', `cannot decrypt ${s.keyFile} (wrong or missing passphrase)`);
    throw new SigningConfigError('signing.keyFile', `${s.keyFile} is not a private key: ${msg}`);
  }
  const certs = pemBlocks(certText, 'CERTIFICATE');
  if (!certs.length) throw new SigningConfigError('signing.certFile', `${s.certFile} holds no PEM certificate`);
  try {
    return pair(key, certs, 'signing.certFile', `${s.certFile} is not the certificate of ${s.keyFile}`);
  } catch (e) {
    if (e instanceof SigningConfigError) throw e;
    throw new SigningConfigError('signing.certFile', `${s.certFile}: ${(e as Error).message}`);
  }
}

function runOpenssl(bin: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(bin, args, { env, maxBuffer: 4 * 1024 * 1024, timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr || (err && code === -1 ? err.message : '')) });
    });
  });
}

const PASS_IN = 'HALLWATCH_PKCS12_PASSPHRASE';
const PASS_OUT = 'HALLWATCH_PKCS12_TRANSPORT';

/** Reads a PKCS#12 file with `openssl pkcs12` (modern, then `-legacy`): key and certificate. */
export async function readPkcs12(file: string, passphrase: string, opensslBin = 'openssl'): Promise<Signer> {
  if (!fs.existsSync(file)) throw new SigningConfigError('signing.pkcs12File', `${file} does not exist`);
  const transport = crypto.randomBytes(32).toString('hex');
  // Only what openssl needs from our environment: a PATH, its own config, and the two passphrases.
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, OPENSSL_CONF: process.env.OPENSSL_CONF, OPENSSL_MODULES: process.env.OPENSSL_MODULES, [PASS_IN]: passphrase, [PASS_OUT]: transport };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const args = (legacy: boolean) => ['pkcs12', ...(legacy ? ['-legacy'] : []), '-in', file, '-passin', `env:${PASS_IN}`, '-passout', `env:${PASS_OUT}`];
  let r = await runOpenssl(opensslBin, args(false), env);
  if (r.code !== 0 && /unsupported|RC2|inner_evp_generic_fetch/i.test(r.stderr)) r = await runOpenssl(opensslBin, args(true), env);
  if (r.code === -1 && /ENOENT/.test(r.stderr)) throw new SigningConfigError('openssl', `${opensslBin} not found: a PKCS#12 key needs the openssl program`);
  if (r.code !== 0) {
    if (/mac verify|invalid password|bad decrypt/i.test(r.stderr)) throw new SigningConfigError('signing.passphrase', `wrong passphrase for ${file}`);
    if (/asn1|not enough data|wrong tag|expecting/i.test(r.stderr)) throw new SigningConfigError('signing.pkcs12File', `${file} is not a PKCS#12 file`);
    // openssl's message, which never contains the passphrase (it only ever saw an env variable's name).
    throw new SigningConfigError('signing.pkcs12File', `openssl could not read ${file}: ${r.stderr.trim().split('\n').slice(-2).join(' ').slice(0, 300)}`);
  }
  const keys = [...pemBlocks(r.stdout, 'ENCRYPTED PRIVATE KEY'), ...pemBlocks(r.stdout, 'PRIVATE KEY')];
  if (!keys.length) throw new SigningConfigError('signing.pkcs12File', `${file} holds no private key`);
  const certs = pemBlocks(r.stdout, 'CERTIFICATE');
  if (!certs.length) throw new SigningConfigError('signing.pkcs12File', `${file} holds no certificate`);
  const key = crypto.createPrivateKey(keys[0]!.includes('ENCRYPTED') ? { key: keys[0]!, passphrase: transport } : keys[0]!);
  return pair(key, certs, 'signing.pkcs12File', file);
}

/** The signer of a configuration, PEM or PKCS#12; errors name the field to fix. */
export async function loadSigner(signing: NonNullable<AgentConfig['signing']>, opts: { env?: NodeJS.ProcessEnv; openssl?: string } = {}): Promise<Signer> {
  const env = opts.env ?? process.env;
  if ('pkcs12File' in signing) return readPkcs12(signing.pkcs12File, resolveSecret('signing.passphrase', signing.passphrase, env), opts.openssl);
  return fromPem(signing, env);
}
