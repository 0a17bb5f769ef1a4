/**
 * Second half of `npm run build` (after tsc): writes the build-time argument validators into
 * dist/engine/modules/ and bundles the CLI into dist/cli/main.cjs with esbuild (a dev dependency: an npm package plus
 * its platform binary package from the npm registry, nothing downloaded at install time).
 * One file instead of ~330 ES modules is most of start-up (issue 17); bin/tsplay.js runs it
 * through a V8 code cache (engine/cli/code-cache.ts).
 *
 * CommonJS, one file: node 20 can cache compiled code only for scripts (vm.Script), not for ES
 * modules. The parts imported with import() (other subcommands, the ssh transport) are still
 * evaluated on first use (esbuild wraps each module in a lazy initializer); with the code cache
 * their unused functions cost neither parsing nor compiling, so splitting into chunks buys nothing.
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

/** The validators' loader stays a file of its own next to its .cjs files, required by the bundle. */
const validatorsOutside: Plugin = {
  name: 'arg-validators-outside',
  setup(b) {
    b.onResolve({ filter: /\/arg-validators\.js$/ }, () => ({ path: '../engine/modules/arg-validators.cjs', external: true }));
  },
};

async function main(): Promise<void> {
  writeArgValidators(join(dist, 'engine', 'modules'), moduleTable.values());
  // a previous build's files (chunks of the ES module layout before) would stay behind
  rmSync(join(dist, 'cli'), { recursive: true, force: true });
  const result = await build({
    entryPoints: [join(dist, 'engine', 'cli', 'main.js')],
    outfile: join(dist, 'cli', 'main.cjs'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['ssh2'],
    plugins: [validatorsOutside],
    // the modules' createRequire(import.meta.url) and file lookups resolve from the bundle's place; the
    // banner begins with the strict-mode directive (ES modules are strict; after a statement it would not count)
    define: { 'import.meta.url': '__tsplayBundleUrl' },
    banner: { js: "'use strict'; const __tsplayBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
    sourcemap: true,
    logLevel: 'warning',
    metafile: true,
  });
  // the launcher's part (bin/tsplay.js): CommonJS too, so a run never starts the ES module loader
  await build({
    entryPoints: [join(dist, 'engine', 'cli', 'code-cache.js')],
    outfile: join(dist, 'cli', 'boot.cjs'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
  const dynamic = Object.values(result.metafile.outputs).flatMap((o) => o.imports).filter((i) => i.kind === 'dynamic-import' && i.external === true);
  // a script compiled with vm.Script has no loader for import(): lazy node: modules use createRequire
  if (dynamic.length > 0) throw new Error(`the CLI bundle must not import() what it leaves out: ${dynamic.map((i) => i.path).join(', ')}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
