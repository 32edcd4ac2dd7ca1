/**
 * The onvif-camera driver's thresholds: `drivers.onvif-camera` in the policy file overrides
 * these defaults. Each default names the clause it follows, or says why it is a judgement call.
 */
import { z } from 'zod';

/** Encoder names as cameras report them, folded to one spelling ("H.264", "h264", "AVC" → H264). */
export function normalizeEncoder(name: string): string {
  const n = name.toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (n === 'H264' || n === 'AVC' || n === 'H264AVC') return 'H264';
  if (n === 'H265' || n === 'HEVC') return 'H265';
  // Media1 says MPEG4, Media2 uses the MIME subtype MPV4-ES; XVID is an MPEG-4 Part 2 implementation.
  if (n === 'MPEG4' || n === 'MPV4ES' || n === 'MP4V' || n === 'MP4VES' || n === 'XVID') return 'MPEG4';
  if (n === 'JPEG' || n === 'MJPEG' || n === 'MJPG') return 'JPEG';
  return n;
}

export const onvifPolicySchema = z.strictObject({
  cadence: z.strictObject({
    /**
     * Media profiles, the RTSP stream and the picture are checked at most this often by scheduled
     * probes while they are ok; between, a probe asks only the clock and the device information
     * (2 SOAP calls instead of 6, no stream, no picture) and repeats their last results with
     * their own time. A person's "probe now" and the daily check always check everything.
     * 0: every probe checks everything.
     */
    fullEverySeconds: z.number().min(0).max(86_400),
  }),
  clock: z.strictObject({
    /** |camera clock − collector clock| at or above this many seconds: degraded. */
    warnSeconds: z.number().positive().max(86_400),
    /** At or above this: down. */
    failSeconds: z.number().positive().max(86_400 * 366),
  }).refine((c) => c.failSeconds > c.warnSeconds, { message: 'failSeconds must be greater than warnSeconds', path: ['failSeconds'] }),
  video: z.strictObject({
    minWidth: z.number().int().positive().max(16_384),
    minHeight: z.number().int().positive().max(16_384),
    /** Encoders a recording may be made from (normalized: H264, H265, MPEG4, JPEG...). */
    allowedEncoders: z.array(z.string().min(1)).min(1).transform((a) => [...new Set(a.map(normalizeEncoder))]),
  }),
  picture: z.strictObject({
    /** Black: 95 % of the picture is at or below this luma (0-255), i.e. only an OSD or noise is brighter. */
    blackMaxLuma: z.number().min(0).max(255),
    /** Uniform: the spread between the 5th and 95th luma percentiles is at or below this. */
    uniformMaxSpread: z.number().min(0).max(255),
    /** Blurred: sharpness (edge Laplacian/gradient ratio × 100, at 320 px wide) below this. */
    blurMinSharpness: z.number().min(0).max(1000),
    /** Frozen: the picture is pixel-identical in this many consecutive probes, with time moving on. */
    frozenAfterProbes: z.number().int().min(2).max(100),
    /**
     * Fraction of the height, at the top and at the bottom, where cameras draw their OSD (clock,
     * name): left out of the sharpness and frozen measures, since the OSD stays sharp and keeps
     * ticking over a defocused or stalled picture.
     */
    osdBand: z.number().min(0).max(0.4),
    /** An ok picture's thumbnail is stored again only after this many minutes (storage; a fault is always stored). */
    thumbnailRefreshMinutes: z.number().min(0).max(1440),
  }),
});
export type OnvifPolicy = z.infer<typeof onvifPolicySchema>;

export const onvifPolicyDefaults: OnvifPolicy = {
  cadence: {
    // Judgement call, measured (docs/BENCHMARKS.md, fleet): a national fleet's 5,000 cameras
    // every 60 s fit the collector's CPU budget only with the picture on a slower cadence. A
    // dead or unreachable camera, a wrong password or a drifting clock still shows within one
    // interval; a black or frozen picture within 5 minutes.
    fullEverySeconds: 300,
  },
  clock: {
    // 003 §8: record files are named by the hearing's date and time, and the video carries the
    // camera's clock; 000 §28-§29 and 004 §6-§10 tie events to times. NTP keeps a camera within
    // a second; 5 s means it has stopped syncing, 60 s makes the camera's time and the protocol's
    // time marks (003 §7.2) visibly disagree.
    warnSeconds: 5,
    failSeconds: 60,
  },
  video: {
    // 003 §8: video resolution not lower than 640×320.
    minWidth: 640,
    minHeight: 320,
    // 003 §8: video codecs MPEG4, XVID, WEBM, FLV. Cameras send H.264 (MPEG-4 Part 10, AVC), which
    // the recorder writes into MPEG-4 files; MPEG4 (Part 2, XVID's codec) is the regulation's own
    // word. H.265 is not MPEG-4 and not in the list; JPEG (MJPEG) is not a recording codec there.
    allowedEncoders: ['H264', 'MPEG4'],
  },
  picture: {
    // Judgement calls, calibrated on photographs blurred on purpose and on the simulator's pattern
    // (device-drivers/onvif-camera/README.md). A covered lens is dark with an OSD on it: the
    // percentiles ignore the OSD's few bright pixels.
    blackMaxLuma: 30,
    uniformMaxSpread: 12,
    // Photographs measure 190-200 and the simulator's pattern 175; a Gaussian defocus of 6 px at
    // 1080p brings photographs to 87-97.
    blurMinSharpness: 100,
    // A live sensor never gives two pixel-identical pictures a probe interval apart.
    frozenAfterProbes: 2,
    osdBand: 0.1,
    thumbnailRefreshMinutes: 30,
  },
};
