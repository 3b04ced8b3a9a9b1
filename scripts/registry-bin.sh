#!/usr/bin/env bash
# Builds the CNCF Distribution registry (`github.com/distribution/distribution/v3/cmd/registry`, the OCI registry the
# OCI chart tests push to and pull from on loopback) from its Go module into ~/.cache/flotilla/registry/<version>,
# reusing it when present (scripts/go-tool-bin.sh does the work). Prints the path of the binary on its last line of stdout.
#
# Environment: FLOTILLA_REGISTRY_VERSION (default v3.1.2), FLOTILLA_REGISTRY_BIN (use this directory instead).
exec "$(dirname "${BASH_SOURCE[0]}")/go-tool-bin.sh" registry v3.1.2 github.com/distribution/distribution/v3 github.com/distribution/distribution/v3/cmd/registry "distribution registry"
