// The Marionette client lives in the test fixture (testing/marionette.ts); re-exported for the suites.
export * from '../../testing/marionette';
