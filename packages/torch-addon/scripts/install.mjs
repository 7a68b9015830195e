// `npm ci` / `npm rebuild @myelin/torch-addon`: builds the optional torch engine addon when a
// libtorch is found (see find-libtorch.mjs). Never downloads anything and never fails the
// install: without libtorch (or Node's headers, or on a failed build) it prints one line saying
// how to enable the engine and exits 0, and Myelin trains on tfjs.
//   MYELIN_TORCH=0      skip the build
//   LIBTORCH=/path      build against that libtorch (pytorch.org's unpacked zip)
//   PYTHON=python3      the Python whose torch package to look in
//   MYELIN_TORCH_BUILD=compiler   call the C++ compiler directly instead of node-gyp (machines without npm)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findLibtorch } from './find-libtorch.mjs';

const pkgDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = resolve(pkgDir, '..', '..');
const logFile = join(pkgDir, 'build-torch.log');
const say = (line) => process.stdout.write(`@myelin/torch-addon: ${line}\n`);
const HOW =
  'to enable it: apt-get install libtorch-dev (or set LIBTORCH=/path/to/libtorch), then npm rebuild @myelin/torch-addon';

if (process.env.MYELIN_TORCH === '0') {
  say('skipped (MYELIN_TORCH=0); Myelin trains on the tfjs engine');
  process.exit(0);
}

const found = findLibtorch();
if (found.reasons) {
  say(`torch engine not built: no libtorch found (${found.reasons.join('; ')}); ${HOW}`);
  process.exit(0);
}

// Node's own headers, so node-gyp never downloads them.
const nodeDir = [process.env.npm_config_nodedir, resolve(dirname(process.execPath), '..')].find(
  (d) => d && existsSync(join(d, 'include', 'node', 'node_api.h')),
);
if (!nodeDir) {
  say(
    `torch engine not built: Node's headers (include/node/node_api.h) are not installed beside ${process.execPath}; ${HOW}`,
  );
  process.exit(0);
}

// npm's own node-gyp (npm names it while running scripts; else next to this Node's npm)
const gyp = [
  process.env.npm_config_node_gyp,
  join(nodeDir, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  resolve(
    dirname(process.execPath),
    '..',
    'lib',
    'node_modules',
    'npm',
    'node_modules',
    'node-gyp',
    'bin',
    'node-gyp.js',
  ),
].find((f) => f && existsSync(f));
const gypCommand = gyp ? [process.execPath, gyp] : undefined;
const env = { ...process.env, MYELIN_LIBTORCH_CONFIG: JSON.stringify(found) };
const ccache = spawnSync('ccache', ['--version'], { stdio: 'ignore' }).status === 0;
if (ccache && !process.env.CXX) {
  env.CXX = 'ccache g++';
  env.CCACHE_BASEDIR = repoRoot; // hits across clones in other folders
  env.CCACHE_NOHASHDIR = '1';
}
const t0 = Date.now();
const build =
  gypCommand && process.env.MYELIN_TORCH_BUILD !== 'compiler'
    ? buildWithGyp(gypCommand)
    : buildWithCompiler();
writeFileSync(
  logFile,
  `${build.stdout ?? ''}\n${build.stderr ?? ''}\n${build.error ? String(build.error) : ''}`,
);
if (build.status !== 0) {
  say(
    `torch engine not built: the build against ${found.source} (libtorch ${found.version}) failed, see ${logFile}; Myelin trains on tfjs`,
  );
  process.exit(0);
}

/** The usual way: node-gyp with binding.gyp (npm carries node-gyp). */
function buildWithGyp(command) {
  const jobs = process.env.JOBS ?? 'max';
  return spawnSync(command[0], [...command.slice(1), 'rebuild', `--nodedir=${nodeDir}`, `--jobs=${jobs}`], {
    cwd: pkgDir,
    env,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
}

/**
 * Where there is no npm (a bare GPU machine with only a Node binary): the same flags as
 * binding.gyp, given to the compiler directly.
 */
function buildWithCompiler() {
  const naa = [
    join(repoRoot, 'node_modules', 'node-addon-api'),
    join(pkgDir, 'node_modules', 'node-addon-api'),
  ].find((d) => existsSync(join(d, 'napi.h')));
  if (!naa) return { status: 1, stdout: '', stderr: 'node-addon-api is not installed (no napi.h)' };
  const out = join(pkgDir, 'build', 'Release');
  mkdirSync(out, { recursive: true });
  const [cxx, ...cxxArgs] = (env.CXX ?? 'g++').split(' ');
  return spawnSync(
    cxx,
    [
      ...cxxArgs,
      `-std=c++${found.cxxStandard}`,
      '-O2',
      '-fno-math-errno',
      '-fvect-cost-model=dynamic',
      '-fPIC',
      '-shared',
      `-D_GLIBCXX_USE_CXX11_ABI=${found.abi}`,
      '-DNAPI_VERSION=8',
      '-DNAPI_CPP_EXCEPTIONS',
      `-I${join(nodeDir, 'include', 'node')}`,
      `-I${naa}`,
      ...found.includeDirs.map((d) => `-I${d}`),
      join(pkgDir, 'native', 'myelin_torch.cc'),
      '-o',
      join(out, 'myelin_torch.node'),
      `-L${found.libDir}`,
      `-Wl,-rpath,${found.libDir}`,
      '-Wl,--no-as-needed',
      ...found.libs.map((l) => `-l${l}`),
      '-Wl,--as-needed',
    ],
    { cwd: pkgDir, env, encoding: 'utf8', maxBuffer: 64 << 20 },
  );
}

// Load it once in a child, so a broken binary is reported here and not at the first run.
try {
  const info = execFileSync(
    process.execPath,
    [
      '-e',
      `const a=require(${JSON.stringify(join(pkgDir, 'build', 'Release', 'myelin_torch.node'))});console.log(JSON.stringify(a.info()))`,
    ],
    { encoding: 'utf8', timeout: 120_000 },
  );
  const i = JSON.parse(info);
  say(
    `torch engine built in ${((Date.now() - t0) / 1000).toFixed(0)} s against ${found.source} (libtorch ${i.torchVersion}${i.cudaAvailable ? `, ${i.cudaDeviceCount} CUDA device(s)` : ', CPU'})${ccache ? ', ccache' : ''}`,
  );
} catch (e) {
  say(`torch engine built but does not load (${String(e.message).split('\n')[0]}); Myelin trains on tfjs`);
}
