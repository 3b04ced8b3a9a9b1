#!/usr/bin/env bash
# Builds kubeconform (github.com/yannh/kubeconform), the schema-validation oracle of the validate tests and benchmark,
# from its Go module into a version-keyed cache outside the repository, reusing it when present.
# Prints the path of the binary on its last line of stdout.
# Idempotent and safe to run concurrently (an flock on the cache directory).
#
# Environment: FLOTILLA_KUBECONFORM_VERSION (default v0.7.0), FLOTILLA_KUBECONFORM_BIN (use this directory instead).
set -euo pipefail
# shellcheck source=lib/go-build.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/go-build.sh"

VERSION="${FLOTILLA_KUBECONFORM_VERSION:-v0.7.0}"
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/flotilla/kubeconform"
DEST="${FLOTILLA_KUBECONFORM_BIN:-$CACHE_ROOT/$VERSION}"

complete() { [[ -x "$DEST/kubeconform" ]]; }
if complete; then echo "$DEST/kubeconform"; exit 0; fi

go_cache_lock kubeconform-bin "$DEST"
if complete; then echo "$DEST/kubeconform"; exit 0; fi

go_require kubeconform-bin kubeconform
start=$(date +%s)
echo "kubeconform-bin: building kubeconform $VERSION into $DEST" >&2
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
go_module_build kubeconform-bin "$work/kubeconform" "github.com/yannh/kubeconform@$VERSION" \
  github.com/yannh/kubeconform/cmd/kubeconform "$DEST/kubeconform" "-s -w"
echo "kubeconform-bin: kubeconform ready in $DEST after $(( $(date +%s) - start )) s" >&2
echo "$DEST/kubeconform"
