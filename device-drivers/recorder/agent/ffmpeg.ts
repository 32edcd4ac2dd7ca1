/**
 * ffmpeg command lines of the agent: the meter (audio inputs only, levels on stdout) and the
 * recording (every input; per-channel WAV, mixed MP3, MPEG-4 + AAC audio-video, each written in
 * segments so that a crash loses at most the segment in progress; the meter stream on stdout too,
 * because a real capture device can be opened once). And ffprobe for the test recording.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { AgentConfig } from './config';

export type StreamKind = 'ch' | 'mix' | 'av';
/** One output stream of a recording: its key ("ch1", "mix", "av"), the file extension. */
export interface StreamSpec {
  key: string;
  kind: StreamKind;
  ext: string;
}

export function streamsOf(c: AgentConfig): StreamSpec[] {
  return [
    ...c.audio.map((_, i) => ({ key: `ch${i + 1}`, kind: 'ch' as const, ext: 'wav' })),
    { key: 'mix', kind: 'mix', ext: 'mp3' },
    { key: 'av', kind: 'av', ext: 'mp4' },
  ];
}

const inputArgs = (i: { options: string[]; url: string }) => [...i.options, '-i', i.url];

/** The meter stream: every channel resampled to the meter rate, merged, s16le on stdout. */
function meterGraph(c: AgentConfig, labels: string[]): string {
  const n = labels.length;
  const merged = n === 1 ? `${labels[0]}anull` : `${labels.join('')}amerge=inputs=${n}`;
  return `${merged},aresample=${c.meter.rate},aformat=sample_fmts=s16:channel_layouts=${n}c[meter]`;
}

export function meterArgs(c: AgentConfig): string[] {
  const pre = c.audio.map((_, i) => `[${i}:a]aformat=channel_layouts=mono[m${i}]`);
  const graph = [...pre, meterGraph(c, c.audio.map((_, i) => `[m${i}]`))].join(';');
  return [
    '-hide_banner', '-nostdin', '-loglevel', 'warning',
    ...c.audio.flatMap(inputArgs),
    '-filter_complex', graph, '-map', '[meter]', '-c:a', 'pcm_s16le', '-f', 's16le', 'pipe:1',
  ];
}

/**
 * The recording: input 0 is the video, inputs 1..N the microphones. `startNumber` continues the
 * segment numbering after a pause. Each stream's segment list (CSV) gets a line when a segment
 * is finished and closed: the agent hashes and chains it then.
 */
export function recordArgs(c: AgentConfig, dir: string, base: string, startNumber: number): string[] {
  const n = c.audio.length;
  const sr = c.sampleRate;
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    parts.push(`[${i + 1}:a]aresample=${sr},aformat=sample_fmts=s16:channel_layouts=mono,asplit=3[a${i}][x${i}][l${i}]`);
  }
  const mixIn = Array.from({ length: n }, (_, i) => `[x${i}]`).join('');
  parts.push(n === 1 ? `${mixIn}anull,asplit=2[mix][mixav]` : `${mixIn}amix=inputs=${n}:normalize=0,asplit=2[mix][mixav]`);
  parts.push(meterGraph(c, Array.from({ length: n }, (_, i) => `[l${i}]`)));
  const [w, h] = c.videoSize.split('x');
  parts.push(`[0:v]scale=${w}:${h},format=yuv420p[v]`);
  const seg = (key: string, ext: string, format?: string) => [
    '-f', 'segment', '-segment_time', String(c.segmentSeconds), '-segment_start_number', String(startNumber),
    '-reset_timestamps', '1', ...(format ? ['-segment_format', format] : []),
    '-segment_list', path.join(dir, `${key}.csv`), '-segment_list_type', 'csv', '-segment_list_flags', '+live',
    path.join(dir, `${base}_${key}_%05d.${ext}`),
  ];
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push('-map', `[a${i}]`, '-c:a', 'pcm_s16le', ...seg(`ch${i + 1}`, 'wav'));
  out.push('-map', '[mix]', '-c:a', 'libmp3lame', '-b:a', '96k', ...seg('mix', 'mp3'));
  out.push(
    '-map', '[v]', '-map', '[mixav]', '-c:v', 'mpeg4', '-q:v', String(c.videoQuality),
    '-force_key_frames', `expr:gte(t,n_forced*${c.segmentSeconds})`, '-c:a', 'aac', '-b:a', '96k', ...seg('av', 'mp4', 'mp4'),
  );
  out.push('-map', '[meter]', '-c:a', 'pcm_s16le', '-f', 's16le', 'pipe:1');
  return [
    '-hide_banner', '-loglevel', 'warning', '-y',
    ...inputArgs(c.video), ...c.audio.flatMap(inputArgs),
    '-filter_complex', parts.join(';'), ...out,
  ];
}

