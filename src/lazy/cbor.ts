// cbor-x's encoder and decoder. Loaded through load.cjs only.
export { Decoder, Encoder } from 'cbor-x';
