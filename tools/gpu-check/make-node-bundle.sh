#!/usr/bin/env bash
# Packs this machine's Node binary and headers (for building the addon) into
# tools/gpu-check/node-bundle.tar.xz (about 25 MB), for a GPU machine that has no Node.
# The bundle is ignored by git: make it right before a device run, delete it after.
set -euo pipefail
cd "$(dirname "$0")"
node_bin=$(command -v node)
prefix=$(dirname "$(dirname "$node_bin")")
tar -cJf node-bundle.tar.xz -C / "${node_bin#/}" "${prefix#/}/include/node"
ls -la node-bundle.tar.xz
