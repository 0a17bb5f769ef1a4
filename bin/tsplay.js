#!/usr/bin/env node
// Thin launcher. `npm run build` compiles to dist/ and bundles the CLI into dist/cli/main.js
// (one file loads far faster than ~330 modules: start-up, issue 17). A bundle older than the
// compiled modules (tsc run alone after a build) is stale: the modules run instead.
import { statSync } from 'node:fs';

const bundle = new URL('../dist/cli/main.js', import.meta.url);
const modules = new URL('../dist/engine/cli/main.js', import.meta.url);

function bundleIsFresh() {
  try {
    return statSync(bundle).mtimeMs >= statSync(modules).mtimeMs;
  } catch {
    return false;
  }
}

import(bundleIsFresh() ? bundle.href : modules.href).then((m) => m.main(process.argv.slice(2))).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(err); process.exitCode = 250; },
);
