// The suite in a dedicated module Worker: no localStorage here, IndexedDB is the store.
import { run } from './backends.mjs';

self.onmessage = async (event) => self.postMessage(await run(event.data));
