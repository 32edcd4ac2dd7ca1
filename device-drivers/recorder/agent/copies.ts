/**
 * Copies of finished recordings to the regional main and backup stores (003 §7.4, §14;
 * 000 §23), here directories (a mounted share of each server). Each copy is read back and
 * hashed against the signed manifest; a missing or mismatched file is reported by name.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { hashFile, MANIFEST_FILE, SIGNATURE_FILE, SIGNER_CERT_FILE, type Manifest } from './integrity';

export type StoreName = 'main' | 'backup';

export interface CopyProblem {
  store: StoreName;
  file: string;
  problem: 'missing' | 'mismatch' | 'error';
  detail?: string;
}

export interface CopyState {
  /** Per store: when the copy was last verified intact. */
  verifiedAt: Partial<Record<StoreName, string>>;
  problems: CopyProblem[];
  checkedAt?: string;
}

export const COPY_STATE_FILE = 'copies.json';

export function copyTarget(storeDir: string, hallId: string, recordingId: string): string {
  return path.join(storeDir, hallId, recordingId);
}

function filesToCopy(dir: string, m: Manifest): string[] {
  const extra = [MANIFEST_FILE, SIGNATURE_FILE, SIGNER_CERT_FILE, 'chain.jsonl'].filter((f) => fs.existsSync(path.join(dir, f)));
  return [...new Set([...m.files.map((f) => f.file), ...extra])];
}

/** Compares the copy in one store with the manifest; the manifest itself byte for byte. */
export async function verifyCopy(dir: string, target: string, store: StoreName): Promise<CopyProblem[]> {
  const m = JSON.parse(await fsp.readFile(path.join(dir, MANIFEST_FILE), 'utf8')) as Manifest;
  const problems: CopyProblem[] = [];
  for (const f of m.files) {
    const abs = path.join(target, f.file);
    if (!fs.existsSync(abs)) {
      problems.push({ store, file: f.file, problem: 'missing' });
      continue;
    }
    const h = await hashFile(abs, f.file);
    if (h.sha256 !== f.sha256 || h.md5 !== f.md5 || h.size !== f.size) problems.push({ store, file: f.file, problem: 'mismatch', detail: `sha256 ${h.sha256.slice(0, 12)}…, expected ${f.sha256.slice(0, 12)}…` });
  }
  const mc = path.join(target, MANIFEST_FILE);
  if (!fs.existsSync(mc)) problems.push({ store, file: MANIFEST_FILE, problem: 'missing' });
  else if (!(await fsp.readFile(mc)).equals(await fsp.readFile(path.join(dir, MANIFEST_FILE)))) problems.push({ store, file: MANIFEST_FILE, problem: 'mismatch' });
  return problems;
}

/** Copies what is missing or different, then verifies both stores. */
export async function copyRecording(dir: string, stores: Record<StoreName, string>, hallId: string, now: () => number, opts: { verifyOnly?: boolean } = {}): Promise<CopyState> {
  const m = JSON.parse(await fsp.readFile(path.join(dir, MANIFEST_FILE), 'utf8')) as Manifest;
  const prev = readCopyState(dir);
  const state: CopyState = { verifiedAt: { ...prev.verifiedAt }, problems: [], checkedAt: new Date(now()).toISOString() };
  for (const store of ['main', 'backup'] as const) {
    const target = copyTarget(stores[store], hallId, m.recordingId);
    try {
      if (!opts.verifyOnly) {
        const before = fs.existsSync(target) ? await verifyCopy(dir, target, store) : undefined;
        if (!before || before.length) {
          await fsp.mkdir(target, { recursive: true });
          const bad = new Set(before?.map((p) => p.file));
          for (const f of filesToCopy(dir, m)) {
            if (before && !bad.has(f) && fs.existsSync(path.join(target, f)) && f !== MANIFEST_FILE) continue;
            // Write under a temporary name, then rename: a half-written copy never looks whole.
            const tmp = path.join(target, `.${f}.part`);
            await fsp.copyFile(path.join(dir, f), tmp);
            await fsp.rename(tmp, path.join(target, f));
          }
        }
      }
      const problems = fs.existsSync(target) ? await verifyCopy(dir, target, store) : [{ store, file: '*', problem: 'missing' as const }];
      if (problems.length) {
        state.problems.push(...problems);
        delete state.verifiedAt[store];
      } else state.verifiedAt[store] = state.checkedAt;
    } catch (e) {
      state.problems.push({ store, file: '*', problem: 'error', detail: (e as Error).message });
    }
  }
  await fsp.writeFile(path.join(dir, COPY_STATE_FILE), JSON.stringify(state, null, 2));
  return state;
}

export function readCopyState(dir: string): CopyState {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, COPY_STATE_FILE), 'utf8')) as CopyState;
  } catch {
    return { verifiedAt: {}, problems: [] };
  }
}
