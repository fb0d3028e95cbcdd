// cbor-x's encoder and decoder. Loaded through load.cjs only. The "no-eval" build: the default one
// compiles record readers with `new Function` (refused by the extension's CSP anyway, and flagged
// by web-ext lint as DANGEROUS_EVAL; docs/PACKAGING.md). This one has no code generation at all.
export { Decoder, Encoder } from 'cbor-x/index-no-eval';
