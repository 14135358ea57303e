// The suite in an MV3 extension's service worker, where wallets keep their state: no
// localStorage, chrome.storage.local and IndexedDB.
import { run, sessions } from './backends.mjs';

self.run = run;
self.sessions = sessions;
