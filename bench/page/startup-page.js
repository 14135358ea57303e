// The start-up page's script, for ours and the baseline alike: from navigation start to the first
// getAll() result over 100 stored sessions (fetch, parse, compile and instantiate included).
import { LocalStorageSessionStore } from 'session-store';

new LocalStorageSessionStore({ prefix: 'startup_' }).getAll().then((sessions) => {
  window.startup = { ms: performance.now(), sessions: sessions.size };
});
