/**
 * A videoconference endpoint's management API (Cisco xAPI style, /getxml) as the demo needs
 * it now: SIP registration status. The full endpoint simulator (calls, SIP) belongs to the
 * vks-endpoint driver.
 */
import { HttpSimulator, notFoundReply, unauthorized, type SimReply, type SimRequest } from './http-sim';

export type VksFault = 'unregistered';

export class VksXapiSimulator extends HttpSimulator<VksFault> {
  protected handle(req: SimRequest): SimReply {
    if (!req.authorized) return unauthorized();
    if (req.path === '/getxml' && req.query.get('location') === '/Status/SIP/Registration') {
      const state = this.fault === 'unregistered' ? 'Failed' : 'Registered';
      const body = `<?xml version="1.0"?><Status><SIP><Registration item="1"><Reason></Reason><Status>${state}</Status><URI>hall@courts.kz</URI></Registration></SIP></Status>`;
      return { status: 200, type: 'text/xml', body };
    }
    return notFoundReply();
  }
}
