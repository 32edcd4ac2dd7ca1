/**
 * snapshot: fetch the picture from GetSnapshotUri (basic or digest auth) and judge it the way a
 * technician glancing at it would: black, uniform, frozen, blurred, too small, or fine.
 *
 * Decoding is the cost that matters (thousands of cameras every few minutes on 2 cores): sharp
 * decodes the JPEG with shrink-on-load (libjpeg's DCT scaling) straight to 320 px wide, and every
 * measure is taken on that small picture (bench/onvif.bench.ts, docs/BENCHMARKS.md).
 */
import crypto from 'node:crypto';
import http from 'node:http';
import sharp from 'sharp';

// Each picture is decoded once and dropped: libvips' operation cache only holds memory (tens of
// MB at a national fleet), and one thread per decode keeps thread arenas down; the collector
// already runs several probes at once on libuv's pool (docs/BENCHMARKS.md, fleet).
sharp.cache(false);
sharp.concurrency(1);
import type { CheckResult, CheckResultDraft, Credentials } from '../../../collector/core/types';
import { authorizationFor, parseChallenges, pickChallenge } from '../digest';
import type { OnvifPolicy } from '../policy';
import { round1 } from './common';

/** Width the picture is judged at. */
export const JUDGE_WIDTH = 320;
/** Width of the thumbnail kept as evidence. */
export const THUMB_WIDTH = 160;
/** Pictures larger than this many pixels are refused before decoding (a 8K frame is 33 MP). */
const MAX_PIXELS = 50_000_000;

// ---- fetching ----------------------------------------------------------------------------

export type FetchResult =
  | { ok: true; bytes: Buffer; contentType: string; status: number }
  | { ok: false; kind: 'unreachable' | 'timeout' | 'auth' | 'auth-missing' | 'http-status' | 'too-large'; detail: string; status?: number };

function getOnce(url: URL, agent: http.Agent, signal: AbortSignal, maxBytes: number, authorization?: string): Promise<
  { status: number; headers: string[]; contentType: string; bytes?: Buffer; tooLarge?: boolean } | { error: string; aborted: boolean }
> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (v: Parameters<typeof resolve>[0]) => {
      if (!settled) {
        settled = true;
        resolve(v);
      }
    };
    let req: http.ClientRequest;
    try {
      req = http.request(url, {
        method: 'GET', agent, signal,
        headers: { 'user-agent': 'hallwatch', accept: 'image/jpeg, image/*', ...(authorization ? { authorization } : {}) },
      });
    } catch (e) {
      return done({ error: (e as Error).message, aborted: false });
    }
    req.on('error', (e: NodeJS.ErrnoException) => done({ error: e.code ?? e.message, aborted: signal.aborted }));
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      const auth: string[] = [];
      for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) if (res.rawHeaders[i]!.toLowerCase() === 'www-authenticate') auth.push(res.rawHeaders[i + 1]!);
      const contentType = String(res.headers['content-type'] ?? '');
      res.on('error', (e: NodeJS.ErrnoException) => done({ error: e.code ?? e.message, aborted: signal.aborted }));
      res.on('aborted', () => done({ error: 'connection closed before the picture was complete', aborted: signal.aborted }));
      if (status !== 200) {
        res.resume();
        res.on('end', () => done({ status, headers: auth, contentType }));
        return;
      }
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > maxBytes) {
        done({ status, headers: auth, contentType, tooLarge: true });
        res.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > maxBytes) {
          done({ status, headers: auth, contentType, tooLarge: true });
          res.destroy();
          return;
        }
        chunks.push(c);
      });
      res.on('end', () => done({ status, headers: auth, contentType, bytes: Buffer.concat(chunks, size) }));
      res.on('close', () => done({ error: 'connection closed before the picture was complete', aborted: signal.aborted }));
    });
    req.end();
  });
}

/** GET the snapshot; answers one 401 challenge (digest preferred) with the device's credentials. */
export async function fetchSnapshot(url: URL, credentials: Credentials | undefined, agent: http.Agent, signal: AbortSignal, maxBytes: number): Promise<FetchResult> {
  const clean = new URL(url.toString());
  const username = credentials?.username ?? (clean.username ? decodeURIComponent(clean.username) : undefined);
  const password = credentials?.password ?? (clean.password ? decodeURIComponent(clean.password) : '');
  clean.username = '';
  clean.password = '';
  let r = await getOnce(clean, agent, signal, maxBytes);
  if (!('error' in r) && r.status === 401) {
    const challenge = pickChallenge(parseChallenges(r.headers));
    if (username === undefined) return { ok: false, kind: 'auth-missing', detail: 'HTTP 401', status: 401 };
    if (challenge) r = await getOnce(clean, agent, signal, maxBytes, authorizationFor(challenge, username, password ?? '', 'GET', clean.pathname + clean.search));
    if (!('error' in r) && r.status === 401) return { ok: false, kind: 'auth', detail: 'HTTP 401', status: 401 };
  }
  if ('error' in r) return { ok: false, kind: r.aborted ? 'timeout' : 'unreachable', detail: r.error };
  if (r.tooLarge) return { ok: false, kind: 'too-large', detail: `over ${maxBytes} bytes`, status: r.status };
  if (r.status !== 200 || !r.bytes) return { ok: false, kind: 'http-status', detail: `HTTP ${r.status}`, status: r.status };
  return { ok: true, bytes: r.bytes, contentType: r.contentType, status: r.status };
}

