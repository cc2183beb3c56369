// Prints, for each file given, one line: "<raw bytes> <gzip bytes> <brotli bytes> <path>".
// gzip at level 9 and brotli at quality 11 (the most a web server or CDN would use for static files), both from
// Node's own zlib, so that the numbers need nothing beyond Node.
import { readFileSync } from "node:fs";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

for (const path of process.argv.slice(2)) {
  const bytes = readFileSync(path);
  const gzip = gzipSync(bytes, { level: 9 }).length;
  const brotli = brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  }).length;
  console.log(`${bytes.length} ${gzip} ${brotli} ${path}`);
}
