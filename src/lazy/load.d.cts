// Types of load.cjs (see there for why it is CommonJS).
export declare function curves(): typeof import('./curves');
export declare function publicSuffix(): typeof import('./publicSuffix');
export declare function cbor(): typeof import('./cbor');
