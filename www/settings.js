// The store policy chosen in the page, kept under its own key (outside the store's prefix).
const KEY = 'demo:settings';
const DEFAULTS = { lifetime: 300, refreshOnAccess: true, absoluteLifetime: 3600 };

/** The settings of a first visit, in seconds. */
export function defaultSettings() {
  return { ...DEFAULTS };
}

/** The saved settings, in seconds, as saved: the store's constructor is what checks them. */
export function loadSettings() {
  try {
    return { ...DEFAULTS, ...JSON.parse(localStorage.getItem(KEY) ?? '{}') };
  } catch {
    return { ...DEFAULTS };
  }
}

export function saveSettings(settings) {
  localStorage.setItem(KEY, JSON.stringify(settings));
}

/** The SessionStoreConfig (milliseconds) for settings in seconds. */
export function storeConfig({ lifetime, refreshOnAccess, absoluteLifetime }) {
  return { lifetime: lifetime * 1000, refreshOnAccess, absoluteLifetime: absoluteLifetime * 1000 };
}

export function fillForm(form, settings) {
  form.lifetime.value = settings.lifetime;
  form.refreshOnAccess.checked = settings.refreshOnAccess;
  form.absoluteLifetime.value = settings.absoluteLifetime;
}

export function readForm(form) {
  return {
    lifetime: Number(form.lifetime.value),
    refreshOnAccess: form.refreshOnAccess.checked,
    absoluteLifetime: Number(form.absoluteLifetime.value),
  };
}
