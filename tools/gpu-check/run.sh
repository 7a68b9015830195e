#!/usr/bin/env bash
# The GPU check, on a machine with a CUDA GPU and PyTorch (see DEVELOPERS.md, "The GPU check"):
# builds the torch addon against this Python's torch (its cmake prefix), then runs gpu_check.py.
# A machine with no Node gets it from tools/gpu-check/node-bundle.tar.xz (node + its headers),
# made beside the tree by `tools/gpu-check/make-node-bundle.sh` and never committed.
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON=${PYTHON:-python3}
if ! command -v node >/dev/null 2>&1; then
  [ -f tools/gpu-check/node-bundle.tar.xz ] || { echo "gpu-check: no node and no tools/gpu-check/node-bundle.tar.xz"; exit 3; }
  mkdir -p /tmp/myelin-node && tar -xJf tools/gpu-check/node-bundle.tar.xz -C /tmp/myelin-node
  export PATH=/tmp/myelin-node/usr/bin:$PATH npm_config_nodedir=/tmp/myelin-node/usr
fi
echo "gpu-check: node $(node --version), $($PYTHON -c 'import torch; print("torch", torch.__version__, "cmake prefix", torch.utils.cmake_prefix_path)')"
LIBTORCH= PYTHON=$PYTHON MYELIN_TORCH_BUILD=compiler node packages/torch-addon/scripts/install.mjs
test -f packages/torch-addon/build/Release/myelin_torch.node || { cat packages/torch-addon/build-torch.log | tail -40; exit 4; }
exec $PYTHON tools/gpu-check/gpu_check.py --node node "$@"
