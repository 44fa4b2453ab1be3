#!/usr/bin/env bash
# Makes the base images the Dockerfiles start FROM, from Debian's packages alone (no image registry is
# reachable here): debootstrap a minimal bookworm, `docker import` it, and build on it a stand-in for
# python:3.11-slim-bookworm (Debian's python3.11, with `python` and `pip` where the official image has them).
# Idempotent: an image that already exists is kept (FORCE=1 remakes both).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BASE_TAG=mysmartnotes-proof/bookworm:base
PYTHON_TAG=python:3.11-slim-bookworm
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
NICE=(nice -n "${PROOF_NICE:-15}")

have() { docker image inspect "$1" >/dev/null 2>&1; }

if [[ "${FORCE:-0}" == 1 ]] || ! have "$BASE_TAG"; then
    rootfs="$(mktemp -d /var/tmp/mysmartnotes-rootfs.XXXXXX)"
    trap 'umount -R "$rootfs/proc" 2>/dev/null || true; rm -rf --one-file-system "$rootfs"' EXIT
    echo "== debootstrap bookworm (minbase) into $rootfs"
    "${NICE[@]}" debootstrap --variant=minbase bookworm "$rootfs" "$MIRROR" >"$rootfs.log" 2>&1 \
        || { tail -20 "$rootfs.log"; exit 1; }
    rm -f "$rootfs.log"
    # The official images' apt sources: bookworm, bookworm-updates and the security archive.
    rm -f "$rootfs/etc/apt/sources.list"
    cat >"$rootfs/etc/apt/sources.list.d/debian.sources" <<SOURCES
Types: deb
URIs: $MIRROR
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
    # Like the official slim images: no apt caches, no docs in later installs.
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/tmp/*
    printf 'path-exclude /usr/share/doc/*\npath-include /usr/share/doc/*/copyright\npath-exclude /usr/share/man/*\npath-exclude /usr/share/info/*\n' \
        >"$rootfs/etc/dpkg/dpkg.cfg.d/docker-slim"
    echo "== docker import -> $BASE_TAG"
    tar --numeric-owner --one-file-system -C "$rootfs" --exclude=./proc/* --exclude=./sys/* --exclude=./dev/* -c . \
        | docker import --change 'ENV LANG=C.UTF-8' \
            --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
            --change 'CMD ["bash"]' - "$BASE_TAG" >/dev/null
    rm -rf --one-file-system "$rootfs"
    trap - EXIT
fi

# Always built: the layer cache makes it a no-op unless the machine's local CAs changed.
echo "== build $PYTHON_TAG (stand-in) from $BASE_TAG"
rm -rf "$HERE/images/python/local-ca" && mkdir -p "$HERE/images/python/local-ca"
cp /usr/local/share/ca-certificates/*.crt "$HERE/images/python/local-ca/" 2>/dev/null || true
"${NICE[@]}" docker build --network host -q -t "$PYTHON_TAG" "$HERE/images/python" >/dev/null
docker image ls --format '{{.Repository}}:{{.Tag}}  {{.Size}}' | grep -E "^($BASE_TAG|$PYTHON_TAG) " || true
