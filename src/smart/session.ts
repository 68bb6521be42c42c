/**
 * Server-side SMART sessions. In comes the `gradus_session` cookie; out comes the session it names: fhirclient's
 * storage (launch states and tokens), the launches this browser started and has not finished, the token state
 * key per FHIR server, and the CSRF token. Only the random session id reaches the browser, never a token.
 * Sessions live in memory: idle TTL 8 h, absolute TTL 24 h, unfinished launches 15 min, a cap on entries.
 * See: https://cheatsheetseries.owasp.org/cheatsheets/Session_Management_Cheat_Sheet.html
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const SESSION_COOKIE = 'gradus_session';
const ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** 32 random bytes, base64url: session ids, CSRF tokens and OAuth `state` values. */
export const randomToken = (): string => randomBytes(32).toString('base64url');

export interface Session {
  /** The cookie value; changes when the session is renewed. */
  id: string;
  /** Epoch ms; the absolute TTL counts from here (renewal keeps it). */
  readonly createdAt: number;
  lastSeenAt: number;
  /** The token every form of this session posts back as `csrf`. */
  csrfToken: string;
  /** fhirclient's storage: launch states (with their tokens) under their state keys, and `SMART_KEY`. */
  storage: Record<string, unknown>;
  /** OAuth `state` values this session started and has not used yet -> when started (epoch ms). */
  pending: Map<string, number>;
  /** FHIR server base URL -> the fhirclient state key holding that server's tokens. */
  servers: Record<string, string>;
  /** The FHIR server the pages use: the one launched last. */
  current?: string;
  /** Set when the session was ended (logout, access ended, expiry), so late work cannot revive it. */
  ended: boolean;
  /** The refresh in flight per FHIR server, so parallel requests refresh once (refresh tokens may rotate). */
  refreshing: Map<string, Promise<unknown>>;
}

export interface SessionStoreOptions {
  /** Default 8 h without a request. */
  idleTtlMs?: number;
  /** Default 24 h from the first launch, however active. */
  absoluteTtlMs?: number;
  /** How long a started launch may take to come back to /callback; also the idle TTL of a session that never signed in. Default 15 min. */
  launchTtlMs?: number;
  /** Default 10,000 sessions; beyond it the least recently used session that never signed in goes first, then the least recently used. */
  maxSessions?: number;
  /** Epoch ms; injected for tests. */
  now?: () => number;
}

/** Sessions by id in a Map kept in least-recently-used order; expired ones are swept at most once a minute. */
export class SessionStore {
  readonly idleTtlMs: number;
  readonly absoluteTtlMs: number;
  readonly launchTtlMs: number;
  readonly maxSessions: number;
  private readonly now: () => number;
  private readonly sessions = new Map<string, Session>();
  private lastSweep = 0;

  constructor(options: SessionStoreOptions = {}) {
    this.idleTtlMs = options.idleTtlMs ?? 8 * 3600_000;
    this.absoluteTtlMs = options.absoluteTtlMs ?? 24 * 3600_000;
    this.launchTtlMs = options.launchTtlMs ?? 15 * 60_000;
    this.maxSessions = options.maxSessions ?? 10_000;
    this.now = options.now ?? Date.now;
    if (this.maxSessions < 1) throw new RangeError('maxSessions must be at least 1');
  }

  get size(): number {
    return this.sessions.size;
  }

