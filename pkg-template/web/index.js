// Browsers and bundlers: the module is compiled and instantiated here, once, so that the classes
// work straight after `import` (no init call, as with @walletmesh/router's stores).
import init from './wasm_session_store.js';

await init({ module_or_path: new URL('./wasm_session_store_bg.wasm', import.meta.url) });

export * from './wasm_session_store.js';
