#!/usr/bin/env bash
# Builds go-jsonnet's `jsonnet` command (the Jsonnet implementation Argo CD links) from its Go module into
# ~/.cache/flotilla/jsonnet/<version>, reusing it when present (scripts/go-tool-bin.sh does the work).
# Prints the path of the binary on its last line of stdout.
#
# Environment: FLOTILLA_JSONNET_VERSION (default v0.21.0), FLOTILLA_JSONNET_BIN (use this directory instead).
exec "$(dirname "${BASH_SOURCE[0]}")/go-tool-bin.sh" jsonnet v0.21.0 github.com/google/go-jsonnet github.com/google/go-jsonnet/cmd/jsonnet go-jsonnet