// ---- measuring ---------------------------------------------------------------------------

export interface PictureMeasure {
  /** The picture's own size. */
  width: number;
  height: number;
  /** Mean luma, 0-100 %. */
  brightness: number;
  /** 5th and 95th percentile of luma (0-255). */
  p5: number;
  p95: number;
  /** Laplacian/gradient ratio on edges × 100; 0 when the picture has almost no edges. */
  sharpness: number;
  /** 64-bit hex fingerprint of the judged pixels outside the OSD bands (equal = pixel-identical). */
  hash: string;
}

/** A baseline or progressive JPEG's size from its SOF header, without decoding; undefined if none. */
export function jpegSize(b: Buffer): { width: number; height: number } | undefined {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return undefined;
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return undefined;
    const marker = b[i + 1]!;
    if (marker === 0xff) {
      i++;
      continue;
    }
    const len = b.readUInt16BE(i + 2);
    // SOF0..SOF15, except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7) };
    }
    if (marker === 0xda || len < 2) return undefined;
    i += 2 + len;
  }
  return undefined;
}

export interface MeasuredPicture {
  measure: PictureMeasure;
  /** The ~160 px JPEG thumbnail, made only when asked (most ok probes keep the last one). */
  thumbnail(): Promise<Buffer>;
}

/** Decodes (shrink-on-load) and measures. Throws when the bytes are not a picture. */
export async function measurePicture(bytes: Buffer, osdBand: number): Promise<MeasuredPicture> {
  const input = { limitInputPixels: MAX_PIXELS, failOn: 'error' as const };
  const meta = jpegSize(bytes) ?? await sharp(bytes, input).metadata();
  if (!meta.width || !meta.height) throw new Error('no picture size');
  if (meta.width * meta.height > MAX_PIXELS) throw new Error(`picture of ${meta.width}×${meta.height} is over the pixel limit`);
  // libjpeg decodes at 1/2, 1/4 or 1/8 scale straight from the DCT: a 1080p picture is never
  // decoded whole.
  const { data, info } = await sharp(bytes, input)
    .resize({ width: JUDGE_WIDTH, height: JUDGE_WIDTH, fit: 'inside', withoutEnlargement: true })
    .toColourspace('srgb').removeAlpha().raw()
    .toBuffer({ resolveWithObject: true });
  return measurePixels(data, info.width, info.height, info.channels, { width: meta.width, height: meta.height }, osdBand);
}

/** The measures, and the thumbnail on demand, from decoded pixels (RGB or grey) about JUDGE_WIDTH wide. */
export function measurePixels(data: Buffer, w: number, h: number, ch: number, size: { width: number; height: number }, osdBand: number): MeasuredPicture {
  const n = w * h;
  const y = new Uint8Array(n);
  const hist = new Uint32Array(256);
  let sum = 0;
  for (let i = 0, j = 0; i < n; i++, j += ch) {
    // BT.601 luma, integer.
    const v = ch >= 3 ? (77 * data[j]! + 150 * data[j + 1]! + 29 * data[j + 2]!) >> 8 : data[j]!;
    y[i] = v;
    hist[v]!++;
    sum += v;
  }
  const pct = (p: number) => {
    let c = 0;
    const want = p * n;
    for (let v = 0; v < 256; v++) {
      c += hist[v]!;
      if (c >= want) return v;
    }
    return 255;
  };
  // Sharpness: on pixels with a real edge, how steep the edge is (Laplacian) for its height
  // (gradient). Independent of how much of the picture is edges and of its contrast.
  // Both leave out the OSD bands: the OSD stays sharp and keeps ticking over a bad picture.
  const band = Math.floor(h * osdBand);
  let sumL = 0;
  let sumG = 0;
  let edges = 0;
  for (let r = Math.max(1, band); r < Math.min(h - 1, h - band); r++) {
    for (let c = 1; c < w - 1; c++) {
      const i = r * w + c;
      const gx = (y[i + 1]! - y[i - 1]!) / 2;
      const gy = (y[i + w]! - y[i - w]!) / 2;
      const g = Math.sqrt(gx * gx + gy * gy);
      if (g <= 4) continue;
      edges++;
      sumG += g;
      sumL += Math.abs(4 * y[i]! - y[i - 1]! - y[i + 1]! - y[i - w]! - y[i + w]!);
    }
  }
  const interior = Math.max(1, (w - 2) * (h - 2 * Math.max(1, band)));
  const sharpness = edges / interior < 0.002 || sumG === 0 ? 0 : Math.round((100 * sumL) / sumG);
  const hash = crypto.createHash('sha1').update(y.subarray(band * w, (h - band) * w)).digest('hex').slice(0, 16);
  const thumbnail = () => sharp(data, { raw: { width: w, height: h, channels: ch as 1 | 2 | 3 | 4 } })
    .resize({ width: THUMB_WIDTH, height: THUMB_WIDTH, fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: 72 })
    .toBuffer();
  return {
    measure: { width: size.width, height: size.height, brightness: round1((sum / n / 255) * 100), p5: pct(0.05), p95: pct(0.95), sharpness, hash },
    thumbnail,
  };
}

