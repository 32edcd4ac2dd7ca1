/** The simulator's side of SIP: the headers of a request it must copy into its answer. */
export interface SipRequestHeaders {
  method: string;
  via: string[];
  from: string;
  to: string;
  callId: string;
  cseq: string;
}

export function parseSipRequestHeaders(text: string): SipRequestHeaders | undefined {
  const lines = text.split(/\r?\n/);
  const m = /^([A-Z]{3,12}) \S+ SIP\/2\.0$/.exec(lines[0] ?? '');
  if (!m) return undefined;
  const h: SipRequestHeaders = { method: m[1]!, via: [], from: '', to: '', callId: '', cseq: '' };
  for (const line of lines.slice(1)) {
    if (!line) break;
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const name = line.slice(0, i).trim().toLowerCase();
    const value = line.slice(i + 1).trim();
    if (name === 'via' || name === 'v') h.via.push(value);
    else if (name === 'from' || name === 'f') h.from = value;
    else if (name === 'to' || name === 't') h.to = value;
    else if (name === 'call-id' || name === 'i') h.callId = value;
    else if (name === 'cseq') h.cseq = value;
  }
  return h.via.length && h.callId && h.cseq ? h : undefined;
}
