import type { SessionStorageAdapter } from './index.js';

/** A connected Redis client: node-redis (`createClient().connect()`) or ioredis. */
export type RedisClientLike =
  | { sendCommand(args: string[]): Promise<unknown>; isReady?: boolean }
  | { call(command: string, ...args: (string | number)[]): Promise<unknown>; status?: string };

export interface RedisStorageOptions {
  /** Where the index sets live, apart from the sessions: this, then `user:<user id>` or `session:<session id>`. Default `'wasm-session-store:'`. */
  index?: string;
  /** The largest entry this Redis takes, in bytes (its `proto-max-bulk-len`); larger ones reject `STORAGE_ERROR`. Default 512 MiB. */
  maxValueBytes?: number;
}

/**
 * Redis as a storage adapter for a `SessionManager` or a store, shared by many server processes:
 * each entry expires in Redis at its deadline (PXAT); a call's writes land at once, only if what
 * it read is unchanged (else it runs again), so a token rotates once across processes; a
 * manager's sessions are indexed per user, so `listForUser` and `destroyAllForUser` read the
 * user's set, not the keyspace. Connection failures reject `STORAGE_UNAVAILABLE`.
 */
export function redisStorage(client: RedisClientLike, options?: RedisStorageOptions): SessionStorageAdapter;
