// The Redis adapter (the package's `./redis` entry): one Redis shared by many server processes as
// the storage of a SessionManager or a store. Entries expire in Redis at their deadline (PXAT). A
// call's writes land in one Lua script that first checks every entry the call read still holds
// what it read; when another process changed one meanwhile, nothing is written and the call runs
// again on fresh reads (optimistic concurrency). So a token rotates once however many processes
// refresh it at the same moment. The manager's sessions are indexed in Redis sets, per user and
// per session id, written in the same script: listing or ending a user's sessions, or revoking
// one session, reads its set, not the keyspace.

import { coded } from '../adapter.js';
import { storageView } from '../envelope.js';

/** Where the index sets live (then `user:<user id>` and `session:<session id>`), apart from the sessions. */
const DEFAULT_INDEX = 'wasm-session-store:';
/** Redis's own ceiling on one value (proto-max-bulk-len's default). */
const MAX_VALUE_BYTES = 512 * 1024 * 1024;
/** A second late rather than early: the module, not Redis, says when a session has ended. */
const EXPIRY_MARGIN_MS = 1_000;

// KEYS: the keys read, the keys written, the index sets changed. ARGV: how many of the first two;
// per read key its expectation ('1' and the text it held, or '0' and ''); per write '1' (set) or
// '0' (remove), the text and its PXAT ('' for none); per index change '+' or '-', the member key
// and the member's PXAT. All checks come before the first write: a refused call changes nothing.
const COMMIT = `#!lua
local reads, writes = tonumber(ARGV[1]), tonumber(ARGV[2])
local at = 3
for i = 1, reads do
  local held = redis.call('GET', KEYS[i])
  if ARGV[at] == '1' then
    if held ~= ARGV[at + 1] then return 0 end
  elseif held then
    return 0
  end
  at = at + 2
end
for i = at + 2, #ARGV, 3 do
  if ARGV[i] ~= '' and not string.match(ARGV[i], '^%d+$') then return redis.error_reply('ERR an expiry is no whole number of ms') end
end
for i = reads + writes + 1, #KEYS do
  local kind = redis.call('TYPE', KEYS[i]).ok
  if kind ~= 'set' and kind ~= 'none' then return redis.error_reply('WRONGTYPE an index key holds a ' .. kind) end
end
for i = reads + 1, reads + writes do
  if ARGV[at] == '0' then
    redis.call('DEL', KEYS[i])
  elseif ARGV[at + 2] == '' then
    redis.call('SET', KEYS[i], ARGV[at + 1])
  else
    redis.call('SET', KEYS[i], ARGV[at + 1], 'PXAT', ARGV[at + 2])
  end
  at = at + 3
end
for i = reads + writes + 1, #KEYS do
  if ARGV[at] == '-' then
    redis.call('SREM', KEYS[i], ARGV[at + 1])
  else
    redis.call('SADD', KEYS[i], ARGV[at + 1])
    -- The set lives as long as its longest-lived member.
    local ends = redis.call('PEXPIRETIME', KEYS[i])
    if ARGV[at + 2] == '' then
      redis.call('PERSIST', KEYS[i])
    elseif (ends >= 0 and ends < tonumber(ARGV[at + 2])) or (ends == -1 and redis.call('SCARD', KEYS[i]) == 1) then
      redis.call('PEXPIREAT', KEYS[i], ARGV[at + 2])
    end
  end
  at = at + 3
end
return 1`;

// An index set's members whose entries are still there; the others (expired in Redis) are dropped.
const LIVE_MEMBERS = `#!lua
local live = {}
for _, key in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('EXISTS', key) == 1 then live[#live + 1] = key else redis.call('SREM', KEYS[1], key) end
end
return live`;

/**
 * `{ getItem, setItem, removeItem, keys, commit, indexedKeys }` over a connected Redis client: node-redis
 * (`createClient`) or ioredis. `options.index` names where the index sets live; `options.maxValueBytes`
 * is the largest entry Redis takes (its proto-max-bulk-len, 512 MiB unless lowered).
 */