// ---- judging -----------------------------------------------------------------------------

export interface PictureVerdict {
  result: CheckResultDraft;
  /** Whether the thumbnail must be stored now (else the previous one stands). */
  storeThumbnail: boolean;
  /** The previous result's evidence, to keep when the thumbnail is not stored again. */
  previousEvidence?: CheckResult['evidence'];
}

/**
 * Judges one measured picture. `previous` is the device's last snapshot result: it carries the
 * last picture's fingerprint, how many probes it has been the same, and since when.
 */
export function judgePicture(m: PictureMeasure, policy: OnvifPolicy, previous: CheckResult | undefined, now: number): PictureVerdict {
  const p = policy.picture;
  const nowIso = new Date(now).toISOString();
  const prevHash = previous?.facts?.picture_hash;
  const prevAt = previous ? Date.parse(previous.observedAt) : NaN;
  let unchanged = 1;
  let since = nowIso;
  if (prevHash && prevHash === m.hash) {
    const prevCount = previous?.values?.unchanged_probes ?? 1;
    // The same picture only counts against the camera when time has moved on since.
    unchanged = Number.isFinite(prevAt) && now - prevAt >= 1000 ? prevCount + 1 : prevCount;
    since = previous?.facts?.picture_since ?? previous!.observedAt;
  }
  const spread = m.p95 - m.p5;
  const values: Record<string, number> = { width: m.width, height: m.height, brightness: m.brightness, contrast: spread, sharpness: m.sharpness };
  if (unchanged >= 2) values.unchanged_probes = unchanged;
  const facts: Record<string, string> = { picture_hash: m.hash, picture_since: since };
  const size = { width: m.width, height: m.height };
  let result: CheckResultDraft;
  if (m.p95 <= p.blackMaxLuma) {
    result = { check: 'snapshot', status: 'down', message: `black picture (no video, or the lens is covered): 95 % of it at or below luma ${m.p95}`, messageKey: 'onvif.snapshot.black', params: { brightness: m.brightness }, values, facts };
  } else if (spread <= p.uniformMaxSpread) {
    result = { check: 'snapshot', status: 'down', message: `uniform picture (lens covered or facing a wall): contrast ${spread}`, messageKey: 'onvif.snapshot.uniform', params: { contrast: spread }, values, facts };
  } else if (unchanged >= p.frozenAfterProbes) {
    const seconds = Math.max(0, Math.round((now - Date.parse(since)) / 1000));
    result = { check: 'snapshot', status: 'down', message: `frozen picture: identical in ${unchanged} probes over ${seconds} s`, messageKey: 'onvif.snapshot.frozen', params: { probes: unchanged, seconds }, values, facts };
  } else if (m.sharpness < p.blurMinSharpness) {
    result = { check: 'snapshot', status: 'degraded', message: `blurred picture (out of focus or a dirty lens): sharpness ${m.sharpness}, needs ${p.blurMinSharpness}`, messageKey: 'onvif.snapshot.blurred', params: { sharpness: m.sharpness, min: p.blurMinSharpness }, values, facts };
  } else if (m.width < policy.video.minWidth || m.height < policy.video.minHeight) {
    result = { check: 'snapshot', status: 'degraded', message: `picture ${m.width}×${m.height} is smaller than ${policy.video.minWidth}×${policy.video.minHeight} (003 §8)`, messageKey: 'onvif.snapshot.small', params: { ...size, minWidth: policy.video.minWidth, minHeight: policy.video.minHeight }, values, facts };
  } else {
    result = { check: 'snapshot', status: 'ok', message: `picture ok (${m.width}×${m.height})`, messageKey: 'onvif.snapshot.ok', params: size, values, facts };
  }
  // A fault is always shown with the picture that proves it; an ok picture's thumbnail is
  // refreshed every thumbnailRefreshMinutes.
  const prevThumbAt = previous?.facts?.thumbnail_at ? Date.parse(previous.facts.thumbnail_at) : NaN;
  const reuse = result.status === 'ok' && previous?.status === 'ok' && previous.evidence?.kind === 'image' && !!previous.evidence.ref &&
    Number.isFinite(prevThumbAt) && now - prevThumbAt < p.thumbnailRefreshMinutes * 60_000;
  if (reuse) facts.thumbnail_at = previous!.facts!.thumbnail_at!;
  return { result, storeThumbnail: !reuse, previousEvidence: reuse ? previous!.evidence : undefined };
}
