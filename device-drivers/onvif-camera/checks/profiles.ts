/**
 * media-profiles: at least one media profile with a resolution of at least 640×320 and an
 * encoder the regulation allows (003 §8). The profile chosen here is the one whose stream and
 * snapshot the other checks look at.
 */
import type { CheckResultDraft } from '../../../collector/core/types';
import { normalizeEncoder, type OnvifPolicy } from '../policy';
import { child, children, textAt, type XmlEl } from '../xml';
import { cleanText } from './common';

export interface MediaProfile {
  token: string;
  name: string;
  /** As the camera wrote it ("H264", "MPV4-ES"...). */
  encoding: string;
  /** Normalized (H264, MPEG4, JPEG...). */
  encoder: string;
  width: number;
  height: number;
}

const dim = (v: string | undefined) => (v !== undefined && /^\s*\d{1,5}\s*$/.test(v) ? Number(v) : 0);

/** Media1 (trt:Profiles/tt:VideoEncoderConfiguration) or Media2 (tr2:Profiles/tr2:Configurations/tr2:VideoEncoder). */
export function readProfiles(payload: XmlEl): MediaProfile[] {
  const out: MediaProfile[] = [];
  for (const p of children(payload, 'Profiles').slice(0, 64)) {
    const token = cleanText(p.attrs.token, 64);
    if (!token) continue;
    const enc = child(p, 'VideoEncoderConfiguration') ?? child(child(p, 'Configurations'), 'VideoEncoder');
    const encoding = cleanText(textAt(enc, 'Encoding'), 32) ?? '';
    out.push({
      token,
      name: cleanText(textAt(p, 'Name'), 64) ?? token,
      encoding,
      encoder: encoding ? normalizeEncoder(encoding) : '',
      width: dim(textAt(enc, 'Resolution', 'Width')),
      height: dim(textAt(enc, 'Resolution', 'Height')),
    });
  }
  return out;
}

export interface ProfilesVerdict {
  result: CheckResultDraft;
  /** The profile to check the stream and the snapshot of (undefined: none has video). */
  chosen?: MediaProfile;
}

export function judgeProfiles(profiles: MediaProfile[], policy: OnvifPolicy['video'], wanted?: string): ProfilesVerdict {
  const video = profiles.filter((p) => p.encoding);
  if (video.length === 0) {
    return { result: { check: 'media-profiles', status: 'down', message: 'the camera has no video profile', messageKey: 'onvif.profiles.empty', values: { profiles: profiles.length } } };
  }
  const allowed = policy.allowedEncoders;
  const area = (p: MediaProfile) => p.width * p.height;
  const big = (p: MediaProfile) => p.width >= policy.minWidth && p.height >= policy.minHeight;
  const byArea = [...video].sort((a, b) => area(b) - area(a));
  const ok = byArea.filter((p) => allowed.includes(p.encoder) && big(p));
  const named = wanted ? profiles.find((p) => p.token === wanted) : undefined;
  const best = ok[0];
  const values = (p: MediaProfile) => ({ width: p.width, height: p.height, profiles: profiles.length });
  if (best) {
    return {
      chosen: named ?? best,
      result: {
        check: 'media-profiles', status: 'ok',
        message: `profile ${best.name}: ${best.encoding} ${best.width}×${best.height}`,
        messageKey: 'onvif.profiles.ok', params: { name: best.name, encoding: best.encoding, width: best.width, height: best.height },
        values: values(best),
      },
    };
  }
  const withAllowed = byArea.filter((p) => allowed.includes(p.encoder));
  const shown = withAllowed[0] ?? byArea[0]!;
  const min = { minWidth: policy.minWidth, minHeight: policy.minHeight };
  const result: CheckResultDraft = withAllowed.length
    ? {
        check: 'media-profiles', status: 'degraded',
        message: `no profile of at least ${policy.minWidth}×${policy.minHeight} (003 §8): the best is ${shown.encoding} ${shown.width}×${shown.height}`,
        messageKey: 'onvif.profiles.low-resolution', params: { ...min, encoding: shown.encoding, width: shown.width, height: shown.height },
        values: values(shown),
      }
    : {
        check: 'media-profiles', status: 'degraded',
        message: `no profile with an allowed encoder (${allowed.join(', ')}; 003 §8): found ${[...new Set(video.map((p) => p.encoding))].join(', ')}`,
        messageKey: 'onvif.profiles.encoder', params: { allowed: allowed.join(', '), found: [...new Set(video.map((p) => p.encoding))].join(', ').slice(0, 80) },
        values: values(shown),
      };
  return { result, chosen: named ?? shown };
}
