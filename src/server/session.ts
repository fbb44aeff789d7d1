// Sessions (in memory, lost when the server stops), CSRF tokens and the login throttle. A session id and its CSRF
// token are 32 random bytes each; the cookie is HttpOnly and SameSite=Strict (Secure when the server is told it sits
// behind HTTPS). Every state-changing request carries the session's CSRF token (form field `_csrf` or header
// `x-csrf-token`); the login form carries a pre-session token checked against its own cookie (double submit).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { User } from '../book/users.js';

export const SESSION_COOKIE = 'yibao_sid';
export const LOGIN_COOKIE = 'yibao_login';
const IDLE_MS = 30 * 60 * 1000; // 30 minutes without a request
const ABSOLUTE_MS = 12 * 60 * 60 * 1000; // a working day

export interface Session {
  readonly id: string;
  readonly user: User;
  readonly csrf: string;
  readonly created: number;
  lastSeen: number;
  /** The last rejected import's errors (for the downloadable report). */
  importErrors?: { file: string; csv: string };
  flash?: { kind: 'ok' | 'error'; lines: string[] };
}

export const token = (): string => randomBytes(32).toString('base64url');

export function sameToken(a: string | undefined, b: string | undefined): boolean {
  if (typeof a !== 'string' || typeof b !== 'string' || a.length === 0) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class Sessions {
  private readonly byId = new Map<string, Session>();
  constructor(private readonly clock: () => number) {}

  create(user: User): Session {
    const now = this.clock();
    const s: Session = { id: token(), user, csrf: token(), created: now, lastSeen: now };
    this.byId.set(s.id, s);
    return s;
  }

  get(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const s = this.byId.get(id);
    if (!s) return undefined;
    const now = this.clock();
    if (now - s.lastSeen > IDLE_MS || now - s.created > ABSOLUTE_MS) {
      this.byId.delete(id);
      return undefined;
    }
    s.lastSeen = now;
    return s;
  }

  drop(id: string | undefined): void {
    if (id) this.byId.delete(id);
  }
}

/** A throttle key and how many failures in a row it may have before it is slowed. */
export interface ThrottleKey {
  readonly key: string;
  readonly free: number;
}

/**
 * Login throttle: after `free` wrong passwords in a row for a key (5 for a user name, 20 for an address, which many
 * people may share behind one proxy), further attempts are refused (HTTP 429) for a delay that doubles with each
 * failure, from 30 s up to 15 minutes; a success clears the keys.
 */
export class LoginThrottle {
  static readonly NAME_FAILURES = 5;
  static readonly ADDRESS_FAILURES = 20;
  private readonly failures = new Map<string, { count: number; until: number; last: number }>();
  /** Failures older than this are forgotten (an office behind one address does not pile them up for ever). */
  static readonly FORGET_MS = 15 * 60_000;
  constructor(private readonly clock: () => number) {}

  static keys(name: string, address: string): ThrottleKey[] {
    return [
      { key: `name:${name}`, free: LoginThrottle.NAME_FAILURES },
      { key: `ip:${address}`, free: LoginThrottle.ADDRESS_FAILURES },
    ];
  }

  /** Milliseconds to wait before another attempt for these keys (0: go ahead). */
  wait(keys: readonly ThrottleKey[]): number {
    const now = this.clock();
    return Math.max(0, ...keys.map((k) => (this.failures.get(k.key)?.until ?? 0) - now));
  }

  failed(keys: readonly ThrottleKey[]): void {
    const now = this.clock();
    for (const k of keys) {
      const f = this.failures.get(k.key) ?? { count: 0, until: 0, last: now };
      if (now - f.last > LoginThrottle.FORGET_MS) f.count = 0;
      f.last = now;
      f.count++;
      if (f.count >= k.free) f.until = now + Math.min(15 * 60_000, 30_000 * 2 ** (f.count - k.free));
      this.failures.set(k.key, f);
    }
  }

  /**
   * A right password clears its name's failures only: the address's stay, or one valid account could reset them
   * between guesses at other names.
   */
  succeeded(keys: readonly ThrottleKey[]): void {
    for (const k of keys) if (k.key.startsWith('name:')) this.failures.delete(k.key);
  }
}
