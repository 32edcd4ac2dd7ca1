/**
 * Device secrets at rest (ONVIF passwords, SNMPv3 keys, recorder tokens): a JSON file of
 * AES-256-GCM entries under a key file. The entry's name is authenticated with it, so an
 * entry moved to another name does not decrypt. Plain YAML secrets files are still read,
 * and `inventory check` says they should be encrypted.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

export const SECRETS_FORMAT = 'hallwatch-secrets/1';

interface Entry {
  iv: string;
  tag: string;
  data: string;
}
interface EncryptedFile {
  format: typeof SECRETS_FORMAT;
  entries: Record<string, Entry>;
}

export type SecretsRead = { ok: true; secrets: Record<string, string>; encrypted: boolean } | { ok: false; error: string };

/** Reads (or, with create, makes) a 32-byte key file, readable by its owner only. */
export function loadKey(keyFile: string, create = false): Buffer {
  if (!fs.existsSync(keyFile)) {
    if (!create) throw new Error(`key file ${keyFile} does not exist`);
    fs.mkdirSync(path.dirname(path.resolve(keyFile)), { recursive: true });
    fs.writeFileSync(keyFile, crypto.randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  }
  const st = fs.statSync(keyFile);
  if ((st.mode & 0o077) !== 0) throw new Error(`key file ${keyFile} is readable by others (mode ${(st.mode & 0o777).toString(8)}); chmod 600 it`);
  const key = Buffer.from(fs.readFileSync(keyFile, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new Error(`key file ${keyFile} does not hold a 32-byte key`);
  return key;
}

function encrypt(key: Buffer, name: string, value: string): Entry {
  const iv = crypto.randomBytes(12);
  const c = crypto.createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(Buffer.from(name, 'utf8'));
  const data = Buffer.concat([c.update(value, 'utf8'), c.final()]);
  return { iv: iv.toString('base64'), tag: c.getAuthTag().toString('base64'), data: data.toString('base64') };
}

function decrypt(key: Buffer, name: string, e: Entry): string {
  const d = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(e.iv, 'base64'));
  d.setAAD(Buffer.from(name, 'utf8'));
  d.setAuthTag(Buffer.from(e.tag, 'base64'));
  return Buffer.concat([d.update(Buffer.from(e.data, 'base64')), d.final()]).toString('utf8');
}

function parseEncrypted(text: string): EncryptedFile | undefined {
  try {
    const j = JSON.parse(text) as EncryptedFile;
    return j && j.format === SECRETS_FORMAT && j.entries && typeof j.entries === 'object' ? j : undefined;
  } catch {
    return undefined;
  }
}

export function readSecrets(file: string, keyFile: string): SecretsRead {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return { ok: false, error: `cannot read secrets file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
  const enc = parseEncrypted(text);
  if (enc) {
    let key: Buffer;
    try {
      key = loadKey(keyFile);
    } catch (e) {
      return { ok: false, error: (e as Error).message };
    }
    const secrets: Record<string, string> = {};
    for (const [name, entry] of Object.entries(enc.entries)) {
      try {
        secrets[name] = decrypt(key, name, entry);
      } catch {
        return { ok: false, error: `secret "${name}" does not decrypt with ${keyFile} (wrong key, or the file was altered)` };
      }
    }
    return { ok: true, secrets, encrypted: true };
  }
  let raw: unknown;
  try {
    raw = YAML.parse(text);
  } catch (e) {
    return { ok: false, error: `secrets file is neither encrypted nor YAML: ${(e as Error).message.split('\n')[0]}` };
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, error: 'secrets file must be a map of name: value' };
  const secrets: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) if (typeof v === 'string' || typeof v === 'number') secrets[k] = String(v);
  return { ok: true, secrets, encrypted: false };
}

/** Sets (or with value undefined removes) one entry; creates the file and the key as needed. */
export function writeSecret(file: string, keyFile: string, name: string, value: string | undefined): void {
  const key = loadKey(keyFile, true);
  let doc: EncryptedFile = { format: SECRETS_FORMAT, entries: {} };
  if (fs.existsSync(file)) {
    const text = fs.readFileSync(file, 'utf8');
    const enc = parseEncrypted(text);
    if (!enc) {
      // Converting a plain file: every entry is encrypted on the way.
      const plain = readSecrets(file, keyFile);
      if (!plain.ok) throw new Error(plain.error);
      for (const [k, v] of Object.entries(plain.secrets)) doc.entries[k] = encrypt(key, k, v);
    } else doc = enc;
  }
  if (value === undefined) delete doc.entries[name];
  else doc.entries[name] = encrypt(key, name, value);
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, JSON.stringify(doc, null, 2) + '\n', { mode: 0o600 });
  fs.renameSync(tmp, file);
}

export function listSecretNames(file: string): string[] {
  const enc = fs.existsSync(file) ? parseEncrypted(fs.readFileSync(file, 'utf8')) : undefined;
  return enc ? Object.keys(enc.entries).sort() : [];
}
