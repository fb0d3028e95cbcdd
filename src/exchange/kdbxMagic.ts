// Tells a KeePass database by its first bytes, without loading kdbxweb.

/** KDBX signature 1 0x9AA2D903, signature 2 0xB54BFB67 (little-endian), shared by KDBX 3.1 and 4. */
export function looksLikeKdbx(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && bytes[0] === 0x03 && bytes[1] === 0xd9 && bytes[2] === 0xa2 && bytes[3] === 0x9a
    && bytes[4] === 0x67 && bytes[5] === 0xfb && bytes[6] === 0x4b && bytes[7] === 0xb5;
}
