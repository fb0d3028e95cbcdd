// kdbxweb's UMD wrapper requires Node's "crypto" at load, but uses it only where WebCrypto is
// missing (never in the browsers Latchkey runs in): the build maps "crypto" to this empty module.
'use strict';
module.exports = {};
