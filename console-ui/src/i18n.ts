/**
 * Browser-side language state: the chosen language (ru by default, remembered in
 * localStorage), a translate helper bound to it, and a Lit controller that re-renders
 * its host when the language changes.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { LANGS, translate, type Lang } from '../i18n/messages';

export type { Lang };

const STORAGE_KEY = 'hallwatch.lang';

function readStoredLang(): Lang {
  try {
    const v = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (v && (LANGS as readonly string[]).includes(v)) return v as Lang;
  } catch {
    // Storage may be unavailable (privacy mode); fall through to the default.
  }
  return 'ru';
}

class LangStore extends EventTarget {
  #lang: Lang = readStoredLang();

  get lang(): Lang {
    return this.#lang;
  }

  set(lang: Lang): void {
    if (lang === this.#lang) return;
    this.#lang = lang;
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, lang);
    } catch {
      // Not fatal: the choice just is not remembered.
    }
    this.applyToDocument();
    this.dispatchEvent(new Event('change'));
  }

  applyToDocument(): void {
    if (typeof document !== 'undefined') document.documentElement.lang = this.#lang;
  }
}

export const langStore = new LangStore();

/** Translate with the current language. */
export function t(key: string, params?: Record<string, string | number>, fallback?: string): string {
  return translate(langStore.lang, key, params, fallback);
}

/** Re-renders the host when the language changes. */
export class LangController implements ReactiveController {
  private readonly host: ReactiveControllerHost;
  private readonly onChange = (): void => this.host.requestUpdate();

  constructor(host: ReactiveControllerHost) {
    this.host = host;
    host.addController(this);
  }

  get lang(): Lang {
    return langStore.lang;
  }

  hostConnected(): void {
    langStore.addEventListener('change', this.onChange);
  }

  hostDisconnected(): void {
    langStore.removeEventListener('change', this.onChange);
  }
}
