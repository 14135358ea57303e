// The suite in a Service Worker that a page registers (a PWA's or a dApp's), where there is no
// localStorage and IndexedDB is the store. The page asks over a MessageChannel.
import { run } from './backends.mjs';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
self.addEventListener('message', (event) => {
  const [port] = event.ports;
  event.waitUntil(run(event.data).then((results) => port.postMessage(results), (error) => port.postMessage({ error: String(error) })));
});
