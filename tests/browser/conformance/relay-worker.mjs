// A dedicated Worker with an IndexedDB store beside a page's: each hears the other's changes.
import { sessions } from './backends.mjs';

const store = new sessions.IndexedDbSessionStore({ database: 'relay', prefix: 'w:', lifetime: 60_000 });
const heard = [];
store.subscribe((event) => heard.push(event));
self.onmessage = async ({ data }) => {
  if (data === 'write') {
    await store.set('from-worker', { by: 'worker' });
    await store.delete('gone');
  }
  self.postMessage(heard);
};
