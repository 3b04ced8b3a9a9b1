#!/usr/bin/env bash
# Builds the CNCF Distribution registry (`github.com/distribution/distribution/v3/cmd/registry`, the OCI registry the
# OCI chart tests push to and pull from on loopback) from its Go module into a version-keyed cache outside the
# repository, reusing it when present. Prints the path of the binary on its last line of stdout.
# Idempotent and safe to run concurrently (an flock on the cache directory).
#
# Environment: FLOTILLA_REGISTRY_VERSION (default v3.1.2), FLOTILLA_REGISTRY_BIN (use this directory instead).
set -euo pipefail
# shellcheck source=lib/go-build.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/go-build.sh"

VERSION="${FLOTILLA_REGISTRY_VERSION:-v3.1.2}"
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/flotilla/registry"
DEST="${FLOTILLA_REGISTRY_BIN:-$CACHE_ROOT/$VERSION}"

complete() { [[ -x "$DEST/registry" ]]; }
if complete; then echo "$DEST/registry"; exit 0; fi

go_cache_lock registry-bin "$DEST"
if complete; then echo "$DEST/registry"; exit 0; fi

go_require registry-bin distribution
start=$(date +%s)
echo "registry-bin: building distribution registry $VERSION into $DEST" >&2
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
go_module_build registry-bin "$work/registry" "github.com/distribution/distribution/v3@$VERSION" github.com/distribution/distribution/v3/cmd/registry "$DEST/registry" "-s -w"
echo "registry-bin: registry ready in $DEST after $(( $(date +%s) - start )) s" >&2
echo "$DEST/registry"
