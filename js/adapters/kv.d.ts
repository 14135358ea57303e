import type { SessionStorageAdapter } from './index.js';

/** The part of a Workers KV namespace binding the KV adapter uses. */
export interface KvNamespaceLike {
  get(key: string): Promise<string | null>;
  put(key: string, value: string, options?: { expiration?: number; metadata?: unknown }): Promise<unknown>;
  delete(key: string): Promise<unknown>;
  list(options: { prefix: string; cursor?: string }): Promise<{ keys: { name: string; metadata?: unknown }[]; list_complete: boolean; cursor?: string }>;
}
/**
 * A Workers KV namespace as a storage adapter (`wasm-session-store/kv`, and the main entry under `workerd`): each entry expires in KV
 * at its session's deadline (at least 60 s ahead, KV's minimum), listing follows KV's cursor, and a manager's sessions are found
 * by user or session id from the metadata KV lists with each key.
 */
export function kvStorage(namespace: KvNamespaceLike): SessionStorageAdapter;
