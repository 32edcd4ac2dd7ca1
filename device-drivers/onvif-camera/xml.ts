/**
 * A namespace-aware reading of SOAP replies. The `onvif` client strips namespaces and turns
 * number-like text into numbers (firmware "1.10" → 1.1); the driver reads the device's exact
 * words here instead: every element with its namespace URI and its text as sent.
 */
import { XMLParser } from 'fast-xml-parser';

export const NS = {
  soap12: 'http://www.w3.org/2003/05/soap-envelope',
  soap11: 'http://schemas.xmlsoap.org/soap/envelope/',
  device: 'http://www.onvif.org/ver10/device/wsdl',
  media: 'http://www.onvif.org/ver10/media/wsdl',
  media2: 'http://www.onvif.org/ver20/media/wsdl',
  schema: 'http://www.onvif.org/ver10/schema',
  error: 'http://www.onvif.org/ver10/error',
  addressing: 'http://schemas.xmlsoap.org/ws/2004/08/addressing',
  discovery: 'http://schemas.xmlsoap.org/ws/2005/04/discovery',
  network: 'http://www.onvif.org/ver10/network/wsdl',
  wsse: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd',
  wsu: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd',
} as const;

export interface XmlEl {
  /** Namespace URI ('' when none is in scope). */
  ns: string;
  local: string;
  /** Prefixed name as written. */
  name: string;
  attrs: Record<string, string>;
  children: XmlEl[];
  /** Text directly inside this element, trimmed, entities decoded. */
  text: string;
  /** Prefix → namespace URI in scope here (to resolve QName values such as "ter:NotAuthorized"). */
  scope: Record<string, string>;
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: { enabled: true, maxEntityCount: 20, maxEntitySize: 1000, maxTotalExpansions: 1000, maxExpandedLength: 100_000 },
  maxNestedTags: 64,
});

type OrderedNode = Record<string, unknown> & { ':@'?: Record<string, string> };

function build(node: OrderedNode, parentScope: Record<string, string>): XmlEl | undefined {
  const name = Object.keys(node).find((k) => k !== ':@');
  if (!name || name === '#text' || name.startsWith('?') || name === '#comment') return undefined;
  const attrs: Record<string, string> = {};
  let scope = parentScope;
  const raw = node[':@'] ?? {};
  for (const [k, v] of Object.entries(raw)) {
    const value = typeof v === 'string' ? v : String(v);
    if (k === 'xmlns' || k.startsWith('xmlns:')) {
      if (scope === parentScope) scope = { ...parentScope };
      scope[k === 'xmlns' ? '' : k.slice(6)] = value;
    } else {
      attrs[k] = value;
    }
  }
  const colon = name.indexOf(':');
  const prefix = colon > 0 ? name.slice(0, colon) : '';
  const local = colon > 0 ? name.slice(colon + 1) : name;
  const el: XmlEl = { ns: scope[prefix] ?? '', local, name, attrs, children: [], text: '', scope };
  const kids = node[name];
  if (Array.isArray(kids)) {
    for (const k of kids as OrderedNode[]) {
      if (k && typeof k === 'object' && '#text' in k) {
        el.text += String(k['#text']);
        continue;
      }
      const child = build(k, scope);
      if (child) el.children.push(child);
    }
  }
  return el;
}

/** Parses a document into its root element; throws on text that is not XML at all. */
export function parseXml(text: string): XmlEl {
  const nodes = parser.parse(text) as OrderedNode[];
  const roots = (Array.isArray(nodes) ? nodes : []).map((n) => build(n, { xml: 'http://www.w3.org/XML/1998/namespace' })).filter((e): e is XmlEl => !!e);
  if (roots.length !== 1) throw new Error(roots.length === 0 ? 'no XML element' : 'more than one root element');
  return roots[0]!;
}

export function child(el: XmlEl | undefined, local: string, ns?: string): XmlEl | undefined {
  return el?.children.find((c) => c.local === local && (ns === undefined || c.ns === ns));
}

export function children(el: XmlEl | undefined, local: string, ns?: string): XmlEl[] {
  return el ? el.children.filter((c) => c.local === local && (ns === undefined || c.ns === ns)) : [];
}

/** Follows a path of local names (any namespace) and returns the text, or undefined. */
export function textAt(el: XmlEl | undefined, ...path: string[]): string | undefined {
  let cur = el;
  for (const p of path) cur = child(cur, p);
  return cur ? cur.text : undefined;
}

/** First descendant (depth first) with this local name. */
export function find(el: XmlEl | undefined, local: string, ns?: string): XmlEl | undefined {
  if (!el) return undefined;
  for (const c of el.children) {
    if (c.local === local && (ns === undefined || c.ns === ns)) return c;
    const deeper = find(c, local, ns);
    if (deeper) return deeper;
  }
  return undefined;
}

/** Resolves a QName value such as "ter:NotAuthorized" in the element's scope. */
export function qname(el: XmlEl, value: string): { ns: string; local: string } {
  const v = value.trim();
  const colon = v.indexOf(':');
  if (colon < 0) return { ns: el.scope[''] ?? '', local: v };
  return { ns: el.scope[v.slice(0, colon)] ?? '', local: v.slice(colon + 1) };
}

export interface SoapBody {
  envelope: XmlEl;
  /** The first element inside Body: the response, or a Fault. */
  payload: XmlEl;
}

/** Checks that the text is a SOAP envelope with a body; returns the body's first element. */
export function soapPayload(text: string): SoapBody {
  const envelope = parseXml(text);
  if (envelope.local !== 'Envelope') throw new Error(`root element is ${envelope.name}, not a SOAP Envelope`);
  if (envelope.ns !== NS.soap12 && envelope.ns !== NS.soap11) {
    throw new Error(`Envelope in namespace "${envelope.ns || '(none)'}", not SOAP`);
  }
  const body = child(envelope, 'Body', envelope.ns);
  if (!body) throw new Error('SOAP Envelope without a Body');
  const payload = body.children[0];
  if (!payload) throw new Error('empty SOAP Body');
  return { envelope, payload };
}

export interface SoapFault {
  /** Local names of the fault code and its subcodes, outermost first (e.g. ["Sender", "NotAuthorized"]). */
  codes: string[];
  reason: string;
}

/** Reads a SOAP 1.2 (or 1.1) Fault element. */
export function readFault(fault: XmlEl): SoapFault {
  const codes: string[] = [];
  let code = child(fault, 'Code');
  for (let depth = 0; code && depth < 8; depth++) {
    const value = child(code, 'Value');
    if (value && value.text) codes.push(qname(value, value.text).local);
    code = child(code, 'Subcode');
  }
  const fc = child(fault, 'faultcode');
  if (fc?.text) codes.push(qname(fc, fc.text).local);
  const reason = textAt(fault, 'Reason', 'Text') ?? textAt(fault, 'faultstring') ?? '';
  return { codes, reason };
}

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}
