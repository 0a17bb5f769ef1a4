/**
 * Second half of `npm run build` (after tsc): writes the build-time argument validators into
 * dist/engine/modules/ and bundles the CLI into dist/cli/ with esbuild (a dev dependency: an npm package plus
 * its platform binary package from the npm registry, nothing downloaded at install time).
 * One file instead of ~330 ES modules is most of start-up (issue 17); bin/tsplay.js runs it.
 *
 * Left out of the bundle, loaded from node_modules on first use: ssh2 (a native addon inside,
 * needed only for the first ssh host), and what the code loads with createRequire on demand
 * (ajv, node-forge, nunjucks' lexer/parser/compiler).
 */
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { moduleTable } from '../engine/modules/registry.js';
import { writeArgValidators } from './arg-validators.js';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The validators' loader stays a file of its own next to its .cjs files, imported by the bundle. */
const validatorsOutside: Plugin = {
  name: 'arg-validators-outside',
  setup(b) {
    b.onResolve({ filter: /\/arg-validators\.js$/ }, () => ({ path: '../engine/modules/arg-validators.js', external: true }));
  },
};

async function main(): Promise<void> {
  writeArgValidators(join(dist, 'engine', 'modules'), moduleTable.values());
  // chunk names carry content hashes: a previous build's chunks would stay behind
  rmSync(join(dist, 'cli'), { recursive: true, force: true });
  await build({
    entryPoints: { main: join(dist, 'engine', 'cli', 'main.js') },
    outdir: join(dist, 'cli'),
    bundle: true,
    // lazily imported parts (the ssh transport) stay in their own chunk, loaded on first use
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['ssh2'],
    plugins: [validatorsOutside],
    // the CommonJS packages inside the bundle (yaml's is ESM; commander, jmespath) call require
    banner: { js: "import { createRequire as __tsplayRequire } from 'node:module'; const require = __tsplayRequire(import.meta.url);" },
    sourcemap: true,
    logLevel: 'warning',
  });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
