// build.mjs - bundles the console with esbuild: `node build.mjs OUTDIR` writes OUTDIR/index.html,
// OUTDIR/assets/app.js and OUTDIR/assets/app.css (no network; everything from node_modules).
import { build } from 'esbuild';
import { mkdirSync, copyFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.argv[2] || join(here, 'dist'));
mkdirSync(join(out, 'assets'), { recursive: true });
await build({
    entryPoints: [join(here, 'src/main.js')],
    bundle: true,
    minify: true,
    sourcemap: false,
    format: 'iife',
    target: ['chrome100', 'firefox100', 'safari15'],
    outfile: join(out, 'assets/app.js'),
    legalComments: 'none',
    logLevel: 'warning',
});
await build({
    entryPoints: [join(here, 'src/app.css')],
    bundle: true,
    minify: true,
    outfile: join(out, 'assets/app.css'),
    logLevel: 'warning',
});
copyFileSync(join(here, 'src/index.html'), join(out, 'index.html'));
console.log('console built in ' + out);
