/**
 * HTTP and RTSP authentication (RFC 7616 digest, RFC 7617 basic) for the snapshot and the
 * stream: the client side the driver uses, and the checking side the simulator uses.
 * Basic is only answered when the device offers nothing better: it sends the password in clear.
 */
import crypto from 'node:crypto';

export interface Challenge {
  scheme: 'digest' | 'basic' | string;
  params: Record<string, string>;
}

/** Splits WWW-Authenticate values (one header may hold several challenges) into challenges. */
export function parseChallenges(values: string[]): Challenge[] {
  const out: Challenge[] = [];
  for (const value of values) {
    let i = 0;
    let cur: Challenge | undefined;
    const s = value.slice(0, 4096);
    while (i < s.length) {
      while (i < s.length && (s[i] === ' ' || s[i] === ',' || s[i] === '\t')) i++;
      const tokStart = i;
      while (i < s.length && /[A-Za-z0-9!#$%&'*+.^_`|~-]/.test(s[i]!)) i++;
      const token = s.slice(tokStart, i);
      if (!token) {
        i++;
        continue;
      }
      let j = i;
      while (j < s.length && s[j] === ' ') j++;
      if (s[j] === '=') {
        // auth-param
        j++;
        while (j < s.length && s[j] === ' ') j++;
        let val = '';
        if (s[j] === '"') {
          j++;
          while (j < s.length && s[j] !== '"') {
            if (s[j] === '\\' && j + 1 < s.length) j++;
            val += s[j];
            j++;
          }
          j++;
        } else {
          const vs = j;
          while (j < s.length && s[j] !== ',' && s[j] !== ' ') j++;
          val = s.slice(vs, j);
        }
        if (cur) cur.params[token.toLowerCase()] = val;
        i = j;
      } else {
        cur = { scheme: token.toLowerCase(), params: {} };
        out.push(cur);
        i = j;
      }
    }
  }
  return out;
}

const ALGORITHMS: Record<string, string> = { 'MD5': 'md5', 'MD5-SESS': 'md5', 'SHA-256': 'sha256', 'SHA-256-SESS': 'sha256' };

function algorithmOf(c: Challenge): string | undefined {
  return ALGORITHMS[(c.params.algorithm ?? 'MD5').toUpperCase()];
}

/** The strongest challenge we can answer: digest SHA-256, digest MD5, then basic. */
export function pickChallenge(challenges: Challenge[]): Challenge | undefined {
  const digests = challenges.filter((c) => c.scheme === 'digest' && c.params.nonce !== undefined && algorithmOf(c));
  const sha = digests.find((c) => algorithmOf(c) === 'sha256');
  return sha ?? digests[0] ?? challenges.find((c) => c.scheme === 'basic');
}

const h = (alg: string, s: string) => crypto.createHash(alg).update(s).digest('hex');
const quote = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');

/** The Authorization header answering a challenge for one request. */
export function authorizationFor(c: Challenge, username: string, password: string, method: string, uri: string, nc = 1, cnonce = crypto.randomBytes(8).toString('hex')): string {
  if (c.scheme === 'basic') return 'Basic ' + Buffer.from(`${username}:${password}`).toString('base64');
  const alg = algorithmOf(c) ?? 'md5';
  const realm = c.params.realm ?? '';
  const nonce = c.params.nonce ?? '';
  const sess = /-sess$/i.test(c.params.algorithm ?? '');
  const qops = (c.params.qop ?? '').split(',').map((q) => q.trim()).filter(Boolean);
  const qop = qops.includes('auth') ? 'auth' : undefined;
  const ncHex = nc.toString(16).padStart(8, '0');
  let ha1 = h(alg, `${username}:${realm}:${password}`);
  if (sess) ha1 = h(alg, `${ha1}:${nonce}:${cnonce}`);
  const ha2 = h(alg, `${method}:${uri}`);
  const response = qop ? h(alg, `${ha1}:${nonce}:${ncHex}:${cnonce}:${qop}:${ha2}`) : h(alg, `${ha1}:${nonce}:${ha2}`);
  const parts = [
    `username="${quote(username)}"`, `realm="${quote(realm)}"`, `nonce="${quote(nonce)}"`, `uri="${quote(uri)}"`,
    `response="${response}"`,
  ];
  if (c.params.algorithm) parts.push(`algorithm=${c.params.algorithm}`);
  if (qop) parts.push(`qop=${qop}`, `nc=${ncHex}`, `cnonce="${cnonce}"`);
  if (c.params.opaque !== undefined) parts.push(`opaque="${quote(c.params.opaque)}"`);
  return 'Digest ' + parts.join(', ');
}

/**
 * Checks an Authorization header on the serving side (the simulator). `nonceValid` says whether
 * the server issued the nonce. Returns the user name when the credentials are right.
 */
export function checkAuthorization(
  header: string | undefined,
  expect: { username: string; password: string; realm: string; method: string; scheme: 'basic' | 'digest'; nonceValid: (nonce: string) => boolean },
): boolean {
  if (!header) return false;
  if (expect.scheme === 'basic') {
    if (!/^Basic /i.test(header)) return false;
    const got = Buffer.from(header.slice(6).trim(), 'base64').toString();
    return safeEqual(got, `${expect.username}:${expect.password}`);
  }
  if (!/^Digest /i.test(header)) return false;
  const p = parseChallenges([header.replace(/^Digest /i, 'Digest ')])[0]?.params ?? {};
  if (p.username !== expect.username || p.realm !== expect.realm || !p.nonce || !expect.nonceValid(p.nonce) || !p.uri || !p.response) return false;
  const alg = ALGORITHMS[(p.algorithm ?? 'MD5').toUpperCase()];
  if (!alg) return false;
  let ha1 = h(alg, `${p.username}:${p.realm}:${expect.password}`);
  if (/-sess$/i.test(p.algorithm ?? '')) ha1 = h(alg, `${ha1}:${p.nonce}:${p.cnonce ?? ''}`);
  const ha2 = h(alg, `${expect.method}:${p.uri}`);
  const want = p.qop ? h(alg, `${ha1}:${p.nonce}:${p.nc ?? ''}:${p.cnonce ?? ''}:${p.qop}:${ha2}`) : h(alg, `${ha1}:${p.nonce}:${ha2}`);
  return safeEqual(p.response, want);
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/** WS-Security UsernameToken PasswordDigest: Base64(SHA-1(nonce + created + password)). */
export function wsseDigest(nonceB64: string, created: string, password: string): string {
  return crypto.createHash('sha1').update(Buffer.concat([Buffer.from(nonceB64, 'base64'), Buffer.from(created, 'utf8'), Buffer.from(password, 'utf8')])).digest('base64');
}
