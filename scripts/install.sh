#!/usr/bin/env bash
# The one install command (README): Debian packages the test suite needs, then the npm workspace.
#   chromium  - the playground browser test (playwright-core drives Debian's Chromium)
#   buildah   - builds and runs the real container images offline in the image smoke test
#   openssl   - makes throwaway certificates for the TLS tests
#   docker-registry - a local OCI registry the publishing test pushes charts and images to
# Node 24 itself comes from the `node` npm package, so every npm script runs on 24 after `npm ci`.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(chromium buildah openssl ca-certificates docker-registry)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else sudo="none"; fi
  if [ "$sudo" = "none" ]; then
    echo "install: please install these Debian packages as root: ${missing[*]}" >&2
    exit 1
  fi
  echo "install: apt-get install ${missing[*]}"
  $sudo apt-get update -qq
  # buildah needs its recommends (crun, netavark, fuse-overlayfs, uidmap) to run containers.
  # docker-registry's package also enables a system service on :5000; the test runs its own on loopback.
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# npm ci runs on the machine's own Node. Where that is older than 24, npm warns EBADENGINE for every
# package that asks for a newer Node (this workspace included): expected, and said once here so
# nobody takes it for a failure. The `node` package it installs is the Node 24 npm scripts run on.
machine_node=$(node -p 'process.versions.node' 2>/dev/null || echo none)
if [ "${machine_node%%.*}" != "none" ] && [ "${machine_node%%.*}" -lt 24 ]; then
  echo "install: this machine's Node is ${machine_node}; npm ci runs on it, so its 'npm warn EBADENGINE' lines are expected."
  echo "install: they are harmless: the install brings Node 24 (the node package) and every npm script runs on it."
fi
npm ci --no-audit --no-fund
