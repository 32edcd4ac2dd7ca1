/**
 * The recorder agent's configuration file (YAML or JSON): the hall it serves, its inputs (any
 * ffmpeg input: an RTSP URI from ONVIF, an ALSA device, or lavfi test sources), where it writes,
 * its copies, its signing key and its control API. See device-drivers/recorder/README.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';

/** One ffmpeg input: the options that go before `-i`, and the `-i` value. */
const input = z.strictObject({
  /** e.g. ['-rtsp_transport', 'tcp'] or ['-re', '-f', 'lavfi']. */
  options: z.array(z.string()).default([]),
  url: z.string().min(1),
});
export type AgentInput = z.infer<typeof input>;

/** A secret named, never written, in the file: an environment variable or a file holding it. */
const secretRef = z.union([z.strictObject({ env: z.string().min(1) }), z.strictObject({ file: z.string().min(1) })]);
export type SecretRef = z.infer<typeof secretRef>;

/**
 * The court's X.509 key pair (000 §20): PEM files (the key may be encrypted: `passphrase`), or a
 * PKCS#12 file (.p12/.pfx) with its passphrase, read through the system openssl (signing.ts).
 */
const signingSchema = z.union([
  z.strictObject({ keyFile: z.string().min(1), certFile: z.string().min(1), passphrase: secretRef.optional() }),
  z.strictObject({ pkcs12File: z.string().min(1), passphrase: secretRef.optional() }),
]);

/**
 * 000 §5, 003 §7.1: recording is continuous, so a capture process (ffmpeg) that dies while
 * recording is started again, after `initialDelayMs`, doubling with each exit up to `maxDelayMs`.
 * More than `maxRestarts` exits within `windowSeconds` is a failure that needs a person (an input
 * gone for good would otherwise loop): the recording is paused on record and reported.
 */
const restartSchema = z.strictObject({
  initialDelayMs: z.number().int().min(0).max(60_000).default(500),
  maxDelayMs: z.number().int().min(0).max(600_000).default(15_000),
  maxRestarts: z.number().int().min(0).max(100).default(5),
  windowSeconds: z.number().min(1).max(86_400).default(300),
});
const restartDefaults = { initialDelayMs: 500, maxDelayMs: 15_000, maxRestarts: 5, windowSeconds: 300 };

export const agentConfigSchema = z.strictObject({
  hall: z.strictObject({
    id: z.string().min(1),
    /** The place of the hearing for the short protocol (003 §7.5), in both languages. */
    place: z.strictObject({ ru: z.string().min(1), kk: z.string().min(1) }),
    timeZone: z.string().default('Asia/Almaty'),
  }),
  listen: z.strictObject({ host: z.string().default('127.0.0.1'), port: z.number().int().min(0).max(65535).default(0) }).default({ host: '127.0.0.1', port: 0 }),
  /** The bearer token of the control API: inline (tests), from an env variable or a file. */
  token: z.union([z.string().min(16), z.strictObject({ env: z.string() }), z.strictObject({ file: z.string() })]),
  video: input,
  /** One entry per microphone channel (003 §7.8, §9): channel 1 is the first. */
  audio: z.array(input.extend({ name: z.string().optional() })).min(1).max(32),
  sampleRate: z.number().int().min(8000).max(96000).default(48000),
  /** Output video size; the regulation's minimum is 640×320 (003 §8). */
  videoSize: z.string().regex(/^\d+x\d+$/).default('1280x720'),
  videoQuality: z.number().int().min(1).max(31).default(5),
  segmentSeconds: z.number().min(1).max(600).default(10),
  outDir: z.string().min(1),
  copies: z.strictObject({
    main: z.string().min(1),
    backup: z.string().min(1),
    /** 000 §23: daily at a set time (HH:MM on the hall's wall clock), and at stop if set. */
    dailyAt: z.string().regex(/^\d\d:\d\d$/).optional(),
    atStop: z.boolean().default(true),
  }).optional(),
  signing: signingSchema.optional(),
  restart: restartSchema.default(restartDefaults),
  /** Level metering: samples per second of the meter stream and the window length. */
  meter: z.strictObject({ rate: z.number().int().min(1000).max(48000).default(8000), windowMs: z.number().int().min(100).max(5000).default(500) }).default({ rate: 8000, windowMs: 500 }),
  ffmpeg: z.string().default('ffmpeg'),
  ffprobe: z.string().default('ffprobe'),
  /** For a PKCS#12 signing key. */
  openssl: z.string().default('openssl'),
});
export type AgentConfig = z.infer<typeof agentConfigSchema>;

export function parseAgentConfig(raw: unknown, baseDir = process.cwd()): AgentConfig {
  const c = agentConfigSchema.parse(raw);
  const abs = (p: string) => path.resolve(baseDir, p);
  const absRef = (r?: SecretRef): SecretRef | undefined => (r && 'file' in r ? { file: abs(r.file) } : r);
  return {
    ...c, outDir: abs(c.outDir),
    copies: c.copies && { ...c.copies, main: abs(c.copies.main), backup: abs(c.copies.backup) },
    signing: c.signing && ('pkcs12File' in c.signing
      ? { ...c.signing, pkcs12File: abs(c.signing.pkcs12File), passphrase: absRef(c.signing.passphrase) }
      : { ...c.signing, keyFile: abs(c.signing.keyFile), certFile: abs(c.signing.certFile), passphrase: absRef(c.signing.passphrase) }),
  };
}

export function loadAgentConfig(file: string): AgentConfig {
  const text = fs.readFileSync(file, 'utf8');
  return parseAgentConfig(YAML.parse(text), path.dirname(path.resolve(file)));
}

export function resolveToken(c: AgentConfig, env: NodeJS.ProcessEnv = process.env): string {
  const t = c.token;
  if (typeof t === 'string') return t;
  if ('env' in t) {
    const v = env[t.env];
    if (!v) throw new Error(`token: environment variable ${t.env} is not set`);
    return v;
  }
  return fs.readFileSync(t.file, 'utf8').trim();
}
