/**
 * Integrity of a recording (003 §7.5, §7.6; 000 §20): MD5 and SHA-256 of every file; a hash
 * chain over the segments as they are finished (chain.jsonl: each entry covers the previous
 * entry's hash, so a changed, removed or reordered segment shows); at stop a manifest signed
 * with the court's key. `verifyRecording` is what `hallwatch recording verify DIR` runs.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { RecoveryInfo } from './protocol';

export interface FileHash {
  file: string;
  size: number;
  md5: string;
  sha256: string;
}

export async function hashFile(abs: string, rel = path.basename(abs)): Promise<FileHash> {
  const md5 = crypto.createHash('md5');
  const sha = crypto.createHash('sha256');
  let size = 0;
  for await (const chunk of fs.createReadStream(abs)) {
    md5.update(chunk as Buffer);
    sha.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { file: rel, size, md5: md5.digest('hex'), sha256: sha.digest('hex') };
}

export const GENESIS = '0'.repeat(64);
export const CHAIN_FILE = 'chain.jsonl';
export const MANIFEST_FILE = 'manifest.json';
export const SIGNATURE_FILE = 'manifest.sig';
export const SIGNER_CERT_FILE = 'signer.pem';

export interface ChainEntry extends FileHash {
  seq: number;
  stream: string;
  finishedAt: string;
  prev: string;
  hash: string;
}

export function entryHash(e: Omit<ChainEntry, 'hash'>): string {
  const { seq, stream, file, size, md5, sha256, finishedAt, prev } = e;
  return crypto.createHash('sha256').update(JSON.stringify({ seq, stream, file, size, md5, sha256, finishedAt, prev })).digest('hex');
}

/** Appends finished segments to the chain; each line is written and fsynced before the next. */
export class HashChain {
  private head = GENESIS;
  private seq = 0;
  private fd: number;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly dir: string) {
    const file = path.join(dir, CHAIN_FILE);
    if (fs.existsSync(file)) {
      const entries = readChain(dir);
      const last = entries[entries.length - 1];
      if (last) {
        this.head = last.hash;
        this.seq = last.seq;
      }
    }
    this.fd = fs.openSync(file, 'a');
  }

  get length(): number {
    return this.seq;
  }

  /** Serialized: segments of several streams finish at the same moment. */
  add(stream: string, rel: string, now: () => number): Promise<ChainEntry> {
    const p = this.queue.then(async () => {
      const h = await hashFile(path.join(this.dir, rel), rel);
      const draft = { seq: this.seq + 1, stream, ...h, finishedAt: new Date(now()).toISOString(), prev: this.head };
      const entry: ChainEntry = { ...draft, hash: entryHash(draft) };
      fs.writeSync(this.fd, JSON.stringify(entry) + '\n');
      fs.fsyncSync(this.fd);
      this.head = entry.hash;
      this.seq = entry.seq;
      return entry;
    });
    this.queue = p.catch(() => undefined);
    return p;
  }

  async close(): Promise<void> {
    await this.queue;
    fs.closeSync(this.fd);
  }
}

/**
 * Cuts a torn last line (a power cut mid-write) off the chain, so that the next entry is appended
 * after a whole line and not glued to the fragment. True when something was cut.
 */
export function repairChainTail(dir: string): boolean {
  const file = path.join(dir, CHAIN_FILE);
  if (!fs.existsSync(file)) return false;
  const text = fs.readFileSync(file, 'utf8');
  const lastNl = text.lastIndexOf('\n');
  const tail = text.slice(lastNl + 1);
  if (!tail) return false;
  let whole = false;
  try {
    JSON.parse(tail);
    whole = true;
  } catch { /* torn */ }
  if (whole) {
    // A whole entry that lacks only its newline: add the newline.
    fs.appendFileSync(file, '\n');
    return false;
  }
  fs.truncateSync(file, Buffer.byteLength(text.slice(0, lastNl + 1)));
  return true;
}

/** The chain's entries; a torn last line (a crash mid-write) is ignored. */
export function readChain(dir: string): ChainEntry[] {
  const file = path.join(dir, CHAIN_FILE);
  if (!fs.existsSync(file)) return [];
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
  const out: ChainEntry[] = [];
  for (const [i, l] of lines.entries()) {
    try {
      out.push(JSON.parse(l) as ChainEntry);
    } catch {
      if (i !== lines.length - 1) throw new Error(`${CHAIN_FILE} line ${i + 1} is not JSON`);
    }
  }
  return out;
}

export interface Manifest {
  version: 1;
  recordingId: string;
  hallId: string;
  caseNumber: string;
  startedAt: string;
  endedAt: string;
  /** The final files: one per microphone, the mix, the audio-video file, the protocols. */
  files: FileHash[];
  segments: number;
  chainHead: string;
  signer?: { subject: string; fingerprint256: string };
  /** Finished after the agent stopped mid-recording (004 §8): when, and what was done. */
  recovery?: RecoveryInfo;
}

export interface Signer {
  key: crypto.KeyObject;
  cert: crypto.X509Certificate;
  certPem: string;
}

