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
  /** Where sessions are kept: a Web Storage area, or a storage adapter (`indexedDbStorage()`, `extensionStorage()`, your own). Default `'memory'`. */
  storage?: 'memory' | 'localStorage' | 'sessionStorage' | SessionStorageAdapter;
  /** Over an adapter: how long one adapter call may take, in whole ms from 1 to 2,147,483,647, before the call rejects `STORAGE_TIMEOUT`; over an adapter or `'localStorage'`: how long a call waits for another tab's hold of the manager's Web Lock before it rejects `LOCK_TIMEOUT`. `Infinity` for no limit. Default 10,000. */
  timeout?: number;
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
  /** For this long after a `refresh`, a second `refresh` of the old token (another tab's, racing) rotates nothing and gets the session as rotated, new token included. 0: none. Default 10,000. */
  rotationGrace?: number;
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
  /** After the checks of `validate`, with the same context, issues a new token; the old one is `invalid_token` from then on (within `rotationGrace`, `refresh` of the old token answers with the rotated session). Rejects with `SESSION_NOT_FOUND`, `USER_AGENT_MISMATCH`, `SESSION_REVOKED`, `SESSION_EXPIRED` or `CORRUPT_ENTRY`, rotating nothing. */
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
