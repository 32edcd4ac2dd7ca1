/**
 * A hall camera's web service as the demo needs it now: the snapshot endpoint behind basic
 * auth, and the ONVIF device service answering GetSystemDateAndTime. The full ONVIF simulator
 * (profiles, stream, WS-Security, picture faults) belongs to the onvif-camera driver.
 */
import { HttpSimulator, notFoundReply, unauthorized, type SimReply, type SimRequest } from './http-sim';

// A valid 8×8 grey baseline JPEG (what a camera's /snapshot.jpg serves).
const SNAPSHOT = Buffer.from(
  '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/wAALCAAIAAgBAREA/8QAFQABAQAAAAAAAAAAAAAAAAAAAAf/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/9oACAEBAAA/AKp//9k=',
  'base64',
);

export class CameraWebSimulator extends HttpSimulator {
  protected handle(req: SimRequest): SimReply {
    if (req.path === '/snapshot.jpg') {
      if (!req.authorized) return unauthorized();
      return { status: 200, type: 'image/jpeg', body: SNAPSHOT };
    }
    if (req.path === '/onvif/device_service') {
      const now = new Date();
      const body = `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:tt="http://www.onvif.org/ver10/schema" xmlns:tds="http://www.onvif.org/ver10/device/wsdl"><s:Body><tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime><tt:DateTimeType>NTP</tt:DateTimeType><tt:UTCDateTime><tt:Time><tt:Hour>${now.getUTCHours()}</tt:Hour><tt:Minute>${now.getUTCMinutes()}</tt:Minute><tt:Second>${now.getUTCSeconds()}</tt:Second></tt:Time><tt:Date><tt:Year>${now.getUTCFullYear()}</tt:Year><tt:Month>${now.getUTCMonth() + 1}</tt:Month><tt:Day>${now.getUTCDate()}</tt:Day></tt:Date></tt:UTCDateTime></tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse></s:Body></s:Envelope>`;
      return { status: 200, type: 'application/soap+xml; charset=utf-8', body };
    }
    return notFoundReply();
  }
}
