/**
 * The SOAP side of the simulated camera: what a Profile S camera answers to the Device and
 * Media calls a monitoring client makes, and the faults the ONVIF Core Specification prescribes (ter: subcodes).
 * Prefixes follow what cameras send (env/tds/trt/tt), so the client's namespace handling is
 * exercised, not a fixed prefix.
 */
import { NS, escapeXml as x } from '../xml';

const ENV_OPEN = `<?xml version="1.0" encoding="UTF-8"?><env:Envelope xmlns:env="${NS.soap12}" xmlns:tds="${NS.device}" xmlns:trt="${NS.media}" xmlns:tt="${NS.schema}" xmlns:ter="${NS.error}"><env:Body>`;
const ENV_CLOSE = '</env:Body></env:Envelope>';

export const envelope = (body: string): string => ENV_OPEN + body + ENV_CLOSE;

/** A SOAP 1.2 fault with ONVIF's subcodes, e.g. ('Sender', ['ter:NotAuthorized'], 'Sender not Authorized'). */
export function fault(code: 'Sender' | 'Receiver', subcodes: string[], reason: string): string {
  let sub = '';
  for (const s of [...subcodes].reverse()) sub = `<env:Subcode><env:Value>${s}</env:Value>${sub}</env:Subcode>`;
  return envelope(`<env:Fault><env:Code><env:Value>env:${code}</env:Value>${sub}</env:Code><env:Reason><env:Text xml:lang="en">${x(reason)}</env:Text></env:Reason></env:Fault>`);
}

export const notAuthorized = (): string => fault('Sender', ['ter:NotAuthorized'], 'Sender not Authorized');
export const actionNotSupported = (op: string): string => fault('Receiver', ['ter:ActionNotSupported'], `Optional Action ${op} Not Implemented`);

function dateTimeXml(tag: string, ms: number): string {
  const d = new Date(ms);
  return `<tt:${tag}><tt:Time><tt:Hour>${d.getUTCHours()}</tt:Hour><tt:Minute>${d.getUTCMinutes()}</tt:Minute><tt:Second>${d.getUTCSeconds()}</tt:Second></tt:Time>` +
    `<tt:Date><tt:Year>${d.getUTCFullYear()}</tt:Year><tt:Month>${d.getUTCMonth() + 1}</tt:Month><tt:Day>${d.getUTCDate()}</tt:Day></tt:Date></tt:${tag}>`;
}

/** Almaty: UTC+5 (POSIX TZ writes the offset west of UTC, hence the minus). */
export const CAMERA_TZ = { posix: 'ALMT-5', offsetMs: 5 * 3600_000 };

export function systemDateAndTime(cameraNowMs: number): string {
  return envelope('<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime>' +
    '<tt:DateTimeType>NTP</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings>' +
    `<tt:TimeZone><tt:TZ>${CAMERA_TZ.posix}</tt:TZ></tt:TimeZone>` +
    dateTimeXml('UTCDateTime', cameraNowMs) + dateTimeXml('LocalDateTime', cameraNowMs + CAMERA_TZ.offsetMs) +
    '</tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>');
}

export function services(base: string, withCapabilities: boolean): string {
  const svc = (ns: string, path: string, major: number, minor: number, caps: string) =>
    `<tds:Service><tds:Namespace>${ns}</tds:Namespace><tds:XAddr>${base}${path}</tds:XAddr>` +
    (withCapabilities ? `<tds:Capabilities>${caps}</tds:Capabilities>` : '') +
    `<tds:Version><tt:Major>${major}</tt:Major><tt:Minor>${minor}</tt:Minor></tds:Version></tds:Service>`;
  return envelope('<tds:GetServicesResponse>' +
    svc(NS.device, '/onvif/device_service', 2, 60, '<tds:Capabilities><tds:Network IPFilter="false" ZeroConfiguration="false" IPVersion6="false" DynDNS="false"/><tds:Security UsernameToken="true" HttpDigest="false"/><tds:System DiscoveryResolve="false" DiscoveryBye="true"/></tds:Capabilities>') +
    svc(NS.media, '/onvif/media_service', 2, 60, `<trt:Capabilities SnapshotUri="true" Rotation="false"><trt:ProfileCapabilities MaximumNumberOfProfiles="4"/><trt:StreamingCapabilities RTPMulticast="false" RTP_TCP="true" RTP_RTSP_TCP="true"/></trt:Capabilities>`) +
    '</tds:GetServicesResponse>');
}

