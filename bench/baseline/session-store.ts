// The benchmark's baseline: the session-store contract written as plain TypeScript, the way a
// JavaScript developer would write it. Used only to compare against; never shipped.

export interface SessionStoreConfig { lifetime?: number; refreshOnAccess?: boolean; absoluteLifetime?: number; prefix?: string }

interface Stored<T> { data: T; expiresAt?: number; createdAt?: number }

function checkConfig(config: SessionStoreConfig): void {
  for (const key of ['lifetime', 'absoluteLifetime'] as const) {
    const value = config[key];
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value < 0)) {
      throw Object.assign(new Error(`${key} must be a finite, non-negative number`), { code: 'INVALID_CONFIG' });
    }
  }
  if (config.absoluteLifetime && config.lifetime && config.absoluteLifetime < config.lifetime) {
    throw Object.assign(new Error('absoluteLifetime must be 0 or at least lifetime'), { code: 'INVALID_CONFIG' });
  }
}

abstract class BaseStore<T> {
  protected readonly config: SessionStoreConfig;

  constructor(config: SessionStoreConfig = {}) {
    checkConfig(config);
    this.config = config;
  }

  protected fresh(data: T, now: number): Stored<T> {
    const stored: Stored<T> = { data };
    const { lifetime, absoluteLifetime } = this.config;
    if (absoluteLifetime) stored.createdAt = now;
    if (lifetime) stored.expiresAt = now + lifetime;
    if (absoluteLifetime) stored.expiresAt = Math.min(stored.expiresAt ?? Infinity, now + absoluteLifetime);
    return stored;
  }

  protected expired(stored: Stored<T>, now: number): boolean {
    if (typeof stored.expiresAt === 'number' && now > stored.expiresAt) return true;
    const { absoluteLifetime } = this.config;
    return !!absoluteLifetime && typeof stored.createdAt === 'number' && now > stored.createdAt + absoluteLifetime;
  }

  /** Moves the expiry on access; returns whether it changed anything to write back. */
  protected refresh(stored: Stored<T>, now: number): boolean {
    const { lifetime, refreshOnAccess, absoluteLifetime } = this.config;
    if (!refreshOnAccess || !lifetime) return false;
    stored.expiresAt = now + lifetime;
    if (absoluteLifetime) {
      stored.createdAt ??= now;
      stored.expiresAt = Math.min(stored.expiresAt, stored.createdAt + absoluteLifetime);
    }
    return true;
  }

  get(sessionId: string): Promise<T | undefined> {
    return this.validateAndRefresh(sessionId);
  }

  abstract validateAndRefresh(sessionId: string): Promise<T | undefined>;
}

export class MemorySessionStore<T> extends BaseStore<T> {
  private sessions = new Map<string, Stored<T>>();

  async set(sessionId: string, data: T): Promise<void> {
    this.sessions.set(sessionId, this.fresh(data, Date.now()));
  }

  async validateAndRefresh(sessionId: string): Promise<T | undefined> {
    const stored = this.sessions.get(sessionId);
    if (!stored) return undefined;
    const now = Date.now();
    if (this.expired(stored, now)) {
      this.sessions.delete(sessionId);
      return undefined;
    }
    this.refresh(stored, now);
    return stored.data;
  }

  async getAll(): Promise<Map<string, T>> {
    const result = new Map<string, T>();
    const now = Date.now();
    for (const [id, stored] of this.sessions) {
      if (this.expired(stored, now)) {
        this.sessions.delete(id);
      } else {
        this.refresh(stored, now);
        result.set(id, stored.data);
      }
    }
    return result;
  }

  async delete(sessionId: string): Promise<void> {
    this.sessions.delete(sessionId);
  }

  async clear(): Promise<void> {
    this.sessions.clear();
  }

  async cleanExpired(): Promise<number> {
    const now = Date.now();
    let removed = 0;
    for (const [id, stored] of this.sessions) {
      if (this.expired(stored, now)) {
        this.sessions.delete(id);
        removed++;
      }
    }
    return removed;
  }
}

export class LocalStorageSessionStore<T> extends BaseStore<T> {
  private readonly prefix: string;

  constructor(config: SessionStoreConfig = {}) {
    super(config);
    this.prefix = config.prefix ?? 'wm_session_';
  }

  private get storage(): Storage {
    if (typeof localStorage === 'undefined') throw new Error('LocalStorage is not available in this environment');
    return localStorage;
  }

  private read(key: string): Stored<T> | undefined {
    const text = this.storage.getItem(key);
    return text ? (JSON.parse(text) as Stored<T>) : undefined;
  }

  private ownKeys(): string[] {
    const keys: string[] = [];
    for (let i = 0; i < this.storage.length; i++) {
      const key = this.storage.key(i);
      if (key?.startsWith(this.prefix)) keys.push(key);
    }
    return keys;
  }

  async set(sessionId: string, data: T): Promise<void> {
    this.storage.setItem(this.prefix + sessionId, JSON.stringify(this.fresh(data, Date.now())));
  }

  async validateAndRefresh(sessionId: string): Promise<T | undefined> {
    const key = this.prefix + sessionId;
    const stored = this.read(key);
    if (!stored) return undefined;
    const now = Date.now();
    if (this.expired(stored, now)) {
      this.storage.removeItem(key);
      return undefined;
    }
    if (this.refresh(stored, now)) this.storage.setItem(key, JSON.stringify(stored));
    return stored.data;
  }

  async getAll(): Promise<Map<string, T>> {
    const result = new Map<string, T>();
    const now = Date.now();
    for (const key of this.ownKeys()) {
      const stored = this.read(key);
      if (!stored) continue;
      if (this.expired(stored, now)) {
        this.storage.removeItem(key);
      } else {
        if (this.refresh(stored, now)) this.storage.setItem(key, JSON.stringify(stored));
        result.set(key.slice(this.prefix.length), stored.data);
      }
    }
    return result;
  }

  async delete(sessionId: string): Promise<void> {
    this.storage.removeItem(this.prefix + sessionId);
  }

  async clear(): Promise<void> {
    for (const key of this.ownKeys()) this.storage.removeItem(key);
  }

  async cleanExpired(): Promise<number> {
    const now = Date.now();
    let removed = 0;
    for (const key of this.ownKeys()) {
      const stored = this.read(key);
      if (stored && this.expired(stored, now)) {
        this.storage.removeItem(key);
        removed++;
      }
    }
    return removed;
  }
}
