/**
 * `options:` of a vks-endpoint device in the inventory. The device's `address` is its management
 * API (HTTP or HTTPS); SIP is probed on the same host at `sipPort`. Credentials (the API user) are
 * `credentials.username` / `credentials.password` (a secret reference), never options.
 */
import { z } from 'zod';

export const vksEndpointOptions = z.strictObject({
  /** The management API: Cisco xAPI over HTTP (/getxml, /putxml). A Poly REST variant can follow. */
  vendor: z.enum(['cisco-xapi']).default('cisco-xapi'),
  scheme: z.enum(['http', 'https']).default('http'),
  /** Accept a self-signed certificate (codecs ship one). */
  tlsInsecure: z.boolean().default(false),
  /** SIP port of the endpoint (UDP and TCP). */
  sipPort: z.number().int().min(1).max(65535).default(5060),
  /** Transports the SIP OPTIONS check uses; an empty list skips SIP. */
  sipTransports: z.array(z.enum(['udp', 'tcp'])).max(2).default(['udp', 'tcp']),
  /** The user part of the Request-URI (the endpoint's SIP URI user), if the endpoint needs one. */
  sipUser: z.string().regex(/^[A-Za-z0-9._~+-]{1,64}$/, 'expected a SIP user (letters, digits, . _ ~ + -)').optional(),
  /** What the test call dials (an echo / loopback service, or the remote side) when the command gives none. */
  testNumber: z.string().trim().min(1).max(255).optional(),
  /** Cameras and microphones the hall's endpoint must have connected (001 §22: picture and sound). */
  expectedCameras: z.number().int().min(0).max(16).default(1),
  expectedMicrophones: z.number().int().min(0).max(64).default(1),
  /** A reply larger than this is refused (a broken or hostile device cannot fill our memory). */
  maxBodyBytes: z.number().int().min(1024).max(16 * 1024 * 1024).default(256 * 1024),
}).default({
  vendor: 'cisco-xapi', scheme: 'http', tlsInsecure: false, sipPort: 5060, sipTransports: ['udp', 'tcp'],
  expectedCameras: 1, expectedMicrophones: 1, maxBodyBytes: 256 * 1024,
});
export type VksEndpointOptions = z.infer<typeof vksEndpointOptions>;