export function capabilities(base: string): string {
  return envelope('<tds:GetCapabilitiesResponse><tds:Capabilities>' +
    `<tt:Device><tt:XAddr>${base}/onvif/device_service</tt:XAddr></tt:Device>` +
    `<tt:Media><tt:XAddr>${base}/onvif/media_service</tt:XAddr><tt:StreamingCapabilities><tt:RTPMulticast>false</tt:RTPMulticast><tt:RTP_TCP>true</tt:RTP_TCP><tt:RTP_RTSP_TCP>true</tt:RTP_RTSP_TCP></tt:StreamingCapabilities></tt:Media>` +
    '</tds:Capabilities></tds:GetCapabilitiesResponse>');
}

export interface Identity {
  maker: string;
  model: string;
  firmware: string;
  serial: string;
  hardwareId: string;
}

export function deviceInformation(i: Identity): string {
  return envelope('<tds:GetDeviceInformationResponse>' +
    `<tds:Manufacturer>${x(i.maker)}</tds:Manufacturer><tds:Model>${x(i.model)}</tds:Model>` +
    `<tds:FirmwareVersion>${x(i.firmware)}</tds:FirmwareVersion><tds:SerialNumber>${x(i.serial)}</tds:SerialNumber>` +
    `<tds:HardwareId>${x(i.hardwareId)}</tds:HardwareId></tds:GetDeviceInformationResponse>`);
}

export interface SimProfile {
  token: string;
  name: string;
  encoding: string;
  width: number;
  height: number;
  fps: number;
  bitrate: number;
}

function profileXml(p: SimProfile): string {
  return `<trt:Profiles token="${x(p.token)}" fixed="true"><tt:Name>${x(p.name)}</tt:Name>` +
    '<tt:VideoSourceConfiguration token="VideoSourceToken"><tt:Name>VideoSourceConfig</tt:Name><tt:UseCount>2</tt:UseCount><tt:SourceToken>VideoSource_1</tt:SourceToken>' +
    `<tt:Bounds x="0" y="0" width="${p.width}" height="${p.height}"/></tt:VideoSourceConfiguration>` +
    `<tt:VideoEncoderConfiguration token="VideoEncoderToken_${x(p.token)}"><tt:Name>VideoEncoder_${x(p.token)}</tt:Name><tt:UseCount>1</tt:UseCount>` +
    `<tt:Encoding>${x(p.encoding)}</tt:Encoding><tt:Resolution><tt:Width>${p.width}</tt:Width><tt:Height>${p.height}</tt:Height></tt:Resolution>` +
    `<tt:Quality>5</tt:Quality><tt:RateControl><tt:FrameRateLimit>${p.fps}</tt:FrameRateLimit><tt:EncodingInterval>1</tt:EncodingInterval><tt:BitrateLimit>${p.bitrate}</tt:BitrateLimit></tt:RateControl>` +
    (p.encoding === 'H264' ? `<tt:H264><tt:GovLength>${p.fps * 2}</tt:GovLength><tt:H264Profile>Main</tt:H264Profile></tt:H264>` : '') +
    '<tt:Multicast><tt:Address><tt:Type>IPv4</tt:Type><tt:IPv4Address>0.0.0.0</tt:IPv4Address></tt:Address><tt:Port>0</tt:Port><tt:TTL>1</tt:TTL><tt:AutoStart>false</tt:AutoStart></tt:Multicast>' +
    '<tt:SessionTimeout>PT60S</tt:SessionTimeout></tt:VideoEncoderConfiguration></trt:Profiles>';
}

export function profiles(list: SimProfile[]): string {
  return envelope(`<trt:GetProfilesResponse>${list.map(profileXml).join('')}</trt:GetProfilesResponse>`);
}

export function videoSources(width: number, height: number): string {
  return envelope(`<trt:GetVideoSourcesResponse><trt:VideoSources token="VideoSource_1"><tt:Framerate>25</tt:Framerate><tt:Resolution><tt:Width>${width}</tt:Width><tt:Height>${height}</tt:Height></tt:Resolution></trt:VideoSources></trt:GetVideoSourcesResponse>`);
}

export function mediaUri(op: 'GetStreamUri' | 'GetSnapshotUri', uri: string): string {
  return envelope(`<trt:${op}Response><trt:MediaUri><tt:Uri>${x(uri)}</tt:Uri><tt:InvalidAfterConnect>false</tt:InvalidAfterConnect><tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT0S</tt:Timeout></trt:MediaUri></trt:${op}Response>`);
}

/** Well-formed start, then tags that do not match: what a buggy web server sends. */
export function malformed(op: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><env:Envelope xmlns:env="${NS.soap12}" xmlns:tds="${NS.device}"><env:Body><tds:${op}Response><tds:Manufacturer>broken</tds:Model></env:Body>`;
}
