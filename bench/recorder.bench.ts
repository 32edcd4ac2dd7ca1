/**
 * CPU of live level metering per microphone channel per second (the agent meters also while not
 * recording, for the daily check): (a) ffmpeg writes 8 kHz s16le PCM of all channels to a pipe and
 * Node computes RMS/peak/DC (LevelMeter, what the agent uses); (b) ffmpeg's own `astats` per
 * channel, printed with `ametadata` and parsed in Node. Both on the same lavfi sources (4 channels,
 * 16 kHz, real time); a baseline that only generates the sources (-f null) is subtracted.
 * ffmpeg's CPU is read from /proc/<pid>/stat (Linux) just before it is stopped.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { LevelMeter } from '../device-drivers/recorder/agent/levels';
import type { Bench, BenchRow } from './types';

const CHANNELS = 4;
const SECONDS = 6;
const inputs = Array.from({ length: CHANNELS }, (_, i) => ['-re', '-f', 'lavfi', '-i', `sine=frequency=${300 + 100 * i}:sample_rate=16000`]).flat();
const merged = `${Array.from({ length: CHANNELS }, (_, i) => `[${i}:a]`).join('')}amerge=inputs=${CHANNELS}`;

function procCpuMs(pid: number): number {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const parts = f.slice(f.lastIndexOf(')') + 2).split(' ');
  const tick = 100; // USER_HZ on Linux
  return ((Number(parts[11]) + Number(parts[12])) * 1000) / tick;
}

async function measure(args: string[], onStdout?: (d: Buffer) => void): Promise<{ ffmpegMs: number; nodeMs: number }> {
  const p = spawn('ffmpeg', ['-hide_banner', '-nostdin', '-loglevel', 'error', ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
  const c0 = process.cpuUsage();
  if (onStdout) p.stdout.on('data', onStdout);
  else p.stdout.resume();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const ffmpegMs = procCpuMs(p.pid!);
  const c = process.cpuUsage(c0);
  p.kill('SIGKILL');
  await new Promise((r) => p.once('exit', r));
  return { ffmpegMs, nodeMs: (c.user + c.system) / 1000 };
}

export const recorderBench: Bench = {
  name: 'recorder',
  description: 'CPU of live level metering per channel per second: PCM pipe + Node vs ffmpeg astats',
  async run(): Promise<BenchRow[]> {
    if (os.platform() !== 'linux') return [];
    const per = (ms: number) => Math.round((ms / CHANNELS / SECONDS) * 100) / 100;
    const base = await measure([...inputs, '-filter_complex', `${merged}[m]`, '-map', '[m]', '-f', 'null', '-']);
    let windows = 0;
    const meter = new LevelMeter(CHANNELS, 4000, () => windows++);
    const pcm = await measure([...inputs, '-filter_complex', `${merged},aresample=8000,aformat=sample_fmts=s16[m]`, '-map', '[m]', '-c:a', 'pcm_s16le', '-f', 's16le', 'pipe:1'], (d) => meter.push(d));
    let lines = 0;
    const astats = await measure([...inputs, '-filter_complex',
      `${merged},asetnsamples=n=8000,astats=metadata=1:reset=1:measure_overall=none:measure_perchannel=RMS_level+Peak_level+DC_offset,ametadata=mode=print:file=-[m]`,
      '-map', '[m]', '-f', 'null', '-'], (d) => {
      lines += d.toString('utf8').split('\n').length;
    });
    return [
      { work: `generate ${CHANNELS} lavfi channels, real time (baseline)`, option: 'ffmpeg -f null', figures: { cpu_ms_per_channel_s: per(base.ffmpegMs + base.nodeMs) } },
      { work: 'meter: RMS, peak, DC per channel, 0.5 s windows', option: 'ffmpeg → 8 kHz s16le pipe → Node LevelMeter (agent)', figures: { cpu_ms_per_channel_s: per(pcm.ffmpegMs + pcm.nodeMs), over_baseline: per(pcm.ffmpegMs + pcm.nodeMs - base.ffmpegMs - base.nodeMs), node_ms_per_channel_s: per(pcm.nodeMs), windows } },
      { work: 'meter: RMS, peak, DC per channel, 0.5 s windows', option: 'ffmpeg astats + ametadata print → Node parses', figures: { cpu_ms_per_channel_s: per(astats.ffmpegMs + astats.nodeMs), over_baseline: per(astats.ffmpegMs + astats.nodeMs - base.ffmpegMs - base.nodeMs), lines } },
    ];
  },
};
