// Types for testing/build.mjs.
export function stageTesting(stageDir: string): Promise<string>;
export function packTesting(o: { outDir: string; workDir: string }): Promise<string>;
