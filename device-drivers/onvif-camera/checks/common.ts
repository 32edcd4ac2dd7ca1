/** What every check of the driver shares: check names, and SOAP failures as check results. */
import type { CheckResultDraft, Status } from '../../../collector/core/types';
import type { SoapFailure } from '../session';

export const CHECKS = ['onvif-connect', 'clock-drift', 'media-profiles', 'rtsp-stream', 'snapshot'] as const;
export type CheckName = (typeof CHECKS)[number];

export interface FailureContext {
  /** Seconds the probe had before its own deadline (for "no answer within N s"). */
  budgetSeconds: number;
  username?: string;
  /** Status for a failure to reach or read the device in this check (auth failures have their own). */
  status: Status;
  /** Status for rejected credentials in this check. */
  authStatus: Status;
}

/** One SOAP call that failed, as the named check's result. */
export function soapFailure(check: CheckName, f: SoapFailure, c: FailureContext): CheckResultDraft {
  const operation = f.operation;
  switch (f.kind) {
    case 'timeout':
      return { check, status: c.status, message: `no answer to ${operation} within ${c.budgetSeconds} s`, messageKey: 'onvif.soap.timeout', params: { operation, seconds: c.budgetSeconds } };
    case 'unreachable':
      return { check, status: c.status, message: `camera unreachable: ${f.detail}`, messageKey: 'onvif.unreachable', params: { error: f.detail } };
    case 'auth':
      return c.username
        ? { check, status: c.authStatus, message: `authentication failed: the camera rejected user "${c.username}" (${operation})`, messageKey: 'onvif.auth.failed', params: { username: c.username, operation } }
        : { check, status: c.authStatus, message: `authentication failed: the camera requires a user name and password, none is configured (${operation})`, messageKey: 'onvif.auth.missing', params: { operation } };
    case 'http-status': {
      const code = f.httpStatus ?? 0;
      return { check, status: c.status, message: `ONVIF service answered HTTP ${code} to ${operation}`, messageKey: 'onvif.soap.http-status', params: { operation, code }, values: { status_code: code } };
    }
    case 'fault':
      return { check, status: c.status, message: `SOAP fault from ${operation}: ${f.detail}`, messageKey: 'onvif.soap.fault', params: { operation, reason: f.detail } };
    case 'too-large':
      return { check, status: c.status, message: `reply to ${operation} is too large: ${f.detail}`, messageKey: 'onvif.soap.too-large', params: { operation, error: f.detail } };
    case 'invalid':
    default:
      return { check, status: c.status, message: `invalid ONVIF reply to ${operation}: ${f.detail}`, messageKey: 'onvif.soap.invalid', params: { operation, error: f.detail.slice(0, 160) } };
  }
}

/** Device text for display: no control characters, bounded length. */
export function cleanText(s: string | undefined, max = 64): string | undefined {
  if (s === undefined) return undefined;
  // eslint-disable-next-line no-control-regex
  const t = s.replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/\s+/g, ' ').trim();
  return t ? t.slice(0, max) : undefined;
}

/**
 * A URI the camera gave (stream, snapshot), made safe to use: by default its host is replaced by
 * the inventory's (cameras behind NAT report their inside address, and the camera's credentials
 * must not be sent to a host the inventory does not name). Returns the URL, or an error sentence.
 */
export function deviceUri(text: string | undefined, expectProtocol: 'rtsp:' | 'http:', host: string, uriHost: 'inventory' | 'device'): URL | { error: string } {
  if (!text) return { error: 'no URI' };
  let u: URL;
  try {
    u = new URL(text.trim());
  } catch {
    return { error: `not a URI: ${redactUri(text).slice(0, 80)}` };
  }
  if (u.protocol !== expectProtocol) return { error: `${u.protocol.replace(':', '')} URI where ${expectProtocol.replace(':', '')} was expected` };
  if (uriHost === 'inventory' && u.hostname !== host) {
    u.hostname = host.includes(':') ? `[${host}]` : host;
  }
  return u;
}

/** A URI without credentials or query, for messages. */
export function redactUri(text: string): string {
  try {
    const u = new URL(text);
    u.username = '';
    u.password = '';
    u.search = u.search ? '?…' : '';
    return u.toString();
  } catch {
    return text.replace(/\/\/[^@/]*@/, '//').replace(/\?.*$/, '?…');
  }
}

export const round1 = (x: number): number => Math.round(x * 10) / 10;
