// Types for scripts/zipDirectory.mjs.
export const ZIP_DATE: () => Date;
export function listFiles(dir: string, rel?: string): string[];
export function zipDirectory(dir: string): Uint8Array;