  /** A new session (evicting one when the store is full). */
  create(): Session {
    const now = this.now();
    this.sweepIfDue(now);
    if (this.sessions.size >= this.maxSessions) this.sweep();
    while (this.sessions.size >= this.maxSessions) this.evictOne();
    const session: Session = {
      id: randomToken(),
      createdAt: now,
      lastSeenAt: now,
      csrfToken: randomToken(),
      storage: {},
      pending: new Map(),
      servers: {},
      ended: false,
      refreshing: new Map(),
    };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session with this id, marked as seen now; undefined when unknown or expired (an expired one is removed). */
  get(id: string | undefined): Session | undefined {
    if (id === undefined || !ID_PATTERN.test(id)) return undefined;
    const now = this.now();
    this.sweepIfDue(now);
    const session = this.sessions.get(id);
    if (!session) return undefined;
    if (this.expired(session, now)) {
      this.end(session);
      return undefined;
    }
    session.lastSeenAt = now;
    this.sessions.delete(id);
    this.sessions.set(id, session);
    return session;
  }

  /** Gives the session a new id and CSRF token (after sign-in: no session fixation); the old id stops working. */
  renew(session: Session): void {
    if (session.ended) throw new Error('an ended session cannot be renewed');
    this.sessions.delete(session.id);
    session.id = randomToken();
    session.csrfToken = randomToken();
    session.lastSeenAt = this.now();
    this.sessions.set(session.id, session);
  }

  /** Ends a session: removed from the store, its tokens dropped. */
  end(session: Session): void {
    if (this.sessions.get(session.id) === session) this.sessions.delete(session.id);
    session.ended = true;
    session.storage = {};
    session.servers = {};
    session.pending.clear();
    delete session.current;
  }

  /** Removes every expired session and every expired launch; returns how many sessions went. */
  sweep(): number {
    const now = this.now();
    this.lastSweep = now;
    let removed = 0;
    for (const session of [...this.sessions.values()]) {
      if (this.expired(session, now)) {
        this.end(session);
        removed++;
      } else this.dropExpiredLaunches(session, now);
    }
    return removed;
  }

  /** Removes launches older than the launch TTL (and their fhirclient state); keeps at most `keep` of the newest. */
  dropExpiredLaunches(session: Session, now = this.now(), keep = Infinity): void {
    const newestFirst = [...session.pending.entries()].reverse().sort((a, b) => b[1] - a[1]);
    newestFirst.forEach(([state, startedAt], index) => {
      if (now - startedAt > this.launchTtlMs || index >= keep) {
        session.pending.delete(state);
        delete session.storage[state];
      }
    });
  }

  /** Records a launch this session started (its OAuth `state`); keeps only the `keep` newest unfinished ones. */
  addLaunch(session: Session, state: string, keep = 5): void {
    const now = this.now();
    session.pending.set(state, now);
    this.dropExpiredLaunches(session, now, keep);
  }

  /** Whether a launch started by this session is still waiting for its callback. */
  launchPending(session: Session, state: string): boolean {
    const startedAt = session.pending.get(state);
    return startedAt !== undefined && this.now() - startedAt <= this.launchTtlMs;
  }

  private expired(session: Session, now: number): boolean {
    const signedIn = Object.keys(session.servers).length > 0;
    const idle = signedIn ? this.idleTtlMs : Math.min(this.idleTtlMs, this.launchTtlMs);
    return now - session.lastSeenAt > idle || now - session.createdAt > this.absoluteTtlMs;
  }

  private sweepIfDue(now: number): void {
    if (now - this.lastSweep >= 60_000) this.sweep();
  }

  private evictOne(): void {
    let victim: Session | undefined;
    for (const session of this.sessions.values()) {
      victim ??= session;
      if (Object.keys(session.servers).length === 0) {
        victim = session;
        break;
      }
    }
    if (victim) this.end(victim);
  }
}

/** The `gradus_session` value of a Cookie header, if any. */
export function sessionIdOf(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Set-Cookie for a session id: HttpOnly, SameSite=Lax, Path=/, Secure when the request came over TLS. */
export function sessionCookie(id: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}

/** Set-Cookie that makes the browser forget the session cookie. */
export function clearedSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure ? '; Secure' : ''}`;
}

type Req = IncomingMessage & { secure?: boolean };
const attached = new WeakMap<IncomingMessage, Session>();

function setCookie(res: ServerResponse, value: string): void {
  const previous = res.getHeader('set-cookie');
  const list = previous === undefined ? [] : Array.isArray(previous) ? previous : [String(previous)];
  res.setHeader('set-cookie', [...list.filter((c) => !c.startsWith(`${SESSION_COOKIE}=`)), value]);
}

/** The request's live session (looked up once per request and attached to it), or undefined. */
export function sessionFor(req: IncomingMessage, store: SessionStore): Session | undefined {
  const known = attached.get(req);
  if (known && !known.ended) return known;
  const session = store.get(sessionIdOf(req));
  if (session) attached.set(req, session);
  return session;
}

/** The session sessionFor attached to this request (for handlers that run after it, like checkCsrf). */
export function attachedSession(req: IncomingMessage): Session | undefined {
  const session = attached.get(req);
  return session && !session.ended ? session : undefined;
}

/** The request's session, or a new one with its cookie set on the response. */
export function startSession(req: Req, res: ServerResponse, store: SessionStore): Session {
  const existing = sessionFor(req, store);
  if (existing) return existing;
  const session = store.create();
  attached.set(req, session);
  setCookie(res, sessionCookie(session.id, req.secure === true));
  return session;
}

/** Renews the session's id (and CSRF token) and sends the new cookie. */
export function renewSession(req: Req, res: ServerResponse, store: SessionStore, session: Session): void {
  store.renew(session);
  setCookie(res, sessionCookie(session.id, req.secure === true));
}

/** Ends the session (if any) and tells the browser to forget the cookie. */
export function endSession(req: Req, res: ServerResponse, store: SessionStore, session: Session | undefined): void {
  if (session) store.end(session);
  setCookie(res, clearedSessionCookie(req.secure === true));
}
