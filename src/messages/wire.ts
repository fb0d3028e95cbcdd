// JSON ("wire") shapes of WebAuthn options and results, as they cross the page -> background boundary.
// They are defined in src/core/webauthnJson.ts, beside the ceremonies that read and return them
// (core imports nothing of the layers above it); the page side, the client decisions and the
// protocol take them from here. Shapes only: the background re-checks whatever a page sends.
export type * from '../core/webauthnJson';
