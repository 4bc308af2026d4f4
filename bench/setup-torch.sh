#!/bin/sh
# Installs the PyTorch peer of bench/train_step.ts: Debian's CPU build of
# PyTorch, and OpenBLAS, which takes over libblas.so.3 from the reference
# BLAS (about 40x slower on large matmuls) so that the comparison is fair.
# Needs root and the Debian archive; does nothing when both are present.
set -e

missing=""
if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  missing="$missing python3-torch"
fi
if ! dpkg -s libopenblas0-pthread >/dev/null 2>&1; then
  missing="$missing libopenblas0-pthread"
fi

if [ -z "$missing" ]; then
  echo "setup-torch: python3-torch and libopenblas0-pthread are installed"
  exit 0
fi
echo "setup-torch: installing$missing"
apt-get update
# shellcheck disable=SC2086
apt-get install -y $missing
