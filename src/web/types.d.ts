/** Options shared by every session store. All durations are in milliseconds. */
export interface SessionStoreConfig {
  /** Idle lifetime: `set` (and, with `refreshOnAccess`, every access) expires a session this long after now. Absent or 0: sessions never expire. */
  lifetime?: number;
  /** Push the expiry to now + `lifetime` on every successful read. Default `false`. */
  refreshOnAccess?: boolean;
  /** No session outlives its latest `set` by more than this, refreshes included. Absent or 0: no absolute limit. Must be at least `lifetime`. */
  absoluteLifetime?: number;
  /** Key prefix in Web Storage. Default `"wm_session_"`. */
  prefix?: string;
}

/** A wallet-connection session: which origin is connected and which methods it may call on each chain. */
export interface SessionData {
  id: string;
  origin: string;
  /** Chain id → methods granted. */
  permissions?: Record<string, string[]>;
  [key: string]: unknown;
}

/** Which storage a store keeps its sessions in. */
export type SessionStoreKind = 'memory' | 'localStorage' | 'sessionStorage';

/** The stable `code` of every error a store rejects (or, for `INVALID_CONFIG`, throws) with. */
export type SessionStoreErrorCode =
  | 'INVALID_CONFIG'
  | 'INVALID_SESSION_ID'
  | 'DATA_NOT_SERIALIZABLE'
  | 'STORAGE_UNAVAILABLE'
  | 'CORRUPT_ENTRY'
  | 'QUOTA_EXCEEDED'
  | 'STORAGE_ERROR'
  | 'CLOCK_UNAVAILABLE';

/** The `Error` a store rejects with. */
export interface SessionStoreError extends Error {
  code: SessionStoreErrorCode;
}

/** The session-store interface of `@walletmesh/router`. */
export interface SessionStore<T = SessionData> {
  /** Stores a session, starting its lifetime anew. */
  set(sessionId: string, data: T): Promise<void>;
  /** Same as `validateAndRefresh`. */
  get(sessionId: string): Promise<T | undefined>;
  /** Every live session by id; expired ones met on the way are removed. */
  getAll(): Promise<Map<string, T>>;
  delete(sessionId: string): Promise<void>;
  /** Removes this store's sessions and nothing else. */
  clear(): Promise<void>;
  /** The session if it is live (refreshing its expiry when configured); `undefined` if missing or expired (an expired one is removed). */
  validateAndRefresh(sessionId: string): Promise<T | undefined>;
  /** Removes every expired session; resolves to how many it removed. */
  cleanExpired(): Promise<number>;
}

/** What the three store classes share; the interface below merges the seven methods into it. */
declare class WasmSessionStore<T, K extends SessionStoreKind> {
  /** @throws {SessionStoreError} with code `INVALID_CONFIG` */
  constructor(config?: SessionStoreConfig);
  /** Which storage this store keeps its sessions in. */
  readonly kind: K;
  /** Releases the WebAssembly memory of this store now instead of at garbage collection. */
  free(): void;
  [Symbol.dispose](): void;
}
declare interface WasmSessionStore<T, K extends SessionStoreKind> extends SessionStore<T> {}

/** Sessions in memory; keeps the very values it is given. */
export class MemorySessionStore<T = SessionData> extends WasmSessionStore<T, 'memory'> {}
/** Sessions in `globalThis.localStorage` under `prefix + sessionId`, in the format of `@walletmesh/router`. */
export class LocalStorageSessionStore<T = SessionData> extends WasmSessionStore<T, 'localStorage'> {}
/** Sessions in `globalThis.sessionStorage`, laid out as in localStorage. */
export class SessionStorageSessionStore<T = SessionData> extends WasmSessionStore<T, 'sessionStorage'> {}

// Only what is marked `export` above is exported: the shared base class exists in types only.
export {};
