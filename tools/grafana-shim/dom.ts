/**
 * The browser around a frontend plugin, for Node: a jsdom window as the globals, the few APIs Grafana's packages
 * touch at import time (`matchMedia`, jsdom's own `Event` classes, `grafanaBootData`), and style or image imports
 * that load as empty modules. Call `installDom()` before the first import of `@grafana/*`.
 */
import globalJsdom from 'global-jsdom';

let installed = false;

/** Installs the DOM globals once per process; later calls do nothing. */
export function installDom(): void {
  if (installed) {
    return;
  }
  installed = true;

  globalJsdom('<!doctype html><html><body></body></html>', { url: 'http://grafana.local/', pretendToBeVisual: true });
  const scope = globalThis as unknown as Record<string, unknown> & { window: Record<string, unknown> };

  // Node has its own Event classes, which jsdom's EventTarget refuses; the page's classes must win.
  for (const name of ['Event', 'CustomEvent', 'EventTarget', 'MessageEvent', 'KeyboardEvent', 'MouseEvent']) {
    if (scope.window[name]) {
      scope[name] = scope.window[name];
    }
  }
  const matchMedia = (media: string) => ({
    matches: false,
    media,
    onchange: null,
    addListener: () => {},
    removeListener: () => {},
    addEventListener: () => {},
    removeEventListener: () => {},
    dispatchEvent: () => false,
  });
  scope.matchMedia = matchMedia;
  scope.window.matchMedia = matchMedia;
  scope.window.grafanaBootData = {
    assets: { dark: '', light: '' },
    settings: { buildInfo: { version: '12.4.10', edition: 'Open Source' }, featureToggles: {} },
    user: { orgId: 1, isSignedIn: true, login: 'admin', timezone: 'utc' },
    navTree: [],
  };

  // Grafana's packages import their stylesheets; in Node those load as empty modules.
  for (const extension of ['.css', '.scss', '.sass', '.svg', '.png']) {
    require.extensions[extension] = (module) => {
      module.exports = {};
    };
  }
}

/**
 * Runs `load` with console output held back: importing Grafana's packages prints banners and warnings that are not
 * the product's output (and would break a JSON report on stdout).
 */
export function quietly<T>(load: () => T): T {
  const saved = { log: console.log, info: console.info, warn: console.warn, error: console.error };
  console.log = console.info = console.warn = console.error = () => {};
  try {
    return load();
  } finally {
    Object.assign(console, saved);
  }
}
