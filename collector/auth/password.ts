/** Password hashing with scrypt (Node's crypto), in a self-describing string. */
import crypto from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(crypto.scrypt) as (pw: string | Buffer, salt: Buffer, len: number, opts: crypto.ScryptOptions) => Promise<Buffer>;

// N=2^15, r=8: ~32 MiB and tens of milliseconds per check: slow for a guesser, fine for a login.
const PARAMS = { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEYLEN = 32;

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const key = await scrypt(password.normalize('NFC'), salt, KEYLEN, PARAMS);
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [alg, n, r, p, salt, key] = stored.split('$');
  if (alg !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const got = await scrypt(password.normalize('NFC'), Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: 256 * 1024 * 1024 });
  return got.length === expected.length && crypto.timingSafeEqual(got, expected);
}

/** A hash of nothing, checked when the login is unknown, so timing does not reveal which logins exist. */
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
  return (dummy ??= hashPassword(crypto.randomBytes(16).toString('hex')));
}

export function passwordProblem(password: string): string | undefined {
  if (password.length < 10) return 'a password needs at least 10 characters';
  if (password.length > 256) return 'a password may have at most 256 characters';
  return undefined;
}

export function randomPassword(): string {
  return crypto.randomBytes(12).toString('base64url');
}
