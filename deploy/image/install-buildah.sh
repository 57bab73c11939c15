#!/usr/bin/env bash
# Installs what the image tests (test/deploy/image.test.ts) need: Debian's buildah, which pulls in
# crun, containers-common, netavark, fuse-overlayfs and uidmap. Root only; no registry is used.
set -euo pipefail
if command -v buildah >/dev/null; then
  buildah --version
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "run as root: apt-get install -y buildah" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq buildah >/dev/null
buildah --version
