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
  | 'CLOCK_UNAVAILABLE'
  | 'INVALID_LISTENER'
  /** The store was freed with `free()`. */
  | 'FREED'
  /** Called from inside another call on the same store (a Storage method, a getter, `toJSON`, `Date.now`). */
  | 'REENTRANT_CALL';

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

/** A change to a store's sessions: made by this instance, or (Web Storage stores) by another tab. */
export interface SessionStoreEvent<T = SessionData> {
  type: 'set' | 'delete' | 'clear';
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
   * for Web Storage stores each change another tab makes under this store's prefix. Returns the
   * function that stops it.
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
export function createSessionStore<T = SessionData>(config?: SessionStoreConfig): LocalStorageSessionStore<T> | MemorySessionStore<T>;

/** A managed session. `token` is the secret: it is set only by `create` and `refresh`, and `''` on sessions read back. */
export interface Session {
  id: string;
  userId: string;
  token: string;
  /** Lowercase hex SHA-256 of the token (64 characters): all that is stored. */
  tokenHash: string;
  createdAt: Date;
  expiresAt: Date;
  metadata?: Record<string, unknown>;
  revokedAt?: Date;
  slidingExpiration?: boolean;
  boundUserAgent?: string;
}

/** The fields of a session that are safe to expose. */
export type PublicSession = Pick<Session, 'id' | 'userId' | 'createdAt' | 'expiresAt' | 'metadata'>;

/** Why a token opens no session, checked in this order. */
export type ValidationError = 'invalid_token' | 'user_agent_mismatch' | 'session_revoked' | 'session_expired';

export interface ValidationResult {
  valid: boolean;
  /** Present when valid, with `token: ''`. */
  session?: Session;
  /** Present when not valid. */
  error?: ValidationError;
}

export interface CreateSessionOptions {
  userId: string;
  /** Lifetime in ms; the manager's `defaultExpiresIn` when absent. */
  expiresIn?: number;
  metadata?: Record<string, unknown>;
  /** Each successful `validate` moves the expiry to now + lifetime (never past the absolute timeout). */
  slidingExpiration?: boolean;
  /** Bound to the session when the manager has `bindToUserAgent`. */
  userAgent?: string;
}

/** Options of a `SessionManager`. All durations are in milliseconds. */
export interface SessionManagerConfig {
  /** Where sessions are kept. Default `'memory'`. */
  storage?: 'memory' | 'localStorage' | 'sessionStorage';
  /** Key prefix in Web Storage. Default `'session:'`. */
  prefix?: string;
  /** Lifetime of a session created without `expiresIn`. Default 24 hours. */
  defaultExpiresIn?: number;
  /** A session without a successful validate or refresh for this long is expired. Absent or 0: none. */
  inactivityTimeout?: number;
  /** A session this long after its creation is expired, whatever its use. Absent or 0: none. */
  absoluteTimeout?: number;
  /** Refuse a session's token from a user agent other than the one it was created with. */
  bindToUserAgent?: boolean;
}

/** The `code` of the errors a `SessionManager` rejects with. */
export type SessionManagerErrorCode =
  | 'SESSION_NOT_FOUND'
  | 'USER_AGENT_MISMATCH'
  | 'SESSION_REVOKED'
  | 'SESSION_EXPIRED'
  | 'INVALID_OPTIONS'
  | 'RANDOM_UNAVAILABLE'
  | SessionStoreErrorCode;

/** What a caller presents with a token: the user agent a bound session must match. */
export interface ValidationContext {
  userAgent?: string;
}

/** The `Error` a `SessionManager` rejects with. */
export interface SessionManagerError extends Error {
  code: SessionManagerErrorCode;
}

/** Creates, validates, rotates and revokes session tokens; storage holds only their hashes. */
export class SessionManager {
  /** @throws {SessionStoreError} with code `INVALID_CONFIG` */
  constructor(config?: SessionManagerConfig);
  /** Starts a session; the returned `token` is the only copy there will be. */
  create(options: CreateSessionOptions): Promise<Session>;
  /** Never rejects for a bad token: resolves `{ valid: false, error }`. */
  validate(token: string, context?: ValidationContext): Promise<ValidationResult>;
  /** After the checks of `validate`, with the same context, issues a new token; the old one is `invalid_token` from then on. Rejects with `SESSION_NOT_FOUND`, `USER_AGENT_MISMATCH`, `SESSION_REVOKED` or `SESSION_EXPIRED`, rotating nothing. */
  refresh(token: string, context?: ValidationContext): Promise<Session>;
  /** Revokes the session: it stays stored, and its token validates as `session_revoked`. */
  destroy(sessionId: string): Promise<void>;
  /** The user's sessions that are neither revoked nor expired, with `token: ''`. */
  listForUser(userId: string): Promise<Session[]>;
  /** Removes all of the user's sessions. */
  destroyAllForUser(userId: string): Promise<void>;
  /** Removes expired sessions (revoked ones included) and corrupt entries; resolves to how many. */
  cleanExpired(): Promise<number>;
  toPublicSession(session: Session): PublicSession;
  free(): void;
  [Symbol.dispose](): void;
}

/** 256 bits from the platform CSPRNG, base64url without padding (43 characters). */
export function generateSessionId(): string;
/** Lowercase hex SHA-256 of the token's UTF-8 bytes (64 characters), as @dotdo/workers computes it. */
export function hashToken(token: string): string;

// Only what is marked `export` above is exported: the shared base class exists in types only.
export {};
