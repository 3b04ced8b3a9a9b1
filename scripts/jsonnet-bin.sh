#!/usr/bin/env bash
# Builds go-jsonnet's `jsonnet` command (the Jsonnet implementation Argo CD links) from its Go module into a
# version-keyed cache outside the repository, reusing it when present.
# Prints the path of the binary on its last line of stdout.
# Idempotent and safe to run concurrently (an flock on the cache directory).
#
# Environment: FLOTILLA_JSONNET_VERSION (default v0.21.0), FLOTILLA_JSONNET_BIN (use this directory instead).
set -euo pipefail
# shellcheck source=lib/go-build.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/go-build.sh"

VERSION="${FLOTILLA_JSONNET_VERSION:-v0.21.0}"
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/flotilla/jsonnet"
DEST="${FLOTILLA_JSONNET_BIN:-$CACHE_ROOT/$VERSION}"

complete() { [[ -x "$DEST/jsonnet" ]]; }
if complete; then echo "$DEST/jsonnet"; exit 0; fi

go_cache_lock jsonnet-bin "$DEST"
if complete; then echo "$DEST/jsonnet"; exit 0; fi

go_require jsonnet-bin go-jsonnet
start=$(date +%s)
echo "jsonnet-bin: building go-jsonnet $VERSION into $DEST" >&2
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
go_module_build jsonnet-bin "$work/jsonnet" "github.com/google/go-jsonnet@$VERSION" github.com/google/go-jsonnet/cmd/jsonnet "$DEST/jsonnet" "-s -w"
echo "jsonnet-bin: jsonnet ready in $DEST after $(( $(date +%s) - start )) s" >&2
echo "$DEST/jsonnet"
