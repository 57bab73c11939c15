#!/usr/bin/env bash
# Assembles a minimal Node 24 runtime image offline, as an OCI archive, for builds where no
# registry can be reached (CI): the Node binary the npm package `node` installed, the shared
# libraries `ldd` lists for it, /etc/passwd and /etc/group with the non-root user 65532, and an
# empty /tmp. No shell, no package manager. Its layout matches distroless' nodejs images
# (/nodejs/bin/node), the default BASE_IMAGE of deploy/docker/Dockerfile.
#
#   deploy/image/build-base.sh OUT.tar [NODE_BINARY]
#
# Needs root and buildah (apt-get install -y buildah). BUILDAH_FLAGS (e.g. "--root DIR
# --runroot DIR") picks the storage; the vfs driver is used because it works everywhere.
set -euo pipefail

out=${1:?usage: build-base.sh OUT.tar [NODE_BINARY]}
here=$(cd "$(dirname "$0")" && pwd)
node=${2:-$here/../../node_modules/node/bin/node}
node=$(readlink -f "$node")
command -v buildah >/dev/null || { echo "buildah not found: run deploy/image/install-buildah.sh" >&2; exit 1; }
[ -x "$node" ] || { echo "no node binary at $node (run npm ci)" >&2; exit 1; }

read -r -a flags <<<"${BUILDAH_FLAGS:-}"
flags+=(--storage-driver vfs)

stage=$(mktemp -d)
ctr=""
cleanup() {
  [ -n "$ctr" ] && buildah "${flags[@]}" rm "$ctr" >/dev/null 2>&1 || true
  rm -rf "$stage"
}
trap cleanup EXIT

mkdir -p "$stage/nodejs/bin" "$stage/etc" "$stage/tmp" "$stage/app" "$stage/home/nonroot"
cp "$node" "$stage/nodejs/bin/node"
# Symbols and debug sections are 15% of the official binary and only serve native debuggers;
# STRIP=0 keeps them.
if [ "${STRIP:-1}" != 0 ] && command -v strip >/dev/null; then strip "$stage/nodejs/bin/node"; fi
for lib in $(ldd "$node" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do
  mkdir -p "$stage$(dirname "$lib")"
  cp -L "$lib" "$stage$lib"
done
printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' >"$stage/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' >"$stage/etc/group"
chmod 1777 "$stage/tmp"
chown 65532:65532 "$stage/home/nonroot"

version=$("$node" --version)
ctr=$(buildah "${flags[@]}" from scratch)
buildah "${flags[@]}" copy "$ctr" "$stage" / >/dev/null
buildah "${flags[@]}" config \
  --env PATH=/nodejs/bin:/usr/local/bin:/usr/bin:/bin \
  --user 65532:65532 \
  --workingdir /home/nonroot \
  --label org.opencontainers.image.title=tributary-node-base \
  --label "org.opencontainers.image.version=$version" \
  "$ctr"
mkdir -p "$(dirname "$out")"
buildah "${flags[@]}" commit --quiet "$ctr" "oci-archive:$out.partial" >/dev/null
mv "$out.partial" "$out"
echo "$out: Node $version base image, $(du -h "$out" | cut -f1)"
