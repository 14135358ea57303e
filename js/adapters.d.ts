
/**
 * Where an adapter store keeps its entries: any key-value store, in the shape wagmi's and zustand's
 * storages have. Each method may return its value or a Promise of it. Values are the stored entry
 * texts (`{"data":…,"expiresAt":…}`).
 */
export interface SessionStorageAdapter {
  /** The text stored under `key`; `null` or `undefined` when there is none. */
  getItem(key: string): string | null | undefined | PromiseLike<string | null | undefined>;
  setItem(key: string, value: string): unknown;
  removeItem(key: string): unknown;
  /** The keys that start with `prefix` (returning more is allowed: they are filtered). */
  keys(prefix: string): readonly string[] | PromiseLike<readonly string[]>;
  /**
   * A name every tab and worker that sees this same storage shares. With it, a store's `subscribe`
   * hears the changes other tabs make (relayed over a `BroadcastChannel`); without it, only its own.
   * The built-in adapters set it.
   */
  readonly channel?: string;
  /**
   * The storage's own change event, if it has one: calls `listener` for every change, whoever made
   * it (this store too), and returns the function that stops it. With it, a store's `subscribe`
   * hears other writers' changes through it and needs no `channel`. `extensionStorage` has it.
   */
  watch?(listener: (key: string, oldValue: string | undefined, newValue: string | undefined) => void): () => void;
  /**
   * For storage shared by processes that hold no common lock (a server's Redis): lands a call's
   * writes (`[key, text or null to remove, what the key held]`, in order) at once, only if every
   * key of `read` still holds the text it was read with (`null`: absent). Resolves `false`, having
   * written nothing, when one changed: the call then runs again on fresh reads (64 times at most,
   * then `STORAGE_CONFLICT`). Without it, writes go one by one through `setItem`/`removeItem`.
   * `redisStorage` has it.
   */
  commit?(writes: readonly (readonly [string, string | null, string | null])[], read: ReadonlyMap<string, string | null>): boolean | PromiseLike<boolean>;
  /**
   * The keys under `prefix` of a manager's sessions of one user (`field` 'user': for `listForUser`
   * and `destroyAllForUser`) or of one session id (`field` 'session': for `destroy`); returning
   * more is allowed. Without it those calls read every key. `redisStorage` has it.
   */
  indexedKeys?(prefix: string, field: 'user' | 'session', value: string): readonly string[] | PromiseLike<readonly string[]>;
}

/** Options of a store over an adapter. */
export interface AdapterSessionStoreConfig extends SessionStoreConfig {
  storage: SessionStorageAdapter;
  /** How long one adapter call may take, in whole ms from 1 to 2,147,483,647, before the call rejects `STORAGE_TIMEOUT`, and how long a call waits for another tab's hold of the store's Web Lock before it rejects `LOCK_TIMEOUT`; `Infinity` for no limit. Default 10,000. */
  timeout?: number;
}

/** Where `indexedDbStorage` keeps entries. */
export interface IndexedDbStorageOptions {
  /** Database name. Default `'wasm-session-store'`. */
  database?: string;
  /** Object store name, created when missing. Default `'sessions'`. */
  objectStore?: string;
  /** The IndexedDB factory to use. Default `globalThis.indexedDB`. */
  indexedDB?: { open(name: string, version?: number): unknown };
}

/** The part of `chrome.storage.local` / `browser.storage.local` the extension adapter uses. */
export interface ExtensionStorageArea {
  get(keys: string | null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<unknown>;
  remove(keys: string): Promise<unknown>;
  getKeys?(): Promise<string[]>;
  onChanged?: {
    addListener(listener: (changes: Record<string, { oldValue?: unknown; newValue?: unknown }>) => void): void;
    removeListener(listener: (changes: Record<string, { oldValue?: unknown; newValue?: unknown }>) => void): void;
  };
}

/** Where `extensionStorage` keeps entries. */
export interface ExtensionStorageOptions {
  /** The storage area. Default `browser.storage.local`, else `chrome.storage.local`. */
  area?: ExtensionStorageArea;
}

/**
 * Sessions in any `SessionStorageAdapter`. Calls take effect in call order whatever the adapter's
 * latency; `set` keeps its data as it was when called.
 */
export class AdapterSessionStore<T = SessionData> extends WasmSessionStore<T, 'adapter'> {
  /** @throws {SessionStoreError} with code `INVALID_CONFIG` */
  constructor(config: AdapterSessionStoreConfig);
}
/** Sessions in IndexedDB, in a page, a Worker or a Service Worker. */
export class IndexedDbSessionStore<T = SessionData> extends WasmSessionStore<T, 'indexedDB'> {
  /** @throws {SessionStoreError} with code `INVALID_CONFIG` */
  constructor(config?: SessionStoreConfig & IndexedDbStorageOptions & { timeout?: number });
}
/** Sessions in an extension's `storage.local`, from its service worker or its pages. */
export class ExtensionSessionStore<T = SessionData> extends WasmSessionStore<T, 'extension'> {
  /** @throws {SessionStoreError} with code `INVALID_CONFIG` */
  constructor(config?: SessionStoreConfig & ExtensionStorageOptions & { timeout?: number });
}

/** A store over the config's adapter. */
export function createSessionStore<T = SessionData>(config: AdapterSessionStoreConfig): AdapterSessionStore<T>;
/** The IndexedDB adapter that `IndexedDbSessionStore` uses, for a `SessionManager` or your own store. */
export function indexedDbStorage(options?: IndexedDbStorageOptions): SessionStorageAdapter;
/** The extension-storage adapter that `ExtensionSessionStore` uses. */
export function extensionStorage(options?: ExtensionStorageOptions): SessionStorageAdapter;
/**
 * This origin's localStorage as an adapter: a store over it queues its calls and holds the
 * prefix's Web Lock from first read to last write, so no tab writes between another's read and
 * write. Use it in every tab that shares the prefix. `LocalStorageSessionStore` stays synchronous.
 */
export function lockedLocalStorage(): SessionStorageAdapter;

/**
 * Moves the sessions of `from` into `to` (Web Storage or adapter stores), times kept. Idempotent;
 * an interruption anywhere loses nothing; a marker in `to` records that the move is complete.
 * Calls on `to` made afterwards wait for it.
 */
export function migrateSessions(
  from: SessionStore<unknown> & { readonly kind: string },
  to: SessionStore<unknown> & { readonly kind: string },
): Promise<{ moved: number; removed: number }>;
