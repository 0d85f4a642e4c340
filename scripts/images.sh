#!/usr/bin/env bash
# make images: the two container images (containers/*.Containerfile) built with podman.
#   IMAGE_BASE=…   the base image (default: a local Debian bookworm made with debootstrap,
#                  localhost/debian-base:bookworm; elsewhere e.g. debian:bookworm-slim)
#   IMAGES="mock-esia esia-e2e"   which ones
# Python packages come from a wheelhouse built here (pinned to this venv's versions), so the
# builds themselves need no network but Debian's package mirror.
set -euo pipefail
cd "$(dirname "$0")/.."
log() { echo "images: $*" >&2; }
fail() { echo "images: $*" >&2; exit 2; }

VERSION=$(.venv/bin/python -c 'import importlib.metadata as m; print(m.version("esia-e2e"))')
IMAGES=${IMAGES:-"mock-esia esia-e2e"}
CONTEXT=build/images

# 1. The tools, from Debian (root installs them; anyone else is told what to install).
missing=()
for tool in podman buildah runc debootstrap; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || fail "missing: ${missing[*]}. Install them: sudo apt-get install -y podman buildah runc debootstrap"
  log "installing ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman buildah runc debootstrap >/dev/null
fi
export CONTAINERS_CONF=${CONTAINERS_CONF:-$PWD/containers/containers.conf}

# 2. The base image.
if [ -z "${IMAGE_BASE:-}" ]; then
  IMAGE_BASE=localhost/debian-base:bookworm
  if ! podman image exists "$IMAGE_BASE"; then
    [ "$(id -u)" = 0 ] || fail "no base image: give IMAGE_BASE=debian:bookworm-slim (or run as root to make one with debootstrap)"
    mirror=$( { grep -rhoE '^(URIs:|deb) +[^ ]+' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null || true; } \
      | awk '{print $2}' | grep -E '/debian/?$' | head -1)
    [ -n "$mirror" ] || fail "cannot find this machine's Debian mirror in /etc/apt/sources.list*"
    log "making $IMAGE_BASE with debootstrap from this machine's Debian mirror (about 40 s)"
    rootfs=$(mktemp -d)
    trap 'rm -rf "$rootfs"' EXIT
    debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >/dev/null
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    # The image's apt sources are this machine's own (the mirror a build here can reach).
    rm -f "$rootfs"/etc/apt/sources.list
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*; do
      # Debian's own sources only (not a third party's, such as a Node.js repository).
      if [ -f "$f" ] && grep -qE '/debian(-security)?/?( |$)' "$f" && ! grep -q nodesource "$f"; then
        cp "$f" "$rootfs$f"
      fi
    done
    tar -C "$rootfs" -c . | podman import --change 'CMD ["/bin/bash"]' - "$IMAGE_BASE" >/dev/null
    rm -rf "$rootfs"; trap - EXIT
  fi
fi

# 3. The build context: the wheelhouse (this project and its dependencies, pinned to the venv),
#    the Allure CLI of package.json's pin, and the ffmpeg linker.
rm -rf "$CONTEXT" && mkdir -p "$CONTEXT/wheelhouse"
.venv/bin/python -m pip freeze --exclude-editable --disable-pip-version-check \
  | grep -v '^esia-e2e' > "$CONTEXT/wheelhouse/constraints.txt"
log "building the wheelhouse (pip wheel, pinned to .venv)"
.venv/bin/python -m pip wheel -q --disable-pip-version-check --wheel-dir "$CONTEXT/wheelhouse" \
  --constraint "$CONTEXT/wheelhouse/constraints.txt" . >"$CONTEXT/pip-wheel.log" 2>&1 \
  || { tail -20 "$CONTEXT/pip-wheel.log" >&2; fail "pip wheel failed (whole log: $CONTEXT/pip-wheel.log)"; }
[ -x node_modules/allure-commandline/dist/bin/allure ] || fail "no Allure CLI in node_modules: run make setup"
cp -a node_modules/allure-commandline/dist "$CONTEXT/allure"
cp scripts/link_ffmpeg.py containers/mock-esia.requirements "$CONTEXT/"

# 4. The images.
for image in $IMAGES; do
  log "building localhost/$image:$VERSION"
  started=$(date +%s)
  podman build -q --format docker --layers --force-rm --build-arg "BASE=$IMAGE_BASE" \
    -f "containers/$image.Containerfile" -t "localhost/$image:$VERSION" -t "localhost/$image:latest" \
    "$CONTEXT" >"$CONTEXT/build-$image.log" 2>&1 \
    || { tail -30 "$CONTEXT/build-$image.log" >&2; fail "building $image failed (log: $CONTEXT/build-$image.log)"; }
  size=$(podman image inspect --format '{{.Size}}' "localhost/$image:$VERSION")
  log "localhost/$image:$VERSION built in $(( $(date +%s) - started )) s, $(( size / 1000000 )) MB"
done
