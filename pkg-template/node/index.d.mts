export * from './wasm_session_store.js';
