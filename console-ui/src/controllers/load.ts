/**
 * One read of the API for a view, as every list view needs it: a new load aborts the one before
 * (its late answer is dropped), leaving the page aborts it, and with `resync` the view loads again
 * after the live socket reconnects. The view renders `data`, `error` and `loading`.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { isAbort, requestJson } from '../api';
import { liveData } from './live-data';

export class LoadController<T> implements ReactiveController {
  data: T | null = null;
  error: unknown = null;
  loading = false;
  private abort: AbortController | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    /** The URL to read, built from the view's state at each load. */
    private readonly url: () => string,
    private readonly o: { resync?: boolean; loaded?: (data: T) => void } = {},
  ) {
    host.addController(this);
  }

  private readonly onResync = (): void => void this.load();

  hostConnected(): void {
    if (this.o.resync) liveData.addEventListener('resync', this.onResync);
  }

  hostDisconnected(): void {
    liveData.removeEventListener('resync', this.onResync);
    this.abort?.abort();
  }

  async load(): Promise<void> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.loading = true;
    this.host.requestUpdate();
    try {
      const d = await requestJson<T>(this.url(), { signal: abort.signal });
      if (abort.signal.aborted) return;
      this.data = d;
      this.error = null;
      this.o.loaded?.(d);
    } catch (err) {
      if (isAbort(err)) return;
      this.error = err;
    } finally {
      if (this.abort === abort) {
        this.abort = null;
        this.loading = false;
        this.host.requestUpdate();
      }
    }
  }
}
