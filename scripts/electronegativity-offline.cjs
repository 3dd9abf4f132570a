// Preloaded into electronegativity (node --require) so it runs offline: its
// i18n module fetches translations with `got` at start, and offline that
// request's retry crashes the process after the scan. Here `got` rejects at
// once, so the tool falls back to its bundled English texts.
const Module = require('node:module');
const load = Module._load;
Module._load = function (request, parent, isMain) {
  if (request === 'got' && parent && /electronegativity[\\/]dist[\\/]locales/.test(parent.filename)) {
    return () => Promise.reject(new Error('offline: translations are not fetched'));
  }
  return load.call(this, request, parent, isMain);
};
