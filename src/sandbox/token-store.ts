/**
 * oidc-provider's storage for the sandbox, in memory: one store per sandbox (oidc-provider's own memory
 * adapter is a process-wide LRU of 1000 entries that silently drops live tokens). In: what oidc-provider
 * saves (codes, tokens, grants, sessions, interactions, replay ids) with their lifetimes; out: the same until
 * they expire, are consumed or revoked. Lost on restart, which is what a sandbox wants.
 * See: https://github.com/panva/node-oidc-provider/blob/v8.x/example/my_adapter.js
 */

type Payload = Record<string, unknown>;

interface Entry {
  payload: Payload;
  /** Epoch milliseconds; Infinity without a lifetime. */
  expiresAt: number;
}

/** Models whose entries belong to a grant (revoking the grant deletes them). */
const GRANTABLE = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest']);

export class TokenStore {
  private readonly entries = new Map<string, Entry>();
  private readonly byGrant = new Map<string, Set<string>>();
  private readonly sessionByUid = new Map<string, string>();

  constructor(
    private readonly maxEntries = 50_000,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  set(model: string, id: string, payload: Payload, expiresInSeconds: number | undefined): void {
    const key = `${model}:${id}`;
    const expiresAt = expiresInSeconds === undefined ? Infinity : this.now() + expiresInSeconds * 1000;
    this.entries.delete(key);
    this.entries.set(key, { payload: { ...payload }, expiresAt });
    const grantId = payload.grantId;
    if (GRANTABLE.has(model) && typeof grantId === 'string') {
      const keys = this.byGrant.get(grantId) ?? new Set<string>();
      keys.add(key);
      this.byGrant.set(grantId, keys);
    }
    if (model === 'Session' && typeof payload.uid === 'string') this.sessionByUid.set(payload.uid, id);
    if (this.entries.size > this.maxEntries) this.evict();
  }

  get(model: string, id: string): Payload | undefined {
    const key = `${model}:${id}`;
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.payload;
  }

  delete(model: string, id: string): void {
    this.entries.delete(`${model}:${id}`);
  }

  sessionIdForUid(uid: string): string | undefined {
    return this.sessionByUid.get(uid);
  }

  /** Whether a grant still has an entry of one of `models` that is neither expired, consumed (used up, rotated) nor revoked. */
  hasLive(grantId: string, models: ReadonlySet<string>): boolean {
    for (const key of this.byGrant.get(grantId) ?? []) {
      const at = key.indexOf(':');
      const model = key.slice(0, at);
      if (!models.has(model)) continue;
      const payload = this.get(model, key.slice(at + 1));
      const exp = payload?.exp;
      if (payload !== undefined && payload.consumed === undefined && (typeof exp !== 'number' || exp * 1000 > this.now())) return true;
    }
    return false;
  }

  /** Deletes every code and token issued under a grant. */
  revokeGrant(grantId: string): void {
    for (const key of this.byGrant.get(grantId) ?? []) this.entries.delete(key);
    this.byGrant.delete(grantId);
  }

  clear(): void {
    this.entries.clear();
    this.byGrant.clear();
    this.sessionByUid.clear();
  }

  /** Drops expired entries, then the oldest tenth if still over the cap. */
  private evict(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
    if (this.entries.size > this.maxEntries) {
      let drop = Math.ceil(this.maxEntries / 10);
      for (const key of this.entries.keys()) {
        if (drop-- <= 0) break;
        this.entries.delete(key);
      }
    }
    for (const [grantId, keys] of this.byGrant) {
      for (const key of keys) if (!this.entries.has(key)) keys.delete(key);
      if (keys.size === 0) this.byGrant.delete(grantId);
    }
    for (const [uid, id] of this.sessionByUid) if (!this.entries.has(`Session:${id}`)) this.sessionByUid.delete(uid);
  }
}

/** oidc-provider's adapter interface over one model of a TokenStore. */
export class StoreAdapter {
  constructor(
    private readonly store: TokenStore,
    private readonly model: string,
  ) {}

  upsert(id: string, payload: Payload, expiresIn?: number): Promise<void> {
    this.store.set(this.model, id, payload, expiresIn);
    return Promise.resolve();
  }

  find(id: string): Promise<Payload | undefined> {
    return Promise.resolve(this.store.get(this.model, id));
  }

  findByUid(uid: string): Promise<Payload | undefined> {
    const id = this.store.sessionIdForUid(uid);
    return Promise.resolve(id === undefined ? undefined : this.store.get(this.model, id));
  }

  findByUserCode(): Promise<undefined> {
    return Promise.resolve(undefined); // the device flow is off
  }

  consume(id: string): Promise<void> {
    const payload = this.store.get(this.model, id);
    if (payload !== undefined) payload.consumed = Math.floor(Date.now() / 1000);
    return Promise.resolve();
  }

  destroy(id: string): Promise<void> {
    this.store.delete(this.model, id);
    return Promise.resolve();
  }

  revokeByGrantId(grantId: string): Promise<void> {
    this.store.revokeGrant(grantId);
    return Promise.resolve();
  }
}
