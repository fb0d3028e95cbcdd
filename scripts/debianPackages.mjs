// The Debian packages Latchkey's commands need, in one place. scripts/setup.mjs installs whichever
// are missing before `npm start` / `npm test` (apt-get, when run as root). Add a package the tests
// need to TEST_PACKAGES, one per line, with what uses it.

/** The browsers. A path in the environment variable replaces the package (the person's own build). */
export const BROWSERS = [
  { package: 'chromium', env: 'CHROMIUM_PATH', path: '/usr/bin/chromium', neededBy: ['start', 'test'] },
  { package: 'firefox-esr', env: 'FIREFOX_PATH', path: '/usr/bin/firefox-esr', neededBy: ['test'] },
];

/** What the tests use besides the browsers (`npm test` only). */
export const TEST_PACKAGES = [
  'python3-fido2', // relying-party library (Python): verifies Latchkey's passkeys in e2e
  'ruby-webauthn', // relying-party library (Ruby): verifies them too
  'apache2', // a real WebDAV server (mod_dav) for sync
  'keepassxc', // keepassxc-cli opens the KDBX files Latchkey exports
  'openssl', // a throwaway certificate for the related-origins server (e2e/relatedOrigins.e2e.test.ts)
  'chromium-l10n', // Chromium's own locale data: without it the browser (and Latchkey's _locales) stays English (e2e/i18n.e2e.test.ts, German)
  'firefox-esr-l10n-fr', // Firefox's French language pack, for intl.locale.requested = fr (e2e/i18n.e2e.test.ts, French)
];
