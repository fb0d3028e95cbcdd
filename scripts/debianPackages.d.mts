export const BROWSERS: { package: string; env: string; path: string; neededBy: ('start' | 'test')[] }[];
export const TEST_PACKAGES: string[];
