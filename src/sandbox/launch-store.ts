/**
 * Launch ids of the sandbox EHR and the launch context of each grant. In: a launch made on the /sandbox page
 * (user and patient) or a finished sign-in; out: the context again, once for a launch id (single use, 5 min),
 * for the grant's lifetime for a grant id (so tokens, also after refresh, carry `patient` and `fhirUser`).
 * See: https://hl7.org/fhir/smart-app-launch/app-launch.html#launch-app-ehr-launch
 */
import { randomBytes } from 'node:crypto';

/** Who signs in and which patient is open. */
export interface LaunchContext {
  userId: string;
  fhirUser: string;
  patient?: string;
}

export const LAUNCH_TTL_SECONDS = 300;

interface Timed<T> {
  value: T;
  expiresAt: number;
}

/** A map whose entries expire and which never grows past `max` (oldest dropped first). */
class ExpiringMap<T> {
  private readonly map = new Map<string, Timed<T>>();

  constructor(
    private readonly max: number,
    private readonly now: () => number,
  ) {}

  set(key: string, value: T, ttlSeconds: number): void {
    this.map.delete(key);
    this.map.set(key, { value, expiresAt: this.now() + ttlSeconds * 1000 });
    if (this.map.size > this.max) this.sweep();
  }

  get(key: string): T | undefined {
    const entry = this.map.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.map.delete(key);
      return undefined;
    }
    return entry.value;
  }

  delete(key: string): void {
    this.map.delete(key);
  }

  entries(): [string, T][] {
    return [...this.map.keys()].flatMap((key) => {
      const value = this.get(key);
      return value === undefined ? [] : [[key, value] as [string, T]];
    });
  }

  clear(): void {
    this.map.clear();
  }

  private sweep(): void {
    for (const key of [...this.map.keys()]) this.get(key);
    for (const key of this.map.keys()) {
      if (this.map.size <= this.max) break;
      this.map.delete(key);
    }
  }
}

/** EHR launch ids: opaque, single use, valid for five minutes. */
export class LaunchStore {
  private readonly launches: ExpiringMap<LaunchContext>;

  constructor(now: () => number = Date.now) {
    this.launches = new ExpiringMap(1000, now);
  }

  create(context: LaunchContext): string {
    const id = randomBytes(16).toString('base64url');
    this.launches.set(id, context, LAUNCH_TTL_SECONDS);
    return id;
  }

  /** Whether the id is live (without using it up). */
  has(id: string): boolean {
    return this.launches.get(id) !== undefined;
  }

  /** The context of a live launch id, which is then gone. */
  take(id: string): LaunchContext | undefined {
    const context = this.launches.get(id);
    this.launches.delete(id);
    return context;
  }

  clear(): void {
    this.launches.clear();
  }
}

/** The launch context of each grant, kept as long as the grant lives. */
export class GrantContexts {
  private readonly grants: ExpiringMap<LaunchContext>;

  constructor(
    private readonly ttlSeconds: number,
    now: () => number = Date.now,
  ) {
    this.grants = new ExpiringMap(50_000, now);
  }

  set(grantId: string, context: LaunchContext): void {
    this.grants.set(grantId, context, this.ttlSeconds);
  }

  get(grantId: string): LaunchContext | undefined {
    return this.grants.get(grantId);
  }

  delete(grantId: string): void {
    this.grants.delete(grantId);
  }

  /** The grant ids of one user. */
  grantsOf(fhirUser: string): string[] {
    return this.grants.entries().flatMap(([grantId, context]) => (context.fhirUser === fhirUser ? [grantId] : []));
  }

  clear(): void {
    this.grants.clear();
  }
}
