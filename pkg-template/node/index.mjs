// Node's `import`: the same CommonJS instance that `require` gives, so both share one module.
import { createRequire } from 'node:module';

const binding = createRequire(import.meta.url)('./wasm_session_store.js');

export const {
  MemorySessionStore,
  LocalStorageSessionStore,
  SessionStorageSessionStore,
  createSessionStore,
  SessionManager,
  generateSessionId,
  hashToken,
} = binding;