export function redisStorage(client, options) {
  const index = typeof options?.index === 'string' ? options.index : DEFAULT_INDEX;
  const maxBytes = options?.maxValueBytes ?? MAX_VALUE_BYTES;
  // `args` as one array: a call's script may take more keys than a function takes arguments.
  const sendArray = async (args) => {
    try {
      return await (typeof client.call === 'function' ? client.call(args[0], args.slice(1)) : client.sendCommand(args.map(String)));
    } catch (error) {
      // Not connected (node-redis `isReady`, ioredis `status`): the server is out of reach.
      if (client.isReady === false || (typeof client.status === 'string' && client.status !== 'ready')) {
        throw coded('Redis is not reachable', 'STORAGE_UNAVAILABLE');
      }
      throw error;
    }
  };
  const send = (...args) => sendArray(args);
  const indexOf = (field, value) => `${index}${field}:${value}`;
  // Scripts run by their SHA1 once loaded (not 1.5 KB sent and hashed per call); loaded again
  // when Redis has forgotten them (a restart).
  const loaded = new Map();
  const script = async (body, keys, args) => {
    for (let attempt = 0; ; attempt++) {
      if (!loaded.has(body)) loaded.set(body, String(await send('SCRIPT', 'LOAD', body)));
      try {
        return await sendArray(['EVALSHA', loaded.get(body), keys.length].concat(keys, args));
      } catch (error) {
        if (attempt > 0 || !String(error?.message).startsWith('NOSCRIPT')) throw error;
        loaded.delete(body);
      }
    }
  };
  const landed = (read, writes) => {
    // Redis drops the connection of a command past its limit: refused here instead, coded.
    for (const [, text] of writes) {
      if (text !== null && text.length * 3 > maxBytes && new TextEncoder().encode(text).length > maxBytes) {
        throw coded(`A session entry is larger than Redis takes (${maxBytes} bytes)`, 'STORAGE_ERROR');
      }
    }
    return commit(script, read, writes, indexOf);
  };
  // One write alone, its index kept: what the key holds is read and must not change meanwhile.
  const writeOne = async (key, text) => {
    for (let attempt = 0; attempt < 64; attempt++) {
      const held = await send('GET', key);
      if (await landed([[key, held]], [[key, text, held]])) return;
    }
    throw coded('The entry kept changing under this write; try again', 'STORAGE_CONFLICT');
  };
  // A session key under the index namespace would be listed as nothing and could collide with an
  // index set: refused, coded, before Redis is asked anything.
  const own = (key) => {
    if (String(key).startsWith(index)) {
      throw coded(`The store's prefix lies under the Redis adapter's index namespace ("${index}"): give the store another prefix, or redisStorage another index`, 'STORAGE_ERROR');
    }
    return key;
  };
  return {
    getItem: async (key) => send('GET', own(key)),
    setItem: async (key, value) => writeOne(own(key), value),
    removeItem: async (key) => writeOne(own(key), null),
    keys: async (prefix) => {
      own(prefix);
      const keys = [];
      let cursor = '0';
      do {
        const [next, page] = await send('SCAN', cursor, 'MATCH', `${globEscaped(prefix)}*`, 'COUNT', 1000);
        for (const key of page) if (!key.startsWith(index)) keys.push(String(key));
        cursor = String(next);
      } while (cursor !== '0');
      return keys;
    },
    /** Lands `writes` ([key, text or null, what it held]) if every key of `read` still holds its text. */
    commit: async (writes, read) => {
      for (const [key] of writes) own(key);
      for (const [key] of read) own(key);
      return landed([...read], writes);
    },
    /** The keys under `prefix` of the sessions of one user or session id, from its index set. */
    indexedKeys: async (prefix, field, value) => {
      own(prefix);
      // One round trip, however many members.
      const live = await script(LIVE_MEMBERS, [indexOf(field, value)], []);
      return live.map(String).filter((key) => key.startsWith(prefix));
    },
  };
}

/**
 * One COMMIT: `read` as [key, text or null], `writes` as [key, text or null, what it held];
 * resolves whether it landed. Each write's index changes follow from the sets of what the key held
 * and of what it will hold.
 */
async function commit(script, read, writes, indexOf) {
  const keys = [];
  const args = [];
  for (const [key, text] of read) {
    keys.push(key);
    args.push(text === null ? '0' : '1', text ?? '');
  }
  const changes = [];
  for (const [key, text, held] of writes) {
    keys.push(key);
    const { until: end, indexes: after } = storageView(text, EXPIRY_MARGIN_MS);
    args.push(text === null ? '0' : '1', text ?? '', end === undefined ? '' : String(end));
    const before = storageView(held, EXPIRY_MARGIN_MS).indexes;
    for (const [field, value] of before) {
      if (!after.some(([f, v]) => f === field && v === value)) changes.push([indexOf(field, value), '-', key, '']);
    }
    for (const [field, value] of after) changes.push([indexOf(field, value), '+', key, end === undefined ? '' : String(end)]);
  }
  for (const [set, op, member, end] of changes) {
    keys.push(set);
    args.push(op, member, end);
  }
  const landed = await script(COMMIT, keys, [read.length, writes.length, ...args]);
  return Number(landed) === 1;
}

/** `prefix` matched literally by SCAN's glob. */
function globEscaped(prefix) {
  return prefix.replace(/[*?[\]\\]/g, '\\$&');
}
