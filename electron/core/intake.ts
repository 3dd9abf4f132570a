import { randomBytes } from 'node:crypto';
import type { EnvironmentRequest, EnvironmentRequestSource } from '../common/api';

/** How many requests wait at most; the oldest is dropped when a new one arrives beyond it. */
export const MAX_PENDING_REQUESTS = 10;

export interface EnvironmentRequestsOptions {
  /** Called with the whole list after every change. */
  onChange: (requests: EnvironmentRequest[]) => void;
  now?: () => Date;
  max?: number;
}

/**
 * The URLs that arrived from outside the window (paddock://open links, the
 * command line's `open <url>`) and wait for the user's answer on the
 * Environments screen (issue 10). Kept here, not in the window, so that a
 * link that arrives before the window loaded is not lost; kept in memory
 * only, so that an unanswered link does not outlive the app. Nothing is
 * created from a request: the renderer shows it, and the user confirms it
 * through createEnvironment or declines it; either way it is resolved.
 */
export class EnvironmentRequests {
  #requests: EnvironmentRequest[] = [];
  readonly #onChange: EnvironmentRequestsOptions['onChange'];
  readonly #now: () => Date;
  readonly #max: number;

  constructor({ onChange, now = () => new Date(), max = MAX_PENDING_REQUESTS }: EnvironmentRequestsOptions) {
    this.#onChange = onChange;
    this.#now = now;
    this.#max = max;
  }

  /** Oldest first. */
  list(): EnvironmentRequest[] {
    return this.#requests.map((request) => ({ ...request }));
  }

  /**
   * Adds a request, or, when the same URL already waits, moves that one to
   * the end with the new time and source (one question per URL).
   */
  add(url: string, source: EnvironmentRequestSource): EnvironmentRequest {
    const existing = this.#requests.find((request) => request.url === url);
    const request: EnvironmentRequest = {
      id: existing?.id ?? `r_${randomBytes(8).toString('hex')}`,
      url,
      source,
      receivedAt: this.#now().toISOString(),
    };
    this.#requests = [...this.#requests.filter((r) => r.url !== url), request].slice(-this.#max);
    this.#onChange(this.list());
    return { ...request };
  }

  /** Removes a request (answered or declined); false when it was not waiting. */
  resolve(id: string): boolean {
    const left = this.#requests.filter((request) => request.id !== id);
    if (left.length === this.#requests.length) return false;
    this.#requests = left;
    this.#onChange(this.list());
    return true;
  }
}
