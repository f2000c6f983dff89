#!/usr/bin/env bash
# Installs the Debian packages Barrage needs that are missing. Usage: scripts/deps.sh [build|serve|test|bench]
# (serve: build plus Node and npm for the web pages)
# Uses sudo when not root. Idempotent: does nothing when everything is present.
set -euo pipefail

want=(build-essential cmake ninja-build ccache pkg-config
      libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
      libssl-dev zlib1g-dev libbrotli-dev libsqlite3-dev
      libspdlog-dev libfmt-dev libcli11-dev libtomlplusplus-dev
      libvectorscan-dev libicu-dev libopencc-dev libopencc-data liblua5.4-dev)
case "${1:-build}" in
  serve) want+=(nodejs npm) ;;
  test)  want+=(libgtest-dev libgmock-dev libbenchmark-dev clang libclang-rt-14-dev clang-format nodejs npm python3
               curl openssl python3-aiohttp python3-brotli chromium fonts-noto-cjk) ;;
  bench) want+=(libgtest-dev libgmock-dev libbenchmark-dev nats-server nodejs npm wrk python3) ;;
esac

missing=()
for p in "${want[@]}"; do
  # Node may come from elsewhere (nvm, NodeSource); only install Debian's when none is on PATH.
  if [[ $p == nodejs || $p == npm ]] && command -v "${p/nodejs/node}" >/dev/null 2>&1; then
    continue
  fi
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

sudo=()
[[ $(id -u) -ne 0 ]] && sudo=(sudo)
echo "Installing: ${missing[*]}"
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
