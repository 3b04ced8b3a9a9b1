#!/usr/bin/env bash
# Builds the Go test tools under test/tools/ (expr-eval: github.com/expr-lang/expr, the expression engine of Argo CD's
# notifications; prom-parse: github.com/prometheus/common/expfmt, Prometheus' text-format parser) into a cache outside
# the repository keyed by the tools' source and module versions, reusing it when present.
# Prints the cache directory holding both binaries on its last line of stdout.
# Idempotent and safe to run concurrently (an flock on the cache directory).
#
# Environment: FLOTILLA_TEST_TOOLS (use this directory instead).
set -euo pipefail
# shellcheck source=lib/go-build.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/go-build.sh"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
EXPR_VERSION=v1.17.8
EXPFMT_VERSION=v0.74.0
CLIENT_MODEL_VERSION=v0.6.3
key="$( (echo "$EXPR_VERSION $EXPFMT_VERSION $CLIENT_MODEL_VERSION"; cat "$ROOT"/test/tools/*/main.go) | sha256sum | cut -c1-16)"
DEST="${FLOTILLA_TEST_TOOLS:-$(flotilla_cache_root)/test-tools/$key}"

complete() { [[ -x "$DEST/expr-eval" && -x "$DEST/prom-parse" ]]; }
go_cache_enter test-tools "$DEST" "$DEST" complete "the test tools"

# The tool's main.go in its wrapper module (the work directory is named after the tool).
tool_main() { cp "$ROOT/test/tools/$(basename "$PWD")/main.go" .; }

echo "test-tools: building expr-eval and prom-parse into $DEST" >&2
go_module_build test-tools "$GO_WORK/expr-eval" "github.com/expr-lang/expr@$EXPR_VERSION" . "$DEST/expr-eval" "-s -w" tool_main
go_module_build test-tools "$GO_WORK/prom-parse" "github.com/prometheus/common@$EXPFMT_VERSION github.com/prometheus/client_model@$CLIENT_MODEL_VERSION" . "$DEST/prom-parse" "-s -w" tool_main
go_cache_ready test-tools "expr-eval and prom-parse" "$DEST" "$DEST"
