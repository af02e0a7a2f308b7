#!/bin/bash
# Installs piseruma's build and test dependencies from Debian 12 packages, only when missing.
# Usage: scripts/install-deps.sh        (needs root, or sudo on PATH)
set -euo pipefail
PACKAGES=(
  build-essential cmake ninja-build pkg-config
  librocksdb-dev libprotobuf-dev protobuf-compiler
  libboost1.81-dev libssl-dev libjemalloc-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev wrk
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
