/**
 * The hall recorder agent's status API as the demo needs it now: the recorder process state
 * of the secretary's PC and the live level of each microphone channel. The real agent
 * (ffmpeg capture, manifests, copies) is the recorder driver's work.
 */
import { HttpSimulator, json, notFoundReply, unauthorized, type SimReply, type SimRequest } from './http-sim';

export type RecorderFault = 'recorder-stopped';

export class RecorderAgentSimulator extends HttpSimulator<RecorderFault> {
  /** Channels whose microphone is dead (digital silence). */
  readonly deadChannels = new Set<number>();

  constructor(id: string, readonly channels: number, auth?: { username: string; password: string }) {
    super(id, auth);
  }

  protected handle(req: SimRequest): SimReply {
    if (!req.authorized) return unauthorized();
    if (req.path === '/api/status') {
      return json(200, {
        recorderProcess: this.fault === 'recorder-stopped' ? 'stopped' : 'running',
        recording: false,
        diskFreeBytes: 412_000_000_000,
        channels: this.channels,
      });
    }
    const m = /^\/api\/levels\/(\d+)$/.exec(req.path);
    if (m) {
      const ch = Number(m[1]);
      if (ch < 1 || ch > this.channels) return notFoundReply();
      const dead = this.deadChannels.has(ch);
      // A live microphone shows the room's noise floor; a dead one digital silence.
      return json(200, { channel: ch, alive: !dead, rmsDbfs: dead ? -120 : -52 + Math.round(Math.random() * 6), peakDbfs: dead ? -120 : -30 });
    }
    return notFoundReply();
  }
}
