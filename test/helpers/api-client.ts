/** A signed-in API client for tests: keeps the session cookie and sends the CSRF token. */
export interface ApiReply<T = unknown> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

export class ApiClient {
  cookie = '';
  csrf = '';

  constructor(readonly base: string) {}

  static async signIn(base: string, login: string, password: string): Promise<ApiClient> {
    const c = new ApiClient(base);
    const r = await c.post<{ csrfToken: string }>('/api/session', { login, password });
    if (r.status !== 201) throw new Error(`sign-in as ${login} failed: ${r.status} ${r.text}`);
    return c;
  }

  async request<T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiReply<T>> {
    const h: Record<string, string> = { ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (this.csrf && method !== 'GET') h['x-csrf-token'] = this.csrf;
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body);
      h['content-type'] ??= 'application/json';
    }
    const res = await fetch(this.base + path, { method, headers: h, body: payload });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    const set = res.headers.get('set-cookie');
    if (set) {
      const m = /^hw_session=([^;]*)/.exec(set);
      if (m) this.cookie = m[1] ? `hw_session=${m[1]}` : '';
    }
    const token = (parsed as { csrfToken?: string } | undefined)?.csrfToken;
    if (token) this.csrf = token;
    return { status: res.status, body: parsed as T, text, headers: res.headers };
  }

  get<T = unknown>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T = unknown>(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('POST', path, body, headers);
  }
  delete<T = unknown>(path: string) {
    return this.request<T>('DELETE', path);
  }
}
