/**
 * The real recorder agent as a demo device: lavfi sources stand in for the hall's camera and
 * microphones (a sine per channel over a low noise floor; `anullsrc` for a dead microphone),
 * writing under a temporary folder with main and backup copy folders beside it, signing with a
 * key pair made at start (openssl). Shaped like the demo's other simulators (DemoSimulator).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RecorderAgent } from './agent';
import { parseAgentConfig } from './config';

export interface DemoAgentOptions {
  id: string;
  hallId: string;
  place: { ru: string; kk: string };
  channels: number;
  token: string;
  /** Channels whose microphone is dead from the start (digital silence). */
  deadChannels?: number[];
  /** Seconds per segment (default 10). */
  segmentSeconds?: number;
}

const lavfi = (url: string) => ({ options: ['-re', '-f', 'lavfi'], url });

export function demoAudioInput(channel: number, dead: boolean, rate = 16000): { options: string[]; url: string } {
  if (dead) return lavfi(`anullsrc=r=${rate}:cl=mono`);
  // A voice-band tone per channel over a room's noise floor, each channel a little different.
  return lavfi(`sine=frequency=${200 + 110 * channel}:sample_rate=${rate},volume=0.05[s];anoisesrc=r=${rate}:a=0.003:c=pink[n];[s][n]amix=inputs=2:normalize=0`);
}

export class DemoRecorderAgent {
  fault = 'none';
  readonly dir: string;
  agent: RecorderAgent;
  readonly deadChannels: Set<number>;

  constructor(readonly o: DemoAgentOptions) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `hallwatch-agent-${o.id}-`));
    this.deadChannels = new Set(o.deadChannels ?? []);
    let signing: { keyFile: string; certFile: string } | undefined;
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '365',
        '-subj', `/CN=${o.hallId} (demo court key)`, '-keyout', path.join(this.dir, 'court.key'), '-out', path.join(this.dir, 'court.pem')], { stdio: 'ignore' });
      signing = { keyFile: path.join(this.dir, 'court.key'), certFile: path.join(this.dir, 'court.pem') };
    } catch {
      signing = undefined; // no openssl: the demo records unsigned
    }
    const config = parseAgentConfig({
      hall: { id: o.hallId, place: o.place },
      token: o.token,
      video: lavfi('testsrc2=size=640x360:rate=10'),
      audio: Array.from({ length: o.channels }, (_, i) => demoAudioInput(i + 1, this.deadChannels.has(i + 1))),
      sampleRate: 16000, videoSize: '640x360', videoQuality: 8, segmentSeconds: o.segmentSeconds ?? 10,
      outDir: path.join(this.dir, 'recordings'),
      copies: { main: path.join(this.dir, 'regional-main'), backup: path.join(this.dir, 'regional-backup'), atStop: true },
      signing,
      meter: { rate: 8000, windowMs: 500 },
    }, this.dir);
    this.agent = new RecorderAgent(config, o.token);
  }

  get id(): string {
    return this.o.id;
  }

  get address(): string {
    return this.agent.address;
  }

  async setFault(fault: string): Promise<void> {
    this.fault = fault;
  }

  async start(): Promise<void> {
    await this.agent.start();
    await this.agent.firstLevels();
  }

  async stop(): Promise<void> {
    await this.agent.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
