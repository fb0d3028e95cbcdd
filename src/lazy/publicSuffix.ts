// The Public Suffix List (tldts, private section included). Loaded through load.cjs only.
export { parse } from 'tldts';
