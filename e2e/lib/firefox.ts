// Firefox for the end-to-end suites: the Marionette driver lives in the test fixture
// (testing/firefoxDriver.ts, which other people's suites install); this module re-exports it, so
// the suites keep importing './lib/firefox'.
export * from '../../testing/firefoxDriver';
