/**
 * What the driver needs of an endpoint's management API, whatever the vendor: its status (SIP
 * registration, calls, standby, cameras, microphones, software) and a call it can place and end.
 * Cisco xAPI over HTTP (xapi.ts) is the first implementation; a Poly REST one can follow.
 */
export interface Registration {
  /** Vendor's word, e.g. Registered, Failed, Inactive, Registering. */
  status: string;
  registered: boolean;
  uri?: string;
  reason?: string;
}

export interface CallInfo {
  id: string;
  /** Connected, Connecting, Dialling, Ringing, Disconnecting, Idle, OnHold... */
  status: string;
  connected: boolean;
  remote?: string;
  direction?: string;
}

export interface Peripheral {
  id: string;
  connected: boolean;
  model?: string;
}

export interface EndpointStatus {
  registrations: Registration[];
  calls: CallInfo[];
  /** Off (awake), Standby, EnteringStandby, Halfwake. */
  standby?: string;
  cameras: Peripheral[];
  microphones: Peripheral[];
  product?: string;
  software?: string;
  /** The slowest read of the status, ms. */
  responseMs: number;
}

export type ApiFailureKind = 'unreachable' | 'auth' | 'http' | 'malformed' | 'too-large' | 'no-answer' | 'refused';

/** A failure of the management API, classified for the check's message. */
export class ApiFailure extends Error {
  constructor(readonly kind: ApiFailureKind, message: string, readonly params: Record<string, string | number> = {}) {
    super(message);
  }
}

export interface EndpointApi {
  status(signal: AbortSignal): Promise<EndpointStatus>;
  calls(signal: AbortSignal): Promise<CallInfo[]>;
  /** Places a call; the endpoint's call id. Throws ApiFailure('refused') when the endpoint refuses. */
  dial(number: string, signal: AbortSignal): Promise<string>;
  disconnect(callId: string, signal: AbortSignal): Promise<void>;
}
