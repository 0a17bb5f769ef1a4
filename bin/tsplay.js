#!/usr/bin/env node
// Thin launcher. `npm run build` compiles to dist/ and bundles the CLI into dist/cli/main.cjs
// (one file loads far faster than ~330 modules: start-up, issue 17), run through a V8 code cache
// (dist/engine/cli/code-cache.js). A bundle older than the compiled modules (tsc run alone after
// a build) is stale: the modules run instead.
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = new URL('../dist/cli/main.cjs', import.meta.url);
const modules = new URL('../dist/engine/cli/main.js', import.meta.url);
const codeCache = new URL('../dist/engine/cli/code-cache.js', import.meta.url);

function bundleIsFresh() {
  try {
    return statSync(bundle).mtimeMs >= statSync(modules).mtimeMs;
  } catch {
    return false;
  }
}

const cli = bundleIsFresh()
  ? import(codeCache.href).then((c) => c.loadBundle(fileURLToPath(bundle)))
  : import(modules.href);
cli.then((m) => m.main(process.argv.slice(2))).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(err); process.exitCode = 250; },
);
