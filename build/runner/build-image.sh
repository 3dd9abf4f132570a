#!/usr/bin/env bash
# Builds the runner's OCI image with buildah (docs/runner-on-a-server.md):
#   build/runner/build-image.sh [IMAGE]        (default localhost/paddock-runner:<version>)
# and saves it as dist/paddock-runner-image-<version>.tar (docker-archive, for `podman load -i`;
# PADDOCK_RUNNER_IMAGE_ARCHIVE=0 skips that).
# BASE=<image>: the Debian base to build on (default: docker.io/library/debian:bookworm-slim
# when PADDOCK_RUNNER_BASE_FROM_DEBIAN is unset and a registry answers). Without a registry,
# PADDOCK_RUNNER_BASE_FROM_DEBIAN=1 assembles the base from Debian packages with mmdebstrap
# (Debian packages mmdebstrap and buildah) and imports it as localhost/paddock-runner-base:bookworm.
# NODE=<file>: the Node 24 binary to put in (default: the node on PATH).
# BUILDAH_OPTS: extra buildah options (e.g. "--storage-driver vfs" where overlay cannot mount).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
version=$(node -p 'require("./package.json").version')
image=${1:-localhost/paddock-runner:$version}
read -r -a opts <<<"${BUILDAH_OPTS:-}"

node_bin=$(readlink -f "${NODE:-$(command -v node)}")
[ "$("$node_bin" -p 'process.versions.node.split(".")[0]')" = 24 ] || { echo "build-image: $node_bin is not Node 24" >&2; exit 64; }

context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT
npm run --silent build:runner >/dev/null
cp "dist/paddock-runner-$version.tgz" "$context/paddock-runner.tgz"
cp "$node_bin" "$context/node"
cp build/runner/Containerfile "$context/Containerfile"

base=${BASE:-docker.io/library/debian:bookworm-slim}
if [ -n "${PADDOCK_RUNNER_BASE_FROM_DEBIAN:-}" ]; then
  base=localhost/paddock-runner-base:bookworm
  if ! buildah "${opts[@]}" inspect --type image "$base" >/dev/null 2>&1; then
    echo "build-image: assembling $base from Debian packages (mmdebstrap)"
    mmdebstrap --quiet --variant=minbase --include=git,ca-certificates,libstdc++6 \
      --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
      bookworm "$context/rootfs.tar" "${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
    container=$(buildah "${opts[@]}" from scratch)
    buildah "${opts[@]}" add "$container" "$context/rootfs.tar" /
    buildah "${opts[@]}" commit --quiet --rm "$container" "$base" >/dev/null
    rm "$context/rootfs.tar"
  fi
fi
buildah "${opts[@]}" build --isolation chroot --format docker --build-arg "BASE=$base" -t "$image" "$context"
echo "build-image: built $image"
if [ "${PADDOCK_RUNNER_IMAGE_ARCHIVE:-1}" != 0 ]; then
  rm -f "dist/paddock-runner-image-$version.tar"
  buildah "${opts[@]}" push --quiet "$image" "docker-archive:dist/paddock-runner-image-$version.tar:$image"
  echo "build-image: saved dist/paddock-runner-image-$version.tar"
fi
