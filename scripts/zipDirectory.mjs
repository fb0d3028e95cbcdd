// Zips a folder so that the same files give the same bytes, on any machine, at any time:
//   - entries in one fixed order (paths sorted by their UTF-16 code units, '/' as the separator);
//   - one fixed timestamp for every entry. A zip stores a DOS date in *local* time, which fflate
//     takes from the Date's local fields; so the date is built from local fields too (new Date(y, m,
//     d)), which makes the stored value 1980-01-01 00:00 whatever the machine's time zone;
//   - no directory entries, no extra fields, the same compression level, permissions from no file.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';

/** The timestamp stored for every entry: the earliest a zip can hold. */
export const ZIP_DATE = () => new Date(1980, 0, 1, 0, 0, 0);

/** Every file under `dir`, as sorted relative paths with '/'. */
export function listFiles(dir, rel = '') {
  const out = [];
  for (const name of readdirSync(join(dir, rel))) {
    const r = rel ? `${rel}/${name}` : name;
    const st = statSync(join(dir, r));
    if (st.isDirectory()) out.push(...listFiles(dir, r));
    else if (st.isFile()) out.push(r);
  }
  return out.sort();
}

/** The zip of `dir`'s files, deterministic (see above). */
export function zipDirectory(dir) {
  const files = {};
  for (const r of listFiles(dir)) files[r] = [new Uint8Array(readFileSync(join(dir, r))), { mtime: ZIP_DATE(), level: 9, os: 3, attrs: 0o100644 << 16 }];
  return zipSync(files);
}
