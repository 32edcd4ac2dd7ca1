/** Who acts on an incident, and the refusals the API turns into 4xx answers. */
export interface Actor {
  login: string;
  role: string;
  displayName: string;
  ip?: string | null;
}

export class EngineError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly field?: string) {
    super(message);
  }
}