/** Writes a file whole or not at all (temporary name, fsync, rename): a crash leaves the old one or the new one. */
export async function writeFileAtomic(file: string, data: string | Buffer): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`);
  const fh = await fsp.open(tmp, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fsp.rename(tmp, file);
}

/**
 * The signature and the signer's certificate are written first and the manifest last, atomically:
 * a folder with a manifest is a finished recording, so a crash while finishing leaves no manifest
 * and the next start finishes it again (agent.ts, recovery).
 */
export async function writeSignedManifest(dir: string, m: Manifest, signer?: Signer): Promise<void> {
  const body = Buffer.from(JSON.stringify(signer ? { ...m, signer: { subject: signer.cert.subject, fingerprint256: signer.cert.fingerprint256 } } : m, null, 2) + '\n');
  if (signer) {
    const sig = crypto.sign('sha256', body, signer.key);
    await writeFileAtomic(path.join(dir, SIGNATURE_FILE), sig.toString('base64') + '\n');
    await writeFileAtomic(path.join(dir, SIGNER_CERT_FILE), signer.certPem);
  } else {
    // An unsigned manifest must not sit beside a signature left by an earlier attempt.
    await fsp.rm(path.join(dir, SIGNATURE_FILE), { force: true });
  }
  await writeFileAtomic(path.join(dir, MANIFEST_FILE), body);
}

export interface VerifyProblem {
  file: string;
  problem: 'changed' | 'missing' | 'size' | 'chain' | 'signature' | 'unsigned' | 'signer';
  detail: string;
}

export interface VerifyReport {
  dir: string;
  intact: boolean;
  /** Finished recording (manifest) or one cut short (chain only, e.g. after a crash). */
  finished: boolean;
  signed: boolean;
  files: number;
  segments: number;
  /** Segment files on disk that no chain entry covers: the one in progress at a crash. */
  unchained: string[];
  problems: VerifyProblem[];
  /** The recording was finished after the agent stopped mid-recording (signed in the manifest). */
  recovered?: RecoveryInfo;
}

/**
 * Checks the chain (every entry's hash and link, every segment's bytes), then the manifest's
 * signature and every file it lists. `trustedCertPem`: the court's certificate, if the signer
 * must be that one (otherwise the signer.pem in the folder is used and named).
 */
export async function verifyRecording(dir: string, opts: { trustedCertPem?: string; requireSigned?: boolean } = {}): Promise<VerifyReport> {
  const problems: VerifyProblem[] = [];
  let chain: ChainEntry[] = [];
  try {
    chain = readChain(dir);
  } catch (e) {
    problems.push({ file: CHAIN_FILE, problem: 'chain', detail: (e as Error).message });
  }
  let prev = GENESIS;
  for (const e of chain) {
    const { hash, ...rest } = e;
    if (e.prev !== prev || entryHash(rest) !== hash) {
      problems.push({ file: CHAIN_FILE, problem: 'chain', detail: `entry ${e.seq} (${e.file}) does not follow the chain` });
    }
    prev = hash;
    problems.push(...(await checkFile(dir, e)));
  }
  const chained = new Set(chain.map((e) => e.file));
  const segDir = path.join(dir, 'segments');
  const unchained = fs.existsSync(segDir)
    ? fs.readdirSync(segDir).map((f) => `segments/${f}`).filter((f) => !chained.has(f) && !f.endsWith('.csv')).sort()
    : [];

  const mPath = path.join(dir, MANIFEST_FILE);
  const finished = fs.existsSync(mPath);
  let signed = false;
  let files = 0;
  let recovered: RecoveryInfo | undefined;
  if (finished) {
    const body = fs.readFileSync(mPath);
    let m: Manifest | undefined;
    try {
      m = JSON.parse(body.toString('utf8')) as Manifest;
    } catch {
      problems.push({ file: MANIFEST_FILE, problem: 'changed', detail: 'not JSON' });
    }
    const sigPath = path.join(dir, SIGNATURE_FILE);
    if (fs.existsSync(sigPath)) {
      const certPem = opts.trustedCertPem ?? (fs.existsSync(path.join(dir, SIGNER_CERT_FILE)) ? fs.readFileSync(path.join(dir, SIGNER_CERT_FILE), 'utf8') : undefined);
      if (!certPem) problems.push({ file: SIGNER_CERT_FILE, problem: 'missing', detail: 'no signer certificate' });
      else {
        const cert = new crypto.X509Certificate(certPem);
        const ok = crypto.verify('sha256', body, cert.publicKey, Buffer.from(fs.readFileSync(sigPath, 'utf8').trim(), 'base64'));
        if (!ok) problems.push({ file: MANIFEST_FILE, problem: 'signature', detail: `the signature of ${cert.subject.replace(/\n/g, ', ')} does not match` });
        else if (m?.signer && m.signer.fingerprint256 !== cert.fingerprint256) problems.push({ file: MANIFEST_FILE, problem: 'signer', detail: 'signed by another certificate than the one named' });
        signed = ok;
      }
    } else if (opts.requireSigned) {
      problems.push({ file: SIGNATURE_FILE, problem: 'unsigned', detail: 'the manifest is not signed' });
    }
    if (m) {
      recovered = m.recovery;
      files = m.files.length;
      for (const f of m.files) problems.push(...(await checkFile(dir, f)));
      if (m.chainHead !== prev) problems.push({ file: CHAIN_FILE, problem: 'chain', detail: 'the chain does not end where the manifest says' });
    }
  }
  return { dir, intact: problems.length === 0, finished, signed, files, segments: chain.length, unchained, problems, ...(recovered ? { recovered } : {}) };
}

async function checkFile(dir: string, f: FileHash): Promise<VerifyProblem[]> {
  const abs = path.join(dir, f.file);
  if (!fs.existsSync(abs)) return [{ file: f.file, problem: 'missing', detail: 'file is gone' }];
  const h = await hashFile(abs, f.file);
  if (h.size !== f.size) return [{ file: f.file, problem: 'size', detail: `${h.size} bytes, expected ${f.size}` }];
  if (h.sha256 !== f.sha256 || h.md5 !== f.md5) return [{ file: f.file, problem: 'changed', detail: 'content differs from its recorded hash' }];
  return [];
}
