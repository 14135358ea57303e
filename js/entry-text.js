// An entry's text made and read in JavaScript, one call into it each way: the module decides what
// the times are (src/web/envelope.rs), this joins and parses the text. Each step done from the
// module instead cost an import call of its own (a set of localStorage made 18, a get 34).
// Times cross as numbers, NaN for none.

/** `JSON.stringify({ data, expiresAt, createdAt, deadline })` byte for byte, without the absent times; undefined when `data` has no JSON form. */
export function entryText(data, expiresAt, createdAt, deadline) {
  try {
    const json = JSON.stringify(data);
    if (json === undefined) return undefined;
    let text = '{"data":' + json;
    if (expiresAt === expiresAt) text += ',"expiresAt":' + JSON.stringify(expiresAt);
    if (createdAt === createdAt) text += ',"createdAt":' + JSON.stringify(createdAt);
    if (deadline === deadline) text += ',"deadline":' + JSON.stringify(deadline);
    return text + '}';
  } catch {
    return undefined; // A throwing toJSON, a cycle, a BigInt, or text past the engine's longest string.
  }
}

/**
 * The envelope stored under `key`: null when the key holds nothing (missing or empty), undefined
 * when its text is no object with data (a corrupt entry). `storage.getItem`'s own failure throws.
 */
export function storedEnvelope(storage, key) {
  const text = storage.getItem(key);
  return text === null || text === undefined || text === '' ? null : envelopeOf(text);
}

/** The envelope of an entry's text: an object with data; undefined when the text is anything else. */
export function envelopeOf(text) {
  let envelope;
  try {
    envelope = JSON.parse(text);
  } catch {
    return undefined;
  }
  return typeof envelope === 'object' && envelope !== null && envelope.data !== undefined ? envelope : undefined;
}

/**
 * The entry's expiresAt as `storedTime` gives it, when it has no other time (most entries); -Infinity
 * when it has createdAt or deadline too, which are then read one by one.
 */
export function storedExpiry(envelope) {
  return envelope.createdAt == null && envelope.deadline == null ? storedTime(envelope, 'expiresAt') : -Infinity;
}

/** A stored time: NaN when absent or null, Infinity when it is no finite number (a corrupt entry). */
export function storedTime(envelope, name) {
  const time = envelope[name];
  if (time === undefined || time === null) return NaN;
  return typeof time === 'number' && Number.isFinite(time) ? time : Infinity;
}

/** The envelope's text with new times (NaN removes one), its data and any other fields kept. */
export function rewrittenText(envelope, expiresAt, createdAt, deadline) {
  const times = { expiresAt, createdAt, deadline };
  for (const name in times) {
    if (times[name] === times[name]) envelope[name] = times[name];
    else delete envelope[name];
  }
  try {
    return JSON.stringify(envelope);
  } catch {
    return undefined;
  }
}
