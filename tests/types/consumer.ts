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

// The session manager.
import {
  SessionManager, generateSessionId, hashToken,
  type PublicSession, type Session, type SessionManagerError, type ValidationResult,
} from '../../target/js/node/wasm_session_store.js';

async function manage(): Promise<void> {
  const manager = new SessionManager({ storage: 'localStorage', inactivityTimeout: 900_000, absoluteTimeout: 86_400_000, bindToUserAgent: true });
  const session: Session = await manager.create({ userId: 'alice', metadata: { wallet: '0xabc' }, slidingExpiration: true, userAgent: 'Firefox' });
  const result: ValidationResult = await manager.validate(session.token, { userAgent: 'Firefox' });
  const error: 'invalid_token' | 'user_agent_mismatch' | 'session_revoked' | 'session_expired' | undefined = result.error;
  const rotated: Session = await manager.refresh(session.token);
  const mine: Session[] = await manager.listForUser('alice');
  const shown: PublicSession = manager.toPublicSession(rotated);
  const when: Date = shown.expiresAt;
  await manager.destroy(session.id);
  await manager.destroyAllForUser('alice');
  const id: string = generateSessionId();
  const hash: string = hashToken(session.token);
  try {
    await manager.refresh('stale');
  } catch (e) {
    const code: SessionManagerError['code'] = (e as SessionManagerError).code;
    console.log(code, error, mine, when, id, hash);
  }
  // @ts-expect-error storage is one of three names
  new SessionManager({ storage: 'indexedDB' });
  // @ts-expect-error a public session has no token
  console.log(shown.token);
  // @ts-expect-error create needs a userId
  await manager.create({ expiresIn: 1000 });
}
void manage;
