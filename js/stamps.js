// The keys of the cross-tab stamps `js/caught-up.js` leaves in localStorage: never a session,
// whatever a store's prefix (`w`, `wasm` and the like would otherwise take them for one).

/** The stamp key of the lock named `name` (`wasm-session-store <prefix>`). */
export const stampKey = (name) => `${name} stamp`;

/** Whether a localStorage key is one of these stamps. */
export const isStampKey = (key) => key.startsWith('wasm-session-store ') && key.endsWith(' stamp');
