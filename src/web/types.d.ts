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

/**
 * A wallet-connection session: which origin is connected and which methods it may call on each chain.
 * The default data type of the stores. An app with its own session interface passes it as the type
 * argument (`new LocalStorageSessionStore<AppSession>()`), or lets it be inferred where the store is
 * assigned to the app's own `SessionStore` type.
 */
export interface SessionData {
  id: string;
  origin: string;
  /** Chain id → methods granted. */
  permissions?: Record<string, string[]>;
}

/** Which storage a store keeps its sessions in: the `kind` of each store class (the last three are `./adapters`' and the main entry's). */
export type SessionStoreKind = 'memory' | 'localStorage' | 'sessionStorage' | 'adapter' | 'indexedDB' | 'extension';

/** The stable `code` of every error a store rejects (or, for `INVALID_CONFIG`, throws) with. */
export type SessionStoreErrorCode =
  | 'INVALID_CONFIG'
  | 'INVALID_SESSION_ID'
  | 'DATA_NOT_SERIALIZABLE'
  | 'STORAGE_UNAVAILABLE'
  | 'CORRUPT_ENTRY'
  | 'QUOTA_EXCEEDED'
  | 'STORAGE_ERROR'
  | 'CLOCK_UNAVAILABLE'
  | 'INVALID_LISTENER'
  /** `set`'s `expiresAt` is not a finite number. */
  | 'INVALID_OPTIONS'
  /** The store was freed with `free()`. */
  | 'FREED'
  /** Called from inside another call on the same store (a Storage method, a getter, `toJSON`, `Date.now`). */
  | 'REENTRANT_CALL'
  /** A storage adapter's call did not settle within the store's `timeout`. */
  | 'STORAGE_TIMEOUT'
  /** Another tab or worker held the store's Web Lock longer than the store's `timeout`: the call did nothing. */
  | 'LOCK_TIMEOUT'
  /** Over a committing adapter (Redis): other processes changed what the call read, 64 times running. */
  | 'STORAGE_CONFLICT'
  /** `migrateSessions` was given a memory store, the same store twice, or one storage and prefix twice. */
  | 'INVALID_STORE'
  /** The WebAssembly module could not be compiled here (a Content-Security-Policy without `'wasm-unsafe-eval'`, WebAssembly turned off); `cause` says why. */
  | 'MODULE_UNAVAILABLE';

/** The `Error` a store rejects with. */
export interface SessionStoreError extends Error {
  code: SessionStoreErrorCode;
  /** For `MODULE_UNAVAILABLE`: the error the WebAssembly engine gave. */
  cause?: unknown;
}

/** The options of `set`. */
export interface SetOptions {
  /**
   * The session's own end, in ms since the epoch (a protocol's expiry, such as WalletConnect's seven
   * days): it replaces the store's `lifetime` and `absoluteLifetime` for this session, and no access
   * moves it. The session is live up to and including that millisecond.
   */
  expiresAt?: number;
}

/** The session-store interface of `@walletmesh/router`, and `set`'s options. */
export interface SessionStore<T = SessionData> {
  /** Stores a session, starting its lifetime anew (or, with `expiresAt`, until then). */
  set(sessionId: string, data: T, options?: SetOptions): Promise<void>;
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

/** A change to a store's sessions: made by this instance, or (Web Storage stores) by another tab. */
export interface SessionStoreEvent<T = SessionData> {
  /** `refresh`: the session's expiry moved on; `expire`: it was removed past its deadline. */
  type: 'set' | 'refresh' | 'delete' | 'expire' | 'clear';
  /** Absent for `clear`. */
  sessionId?: string;
  /** For `set`: the data written. */
  data?: T;
}

/** What the three store classes share; the interface below merges the seven methods into it. */
declare class WasmSessionStore<T, K extends SessionStoreKind> {
  /** @throws {SessionStoreError} with code `INVALID_CONFIG` */
  constructor(config?: SessionStoreConfig);
  /** Which storage this store keeps its sessions in. */
  readonly kind: K;
  /**
   * Calls `listener` for each change this instance makes (after the call that made it returns), and
   * each change another tab makes under this store's prefix (Web Storage, or an adapter with a
   * `channel`). While it has listeners, the store runs `cleanExpired` when its next session ends,
   * so that `expire` is heard without polling. Returns the function that stops it.
   * @throws {SessionStoreError} with code `INVALID_LISTENER` for a non-function
   */
  subscribe(listener: (event: SessionStoreEvent<T>) => void): () => void;
  /** Releases the WebAssembly memory of this store now instead of at garbage collection. Later calls reject with `FREED`; changes not yet delivered to listeners are dropped. */
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

/** A localStorage store where localStorage can be read, a memory store otherwise; `kind` says which. */
export function createSessionStore<T = SessionData>(config?: SessionStoreConfig & { storage?: undefined }): LocalStorageSessionStore<T> | MemorySessionStore<T>;

// Only what is marked `export` above is exported: the shared base class exists in types only.
export {};
