/**
 * A light simulator of the hall recorder agent's API (`agent/agent.ts`): `GET /api/status` and
 * `GET /api/levels[/:channel]` with the same shapes and bearer token, without ffmpeg. For the
 * fleet benchmark, where thousands of halls cannot each run a capture process; the demo's
 * real-agent halls and the tests use the real agent.
 * Faults: the base ones (offline, hang, http-500), `dead:<channel>` (digital silence on a
 * channel), `recorder-stopped` (the agent reports a failure while recording).
 */
import { HttpSimulator, json, notFoundReply, unauthorized, type SimReply, type SimRequest } from '../../collector/demo/simulators/http-sim';
import type { AgentStatus } from './driver';

export class RecorderApiSimulator extends HttpSimulator<string> {
  private readonly startedAt = new Date().toISOString();

  constructor(id: string, readonly channels: number, token: string) {
    super(id, { bearer: token });
  }

  private level(ch: number, at: string) {
    const dead = this.fault === `dead:${ch}`;
    // A live microphone shows the room's noise floor; a dead one digital silence.
    const rms = dead ? -120 : -52 + ((ch * 7 + Date.now() / 1000) % 6);
    return { channel: ch, rmsDbfs: rms, acRmsDbfs: rms, peakDbfs: dead ? -120 : -30, dcDbfs: -90, clippedRatio: 0, at, ageSeconds: 0.3 };
  }

  protected handle(req: SimRequest): SimReply {
    if (!req.authorized) return unauthorized();
    const at = new Date().toISOString();
    if (req.path === '/api/status') {
      const failed = this.fault === 'recorder-stopped';
      const status: AgentStatus = {
        state: failed ? 'paused' : 'idle', recording: false, channels: this.channels,
        ...(failed ? {
          lastError: 'capture process exited', session: {
            id: 'sim', caseNumber: '2-0000/2026', startedAt: this.startedAt, elapsedSeconds: 60, bytes: 1e6, segmentFiles: 1,
            segmentsChained: 1, chainErrors: [], interruptions: [{ at, reason: 'capture process exited' }],
          },
        } : {}),
        copies: { configured: true, pending: 0, lastCopyAt: this.startedAt, problems: [] },
        recordings: 12, unverified: [], diskFreeBytes: 412_000_000_000, signing: true,
      };
      return json(200, status);
    }
    if (req.path === '/api/levels') {
      return json(200, { at, state: 'idle', channels: Array.from({ length: this.channels }, (_, i) => this.level(i + 1, at)) });
    }
    const m = /^\/api\/levels\/(\d+)$/.exec(req.path);
    if (m) {
      const ch = Number(m[1]);
      if (ch < 1 || ch > this.channels) return notFoundReply();
      return json(200, this.level(ch, at));
    }
    return notFoundReply();
  }
}
