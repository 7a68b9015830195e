// Answers binding.gyp's questions about libtorch (`<!@(node scripts/gyp-config.mjs include_dirs)`):
// from $MYELIN_LIBTORCH_CONFIG when install.mjs runs the build, else from the finder.
import { findLibtorch } from './find-libtorch.mjs';

const config = process.env.MYELIN_LIBTORCH_CONFIG
  ? JSON.parse(process.env.MYELIN_LIBTORCH_CONFIG)
  : findLibtorch();
if (!config || config.reasons) {
  process.stderr.write(`no libtorch found:\n${(config?.reasons ?? []).join('\n')}\n`);
  process.exit(1);
}
const answers = {
  include_dirs: config.includeDirs,
  libraries: [
    `-L${config.libDir}`,
    `-Wl,-rpath,${config.libDir}`,
    // keep libtorch_cuda even though no symbol of it is named: its static initialisers register the CUDA kernels
    '-Wl,--no-as-needed',
    ...config.libs.map((l) => `-l${l}`),
    '-Wl,--as-needed',
  ],
  cflags: [`-std=c++${config.cxxStandard}`, `-D_GLIBCXX_USE_CXX11_ABI=${config.abi}`],
};
const key = process.argv[2];
if (!(key in answers)) {
  process.stderr.write(`gyp-config: unknown key ${key}\n`);
  process.exit(1);
}
process.stdout.write(answers[key].join(' '));
