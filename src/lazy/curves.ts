// The two curves Latchkey uses and nothing else of @noble/curves. Loaded through load.cjs only.
export { ed25519 } from '@noble/curves/ed25519.js';
export { p256 } from '@noble/curves/nist.js';
