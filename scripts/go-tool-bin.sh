#!/usr/bin/env bash
# Builds one Go command from its module into a version-keyed cache outside the repository, ~/.cache/flotilla/NAME/VERSION,
# reusing it when present: the body of jsonnet-bin.sh, kubeconform-bin.sh and registry-bin.sh.
# Prints the path of the binary on its last line of stdout.
# Idempotent and safe to run concurrently (an flock on the cache directory).
#
# Usage: go-tool-bin.sh NAME VERSION MODULE PACKAGE [WHAT]
#   NAME the binary and its cache folder; progress lines start with NAME-bin. VERSION: the module's, unless
#   FLOTILLA_<NAME>_VERSION is set. MODULE: the Go module built at that version; PACKAGE: the command in it.
#   WHAT: how progress lines name what is built (default NAME).
# Environment: FLOTILLA_<NAME>_VERSION (another version), FLOTILLA_<NAME>_BIN (use this directory instead of the cache).
set -euo pipefail
# shellcheck source=lib/go-build.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/go-build.sh"

(( $# >= 4 )) || { echo "usage: $0 NAME VERSION MODULE PACKAGE [WHAT]" >&2; exit 2; }
NAME="$1" MODULE="$3" PACKAGE="$4" WHAT="${5:-$1}"
TAG="$NAME-bin"
ENV_PREFIX="FLOTILLA_$(tr 'a-z-' 'A-Z_' <<<"$NAME")"
version_var="${ENV_PREFIX}_VERSION" bin_var="${ENV_PREFIX}_BIN"
VERSION="${!version_var:-$2}"
DEST="${!bin_var:-$(flotilla_cache_root)/$NAME/$VERSION}"

complete() { [[ -x "$DEST/$NAME" ]]; }
go_cache_enter "$TAG" "$DEST" "$DEST/$NAME" complete "$WHAT"
echo "$TAG: building $WHAT $VERSION into $DEST" >&2
go_module_build "$TAG" "$GO_WORK/$NAME" "$MODULE@$VERSION" "$PACKAGE" "$DEST/$NAME" "-s -w"
go_cache_ready "$TAG" "$NAME" "$DEST" "$DEST/$NAME"
