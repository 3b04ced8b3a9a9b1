#!/usr/bin/env bash
# Builds the Go test tools under test/tools/ (expr-eval: github.com/expr-lang/expr, the expression engine of Argo CD's
# notifications; prom-parse: github.com/prometheus/common/expfmt, Prometheus' text-format parser) into a cache outside
# the repository keyed by the tools' source and module versions, reusing it when present.
# Prints the cache directory holding both binaries on its last line of stdout.
# Idempotent and safe to run concurrently (an flock on the cache directory).
set -euo pipefail
# shellcheck source=lib/go-build.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/go-build.sh"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
EXPR_VERSION=v1.17.8
EXPFMT_VERSION=v0.74.0
CLIENT_MODEL_VERSION=v0.6.3
key="$( (echo "$EXPR_VERSION $EXPFMT_VERSION $CLIENT_MODEL_VERSION"; cat "$ROOT"/test/tools/*/main.go) | sha256sum | cut -c1-16)"
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/flotilla/test-tools"
DEST="${FLOTILLA_TEST_TOOLS:-$CACHE_ROOT/$key}"

complete() { [[ -x "$DEST/expr-eval" && -x "$DEST/prom-parse" ]]; }
if complete; then echo "$DEST"; exit 0; fi

go_cache_lock test-tools "$DEST"
if complete; then echo "$DEST"; exit 0; fi

go_require test-tools "the test tools"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# build_tool NAME MODULE@VERSION...: the tool's main.go in a throwaway module requiring the given modules.
build_tool() {
  local name="$1"; shift
  mkdir -p "$work/$name"
  cp "$ROOT/test/tools/$name/main.go" "$work/$name/"
  (
    cd "$work/$name"
    export CGO_ENABLED=0 GOFLAGS=-mod=mod GOTOOLCHAIN=local
    go mod init "local/flotilla-$name" >/dev/null 2>&1
    for m in "$@"; do go get "$m" >&2; done
    go build -trimpath -ldflags "-s -w" -o "$DEST/$name.tmp" . >&2
  )
  mv "$DEST/$name.tmp" "$DEST/$name"
}

echo "test-tools: building expr-eval and prom-parse into $DEST" >&2
build_tool expr-eval "github.com/expr-lang/expr@$EXPR_VERSION"
build_tool prom-parse "github.com/prometheus/common@$EXPFMT_VERSION" "github.com/prometheus/client_model@$CLIENT_MODEL_VERSION"
echo "$DEST"
