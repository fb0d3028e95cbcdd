// The extension API for the background and the extension's own pages: the browser's `browser`
// object where it has one (Firefox; Chrome since it gained the namespace), otherwise
// webextension-polyfill's promise-based wrapper of `chrome` (the polyfill decides which).
// Why a CommonJS file instead of `import browser from 'webextension-polyfill'` in each module: the
// bundler turns that default import of a CommonJS package into a copy of every property of the
// object it exports, and for the browser's own `browser` object reading each property's descriptor
// builds the bindings of every API namespace. That was 7-11 ms of a just-started service worker,
// on the path of the ceremony that woke it (bench/coldfloor.bench.ts; bench/RESULTS.md "Fifth round:
// cold start"). Required from CommonJS, the package's export is used as it is.
'use strict';
exports.browser = require('webextension-polyfill');
