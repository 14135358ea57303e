// The main entry for Cloudflare Workers (the `workerd` export condition): the same exports, with
// the module imported as a `.wasm` (Workers refuse to compile WebAssembly from bytes at run time),
// and the Workers KV adapter.
export * from './index.js';
export { kvStorage } from './adapters/kv.js';
