// What localStorage holds under the store's prefix, shown as it is, with live countdowns.
export const PREFIX = 'wm_session_';

/** The raw entries, read without going through the store (reading never refreshes them). */
export function storedEntries() {
  const entries = [];
  for (let index = 0; index < localStorage.length; index += 1) {
    const key = localStorage.key(index);
    if (!key?.startsWith(PREFIX)) continue;
    try {
      const { data, expiresAt = null, createdAt = null } = JSON.parse(localStorage.getItem(key));
      entries.push({ id: key.slice(PREFIX.length), data, expiresAt, createdAt });
    } catch {
      entries.push({ id: key.slice(PREFIX.length), corrupt: true });
    }
  }
  return entries;
}

/** When the entry stops being valid: its expiry, or its absolute deadline if that comes first. */
export function deadline(entry, absoluteLifetimeMs) {
  const ends = [entry.expiresAt];
  if (absoluteLifetimeMs && entry.createdAt !== null) ends.push(entry.createdAt + absoluteLifetimeMs);
  const known = ends.filter((end) => typeof end === 'number');
  return known.length ? Math.min(...known) : null;
}

/** "4:59", "expired" or "never". */
export function remaining(end, now) {
  if (end === null) return 'never';
  if (now > end) return 'expired';
  const seconds = Math.ceil((end - now) / 1000);
  const hours = Math.floor(seconds / 3600);
  const clock = `${Math.floor((seconds % 3600) / 60)}:${String(seconds % 60).padStart(2, '0')}`;
  return hours ? `${hours}:${clock.padStart(5, '0')}` : clock;
}

export function renderSessions(tbody, empty, entries, now, absoluteLifetimeMs) {
  empty.hidden = entries.length > 0;
  tbody.replaceChildren(...entries.map((entry) => {
    const row = document.createElement('tr');
    if (entry.corrupt) {
      row.innerHTML = '<td class="mono"></td><td colspan="3" class="muted">corrupt entry</td>';
      row.firstChild.textContent = shortId(entry.id);
      return row;
    }
    const left = remaining(deadline(entry, absoluteLifetimeMs), now);
    row.dataset.state = left === 'expired' ? 'expired' : 'live';
    for (const text of [shortId(entry.id), entry.data?.origin ?? '—', Object.keys(entry.data?.permissions ?? {}).join(', ') || '—', left]) {
      const cell = document.createElement('td');
      cell.textContent = text;
      row.append(cell);
    }
    row.firstChild.className = 'mono';
    row.lastChild.className = 'countdown';
    return row;
  }));
}

function shortId(id) {
  return id.length > 14 ? `${id.slice(0, 8)}…${id.slice(-4)}` : id;
}
