#!/usr/bin/env bash
# Builds go-jsonnet's `jsonnet` command (the Jsonnet implementation Argo CD links) from its Go module into a
# version-keyed cache outside the repository, reusing it when present.
# Prints the path of the binary on its last line of stdout.
# Idempotent and safe to run concurrently (an flock on the cache directory).
#
# Environment: FLOTILLA_JSONNET_VERSION (default v0.21.0), FLOTILLA_JSONNET_BIN (use this directory instead).
set -euo pipefail

VERSION="${FLOTILLA_JSONNET_VERSION:-v0.21.0}"
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/flotilla/jsonnet"
DEST="${FLOTILLA_JSONNET_BIN:-$CACHE_ROOT/$VERSION}"

complete() { [[ -x "$DEST/jsonnet" ]]; }
if complete; then echo "$DEST/jsonnet"; exit 0; fi

mkdir -p "$DEST"
exec 9>"$DEST/.lock"
if ! flock -n 9; then
  echo "jsonnet-bin: another build of $DEST is running, waiting for it" >&2
  flock 9
fi
if complete; then echo "$DEST/jsonnet"; exit 0; fi

command -v go >/dev/null || { echo "jsonnet-bin: 'go' is required to build go-jsonnet" >&2; exit 1; }
start=$(date +%s)
echo "jsonnet-bin: building go-jsonnet $VERSION into $DEST" >&2
CGO_ENABLED=0 GOTOOLCHAIN=local GOBIN="$DEST" go install -trimpath -ldflags "-s -w" "github.com/google/go-jsonnet/cmd/jsonnet@$VERSION" >&2
echo "jsonnet-bin: jsonnet ready in $DEST after $(( $(date +%s) - start )) s" >&2
echo "$DEST/jsonnet"
