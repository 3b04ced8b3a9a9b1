#!/usr/bin/env bash
# Builds kubeconform (github.com/yannh/kubeconform), the schema-validation oracle of the validate tests and benchmark,
# from its Go module into ~/.cache/flotilla/kubeconform/<version>, reusing it when present (scripts/go-tool-bin.sh
# does the work). Prints the path of the binary on its last line of stdout.
#
# Environment: FLOTILLA_KUBECONFORM_VERSION (default v0.7.0), FLOTILLA_KUBECONFORM_BIN (use this directory instead).
exec "$(dirname "${BASH_SOURCE[0]}")/go-tool-bin.sh" kubeconform v0.7.0 github.com/yannh/kubeconform github.com/yannh/kubeconform/cmd/kubeconform
