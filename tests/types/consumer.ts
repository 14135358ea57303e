// Compiled with `tsc --strict` against the built package: the public types say what the API does.
import {
  LocalStorageSessionStore, MemorySessionStore, SessionStorageSessionStore,
  type SessionData, type SessionStore, type SessionStoreError,
} from '../../target/js/node/wasm_session_store.js';

const store = new LocalStorageSessionStore({ lifetime: 60_000, refreshOnAccess: true, absoluteLifetime: 3_600_000, prefix: 'app:' });
const kind: 'localStorage' = store.kind;
const asInterface: SessionStore = store;

async function use(): Promise<void> {
  await store.set('id', { id: 'id', origin: 'https://dapp.example', permissions: { 'eip155:1': ['eth_accounts'] } });
  const one: SessionData | undefined = await store.get('id');
  const all: Map<string, SessionData> = await store.getAll();
  const removed: number = await store.cleanExpired();
  const checked: SessionData | undefined = await store.validateAndRefresh('id');
  await store.delete('id');
  await store.clear();

  const typed = new MemorySessionStore<{ counter: number }>();
  await typed.set('a', { counter: 1 });
  const counter: number | undefined = (await typed.get('a'))?.counter;

  try {
    await new SessionStorageSessionStore().get('a');
  } catch (e) {
    const code: SessionStoreError['code'] = (e as SessionStoreError).code;
    console.log(code, one, all, removed, checked, counter, kind, asInterface);
  }

  // @ts-expect-error lifetime is a number of milliseconds
  new MemorySessionStore({ lifetime: '1000' });
  // @ts-expect-error session ids are strings
  await store.set(1, { id: 'x', origin: 'y' });
  // @ts-expect-error session data needs an origin
  await store.set('x', { id: 'x' });
  // @ts-expect-error kind is read-only
  store.kind = 'localStorage';
  // @ts-expect-error the typed store refuses other data
  await typed.set('b', { counter: 'one' });
}
void use;
