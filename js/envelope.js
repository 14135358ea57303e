// The stored envelope, the one codec of the web build: an entry's text is
// `{"data": …, "expiresAt": …}` (with `createdAt` and `deadline` when kept), the format of
// @walletmesh/router. Every store reads and writes its entries here (`js/web-storage-sessions.js`),
// the session manager's module too (through that file), and the server adapters read them here.
// Times cross as numbers, NaN for none; a time is valid when absent, null or a finite number, as
// src/record.rs decodes it (the golden corpus in tests/golden/ holds both to the same reading).

/** A session as a store holds it: its data and its times (NaN for none); read from storage, the
 *  envelope it came in and its key; in memory, its quiet window (see src/web/decisions.rs). */
export class Session {
  constructor(data, expiresAt, createdAt, deadline) {
    this.data = data;
    this.expiresAt = expiresAt;
    this.createdAt = createdAt;
    this.deadline = deadline;
    /** Whether reading it needs the clock: undefined until the module has said. */
    this.timed = undefined;
    this.quietFrom = NaN;
    this.quietUntil = NaN;
    this.envelope = undefined;
    this.key = undefined;
  }
}

/** What a store reads for an entry that is not an envelope with data and valid times. */
export const CORRUPT = null;

/** The envelope's time fields (`record.rs`'s names), in the order the module passes them. */
const TIMES = ['expiresAt', 'createdAt', 'deadline'];

/** `JSON.stringify({ data, expiresAt, createdAt, deadline })` byte for byte, without the absent times; undefined when `data` has no JSON form. */
export function entryText(data, expiresAt, createdAt, deadline) {
  try {
    const json = JSON.stringify(data);
    if (json === undefined) return undefined;
    return `{"data":${json}${timeText(0, expiresAt)}${timeText(1, createdAt)}${timeText(2, deadline)}}`;
  } catch {
    return undefined; // A throwing toJSON, a cycle, a BigInt, or text past the engine's longest string.
  }
}

/** `,"name":time` for the time at place `at` of TIMES, or nothing when it is NaN (none). */
function timeText(at, time) {
  return time === time ? `,"${TIMES[at]}":${JSON.stringify(time)}` : '';
}

/**
 * An entry's text as a Session: undefined when it holds nothing (missing or empty), CORRUPT when
 * it is no envelope with data and valid times.
 */
export function decodeEntry(text) {
  if (text === null || text === undefined || text === '') return undefined;
  const envelope = envelopeOf(text);
  if (envelope === undefined) return CORRUPT;
  const expiresAt = storedTime(envelope, 0);
  const createdAt = storedTime(envelope, 1);
  const deadline = storedTime(envelope, 2);
  if (expiresAt === Infinity || createdAt === Infinity || deadline === Infinity) return CORRUPT;
  const session = new Session(envelopeData(envelope), expiresAt, createdAt, deadline);
  session.envelope = envelope;
  return session;
}

/** The envelope of an entry's text: an object with data; undefined when the text is anything else. */
function envelopeOf(text) {
  let envelope;
  try {
    envelope = JSON.parse(text);
  } catch {
    return undefined;
  }
  return typeof envelope === 'object' && envelope !== null && envelopeData(envelope) !== undefined ? envelope : undefined;
}

// The reads below never throw into the module: a getter someone put on Object.prototype may.

/** The envelope's data (undefined when reading it throws). */
function envelopeData(envelope) {
  try {
    return envelope.data;
  } catch {
    return undefined;
  }
}

/** The time at place `at` of TIMES: NaN when absent or null, Infinity when it is no finite number (a corrupt entry). */
function storedTime(envelope, at) {
  let time;
  try {
    time = envelope[TIMES[at]];
  } catch {
    return Infinity;
  }
  if (time === undefined || time === null) return NaN;
  return typeof time === 'number' && Number.isFinite(time) ? time : Infinity;
}

/** The last millisecond a `Date` holds (the year 275760). */
const LATEST_END = 8.64e15;

/**
 * What a server adapter needs of an entry's text (js/adapters/): `until`, the time (ms)
 * until which the storage must keep it, `margin` ms after the session's end as the module wrote it
 * and never less than `margin` from now (undefined when it has no end, or the text is corrupt);
 * and `indexes`, the `[field, value]` pairs a manager's session is listed under (its user and its
 * id; a rotated token's forward, which names a successor, is in no index).
 */
export function storageView(text, margin) {
  const envelope = typeof text === 'string' ? envelopeOf(text) : undefined;
  if (envelope === undefined) return { until: undefined, indexes: [] };
  const end = storedTime(envelope, 0);
  // A whole number of ms, and no later than the last time a Date holds: Redis and KV refuse
  // an expiry past what their integers take (1e21 is written "1e+21"), which is never anyway.
  const until = Number.isFinite(end) ? Math.min(Math.ceil(Math.max(end, Date.now()) + margin), LATEST_END) : undefined;
  const data = envelopeData(envelope);
  const session = typeof data?.tokenHash === 'string' && typeof data.userId === 'string' && typeof data.id === 'string' && data.successor === undefined;
  return { until, indexes: session ? [['user', data.userId], ['session', data.id]] : [] };
}

/** The envelope's text with new times (NaN removes one), its data and any other fields kept. */
export function rewrittenText(envelope, expiresAt, createdAt, deadline) {
  try {
    setTime(envelope, 0, expiresAt);
    setTime(envelope, 1, createdAt);
    setTime(envelope, 2, deadline);
    return JSON.stringify(envelope);
  } catch {
    return undefined;
  }
}

/** Sets the time at place `at` of TIMES, or removes it when it is NaN (none). */
function setTime(envelope, at, time) {
  if (time === time) envelope[TIMES[at]] = time;
  else delete envelope[TIMES[at]];
}