/** Concatenates a stream's segments into its one file (stream copy: no re-encoding). */
export async function concatSegments(ffmpeg: string, segments: string[], listFile: string, out: string): Promise<void> {
  const fs = await import('node:fs/promises');
  await fs.writeFile(listFile, segments.map((s) => `file '${s.replace(/'/g, "'\\''")}'`).join('\n') + '\n');
  await run(ffmpeg, ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', listFile, '-c', 'copy', '-map', '0', out]);
  await fs.rm(listFile, { force: true });
}

export function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${path.basename(cmd)} failed: ${String(stderr).trim().split('\n').slice(-3).join(' ') || err.message}`));
      else resolve(String(stdout));
    });
  });
}

export interface ProbeInfo {
  durationSeconds: number;
  audioChannels?: number;
  width?: number;
  height?: number;
  videoCodec?: string;
  audioCodec?: string;
}

export async function ffprobe(bin: string, file: string): Promise<ProbeInfo> {
  const out = await run(bin, ['-v', 'error', '-show_entries', 'format=duration:stream=codec_type,codec_name,channels,width,height', '-of', 'json', file]);
  const j = JSON.parse(out) as { format?: { duration?: string }; streams?: Array<{ codec_type: string; codec_name: string; channels?: number; width?: number; height?: number }> };
  const a = j.streams?.find((s) => s.codec_type === 'audio');
  const v = j.streams?.find((s) => s.codec_type === 'video');
  return {
    durationSeconds: Number(j.format?.duration ?? 0), audioChannels: a?.channels, audioCodec: a?.codec_name,
    width: v?.width, height: v?.height, videoCodec: v?.codec_name,
  };
}

/**
 * Spawns ffmpeg with stdin open (for "q") and stderr kept (last lines, for the reason it died).
 * `ended` resolves once, whether the process exited or could not be started at all (a missing
 * binary is an 'error' event, after which Node may never emit 'exit').
 */
export function spawnFfmpeg(bin: string, args: string[]): { proc: ChildProcess; stderrTail: () => string; ended: Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: string }> } {
  const proc = spawn(bin, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let tail = '';
  proc.stderr!.on('data', (d: Buffer) => {
    tail = (tail + d.toString('utf8')).slice(-2000);
  });
  proc.stdin!.on('error', () => undefined);
  proc.stdout!.on('error', () => undefined);
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: string }>((resolve) => {
    proc.once('exit', (code, signal) => resolve({ code, signal }));
    proc.once('error', (e) => {
      if (proc.pid === undefined || proc.exitCode !== null) resolve({ code: null, signal: null, error: e.message });
    });
  });
  return { proc, stderrTail: () => tail.trim().split('\n').slice(-3).join(' '), ended };
}

/** The number at the end of a segment file's name ("…_mix_00012.mp3" → 12), or undefined. */
export function segmentNumber(file: string): number | undefined {
  const m = /_(\d{5,})\.[A-Za-z0-9]+$/.exec(file);
  return m ? Number(m[1]) : undefined;
}

/** The finished segments a stream's CSV list names: whole lines only (ffmpeg may be mid-line). */
export function listedSegments(csvText: string): string[] {
  const whole = csvText.slice(0, csvText.lastIndexOf('\n') + 1);
  return whole.split('\n').map((l) => l.split(',')[0]?.trim() ?? '').filter(Boolean);
}
