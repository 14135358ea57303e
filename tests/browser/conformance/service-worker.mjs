// The suite in an MV3 extension's service worker, where wallets keep their state: no
// localStorage, chrome.storage.local and IndexedDB.
import { run } from './backends.mjs';

self.run = run;
