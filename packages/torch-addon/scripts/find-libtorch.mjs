// Finds a libtorch to build the addon against, in this order:
//   1. $LIBTORCH: an unpacked libtorch (pytorch.org's zip: include/, lib/, share/cmake/Torch);
//   2. the Python torch package of $PYTHON (default python3), through torch.utils.cmake_prefix_path,
//      when it carries headers (pip wheels do; Debian's python3-torch does not);
//   3. the system headers and libraries (Debian's libtorch-dev: /usr/include/torch, multiarch lib).
// Prints one JSON object (or `null` with the reasons on stderr) and never downloads anything.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const API_HEADER = join('torch', 'csrc', 'api', 'include', 'torch', 'torch.h');

/** What TorchConfig.cmake (or the Python package) says about the C++ ABI and standard. */
function cmakeFacts(cmakeDir) {
  const file = join(cmakeDir, 'Torch', 'TorchConfig.cmake');
  if (!existsSync(file)) return {};
  const text = readFileSync(file, 'utf8');
  const abi = /_GLIBCXX_USE_CXX11_ABI=(\d)/.exec(text)?.[1];
  const std = /CXX_STANDARD\s+(\d+)/.exec(text)?.[1];
  return { ...(abi ? { abi: Number(abi) } : {}), ...(std ? { cxxStandard: Number(std) } : {}) };
}

function versionOf(includeRoot) {
  const file = join(includeRoot, 'torch', 'csrc', 'api', 'include', 'torch', 'version.h');
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  const part = (n) => new RegExp(`TORCH_VERSION_${n} (\\d+)`).exec(text)?.[1];
  return ['MAJOR', 'MINOR', 'PATCH'].map(part).join('.');
}

function libsIn(libDir) {
  const names = existsSync(libDir) ? readdirSync(libDir) : [];
  const has = (n) => names.includes(`lib${n}.so`);
  const libs = ['torch', 'torch_cpu', 'c10'].filter(has);
  const cuda = has('torch_cuda') && has('c10_cuda');
  if (cuda) libs.push('torch_cuda', 'c10_cuda');
  return { libs, cuda };
}

function layout(source, includeRoot, libDir, cmakeDir, extra = {}) {
  if (!existsSync(join(includeRoot, API_HEADER)))
    return { why: `${source}: no ${join(includeRoot, API_HEADER)}` };
  const { libs, cuda } = libsIn(libDir);
  if (!libs.includes('torch_cpu') || !libs.includes('c10'))
    return { why: `${source}: no libtorch_cpu.so / libc10.so in ${libDir}` };
  const facts = cmakeDir ? cmakeFacts(cmakeDir) : {};
  return {
    found: {
      source,
      // /usr/include is searched anyway; naming it with -I would break #include_next
      includeDirs: [
        ...(includeRoot === '/usr/include' ? [] : [includeRoot]),
        join(includeRoot, 'torch', 'csrc', 'api', 'include'),
      ],
      libDir,
      libs,
      cuda,
      abi: extra.abi ?? facts.abi ?? 1,
      cxxStandard: Math.max(17, Number(process.env.MYELIN_TORCH_CXX_STD ?? 0) || facts.cxxStandard || 17),
      version: extra.version ?? versionOf(includeRoot) ?? 'unknown',
    },
  };
}

function fromEnv() {
  const root = process.env.LIBTORCH;
  if (!root) return { why: 'LIBTORCH: not set' };
  return layout('LIBTORCH', join(root, 'include'), join(root, 'lib'), join(root, 'share', 'cmake'));
}

function fromPython() {
  const python = process.env.PYTHON ?? 'python3';
  let out;
  try {
    out = execFileSync(
      python,
      [
        '-c',
        'import json, os, torch; print(json.dumps({"prefix": torch.utils.cmake_prefix_path, "dir": os.path.dirname(torch.__file__), "abi": int(torch._C._GLIBCXX_USE_CXX11_ABI), "version": torch.__version__.split("+")[0]}))',
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 60_000 },
    );
  } catch {
    return { why: `${python}: no importable torch` };
  }
  const info = JSON.parse(out.trim());
  return layout(
    `${python} torch ${info.version}`,
    join(info.dir, 'include'),
    join(info.dir, 'lib'),
    info.prefix,
    {
      abi: info.abi,
      version: info.version,
    },
  );
}

function fromSystem() {
  const arch = { x64: 'x86_64-linux-gnu', arm64: 'aarch64-linux-gnu' }[process.arch] ?? '';
  const libDir = [join('/usr/lib', arch), '/usr/lib', '/usr/local/lib'].find((d) =>
    existsSync(join(d, 'libtorch_cpu.so')),
  );
  if (!existsSync(join('/usr/include', API_HEADER)))
    return { why: 'system: no /usr/include/torch (apt-get install libtorch-dev)' };
  if (!libDir) return { why: 'system: no libtorch_cpu.so' };
  return layout('system libtorch', '/usr/include', libDir, join(libDir, 'cmake'));
}

/** The first usable libtorch, or `{ reasons }` saying why each place failed. */
export function findLibtorch() {
  const reasons = [];
  for (const probe of [fromEnv, fromPython, fromSystem]) {
    const r = probe();
    if (r.found) return r.found;
    reasons.push(r.why);
  }
  return { reasons };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = findLibtorch();
  if (r.reasons) {
    process.stderr.write(`${r.reasons.join('\n')}\n`);
    process.stdout.write('null\n');
  } else {
    process.stdout.write(`${JSON.stringify(r)}\n`);
  }
}
