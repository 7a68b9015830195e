// `npm run build -w @myelin/cli` (run by the root `prepare`, so at `npm ci`): compiles the CLI and
// the workspace libraries it imports into apps/cli/dist as plain JavaScript (esbuild, one chunk
// per lazily imported command), so the `myelin` command starts without a TypeScript loader.
// Third-party packages stay external, resolved from the importing library's own folder (a
// library's nested node_modules wins, as it does for the sources). `import.meta.url` keeps the
// source file's URL, so files a library finds beside its sources (schemas, worker entries, the
// status page's dist) are found as before. dist/build-info.json lists the inputs and the build
// time; bin/myelin.js runs the sources through tsx instead when one of them changed since.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const cliDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const root = resolve(cliDir, '..', '..');
// `--outdir <dir>` builds elsewhere (the build's own test); bin/myelin.js runs apps/cli/dist
const outArg = process.argv.indexOf('--outdir');
const outdir = outArg > 0 && process.argv[outArg + 1] ? resolve(process.argv[outArg + 1]) : join(cliDir, 'dist');

/**
 * Pure-JavaScript packages the read-only commands load, bundled into the chunks: each is hundreds
 * of small ESM files (kysely 264, apache-arrow 147, zod 99), and resolving and compiling them one
 * by one was most of `myelin runs`' and `myelin validate`'s start. Only packages that are
 * stateless across copies (no `instanceof` checks shared with an external package), find no file
 * beside their own (no `__dirname`, `import.meta.url`, `require.resolve`) and load no native
 * code qualify; every other package stays external at its resolved path (native addons, the
 * engines, which find their .wasm beside them, the AWS SDK, BullMQ, Fastify).
 */
const BUNDLED = new Set([
  'ansi-regex',
  'apache-arrow',
  'cli-progress',
  'commander',
  'cron-parser',
  'fastest-levenshtein',
  'emoji-regex',
  'flatbuffers',
  'fzstd',
  'hyparquet',
  'hyparquet-compressors',
  'hysnappy',
  'is-fullwidth-code-point',
  'kysely',
  'luxon',
  'picocolors',
  'pure-rand',
  'string-width',
  'strip-ansi',
  'tslib',
  'yaml',
  'zod',
]);
const packageName = (spec) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');

/** Workspace libraries and BUNDLED packages are bundled; every other bare import stays external, at its resolved path. */
const workspaceOnly = {
  name: 'myelin-workspace-only',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.path.startsWith('@myelin/') || args.path.startsWith('node:') || args.pluginData?.inner) return undefined;
      if (BUNDLED.has(packageName(args.path))) return undefined;
      const found = await build.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: { inner: true },
      });
      if (found.errors.length > 0) return { errors: found.errors };
      return { path: found.external ? args.path : found.path, external: true };
    });
    build.onLoad({ filter: /\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (keepBundleUrl.has(args.path)) return { contents: source, loader: 'ts' };
      const url = JSON.stringify(pathToFileURL(args.path).href);
      return { contents: source.replaceAll('import.meta.url', url), loader: 'ts' };
    });
  },
};

/**
 * Worker-thread entries a library starts by a URL beside its own file: each is compiled to the
 * same place relative to the bundle, and the file that starts it keeps the bundle's own
 * `import.meta.url`, so the compiled CLI starts the compiled worker (no tsx in the thread).
 */
const WORKERS = [{ out: 'csv/csv-scan-worker', source: 'packages/data/src/io/csv/csv-scan-worker.ts', startedBy: 'packages/data/src/io/read-csv.ts' }];
const keepBundleUrl = new Set(WORKERS.map((w) => resolve(root, w.startedBy)));

const started = Date.now();
await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });
const result = await esbuild.build({
  absWorkingDir: root, // the metafile's paths are relative to it
  entryPoints: [
    { in: join(cliDir, 'src', 'main.ts'), out: 'main' },
    ...WORKERS.map((w) => ({ in: resolve(root, w.source), out: w.out })),
  ],
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outdir,
  metafile: true,
  // the bundled CommonJS packages (commander, cron-parser) require Node's built-ins
  banner: { js: "import { createRequire as __myelinCreateRequire } from 'node:module'; const require = __myelinCreateRequire(import.meta.url);" },
  logLevel: 'warning',
  plugins: [workspaceOnly],
});
// the bundled workspace sources; the BUNDLED packages' files are covered by the lockfile below
const inputs = Object.keys(result.metafile.inputs)
  .map((p) => resolve(root, p))
  .filter((p) => !p.split(/[\\/]/).includes('node_modules'));
// the package manifests decide how the libraries resolve: a change there makes the build stale too
const manifests = [...new Set(inputs.map((p) => packageJsonOf(p)).filter((p) => p !== undefined)), join(root, 'package-lock.json')];
await writeFile(
  join(outdir, 'build-info.json'),
  `${JSON.stringify({ builtAt: started, inputs: [...inputs, ...manifests].map((p) => relative(root, p)) }, null, 1)}\n`,
);
// `--meta` keeps esbuild's metafile (which input imports what) for `npx esbuild --analyze`-style digging
if (process.argv.includes('--meta')) await writeFile(join(outdir, 'meta.json'), JSON.stringify(result.metafile));
console.log(`@myelin/cli: compiled ${inputs.length} source files into ${relative(root, outdir)} in ${Date.now() - started} ms`);

function packageJsonOf(file) {
  const rel = relative(root, file).split(/[\\/]/);
  return rel.length > 2 ? join(root, rel[0], rel[1], 'package.json') : undefined;
}
