#!/usr/bin/env node
'use strict';
// Thin launcher, CommonJS (bin/package.json): a run that takes the bundle never starts node's ES
// module loader (start-up, issue 17). `npm run build` compiles to dist/ and bundles the CLI into
// dist/cli/main.cjs, which dist/cli/boot.cjs (engine/cli/code-cache.ts) runs through a V8 code
// cache. A bundle older than the compiled modules (tsc run alone after a build) is stale: the
// modules run instead.
const { statSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const dist = join(__dirname, '..', 'dist');
const bundle = join(dist, 'cli', 'main.cjs');
const boot = join(dist, 'cli', 'boot.cjs');
const modules = join(dist, 'engine', 'cli', 'main.js');

function bundleIsFresh() {
  try {
    return statSync(bundle).mtimeMs >= statSync(modules).mtimeMs && statSync(boot).isFile();
  } catch {
    return false;
  }
}

const cli = bundleIsFresh()
  ? Promise.resolve().then(() => require(boot).loadBundle(bundle))
  : import(pathToFileURL(modules).href);
cli.then((m) => m.main(process.argv.slice(2))).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(err); process.exitCode = 250; },
);
