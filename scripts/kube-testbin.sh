#!/usr/bin/env bash
# Builds kube-apiserver, kube-controller-manager, kube-scheduler, etcd and kwok
# from their Go modules into a version-keyed cache outside the repository,
# reusing the cache when it is complete. A cache missing some binaries (one made
# before the controllers were added, say) builds only the missing ones.
# Prints the directory holding the binaries on its last line of stdout.
# Idempotent and safe to run concurrently (an flock on the cache directory).
#
# Environment: FLOTILLA_KUBE_VERSION (default v1.32.3), FLOTILLA_ETCD_VERSION
# (default v3.5.21), FLOTILLA_KWOK_VERSION (default v0.8.0), FLOTILLA_KUBE_TESTBIN
# (use this directory instead).
set -euo pipefail
# shellcheck source=lib/go-build.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/go-build.sh"

KUBE_VERSION="${FLOTILLA_KUBE_VERSION:-v1.32.3}"
ETCD_VERSION="${FLOTILLA_ETCD_VERSION:-v3.5.21}"
KWOK_VERSION="${FLOTILLA_KWOK_VERSION:-v0.8.0}"
DEST="${FLOTILLA_KUBE_TESTBIN:-$(flotilla_cache_root)/kube-testbin/${KUBE_VERSION}-etcd${ETCD_VERSION#v}}"
KUBE_BINARIES=(kube-apiserver kube-controller-manager kube-scheduler)
# kwok has its own version: the binary's name carries it, so another
# FLOTILLA_KWOK_VERSION builds beside the old one in the same cache.
KWOK_BIN="kwok-$KWOK_VERSION"

complete() {
  local b
  for b in "${KUBE_BINARIES[@]}" etcd "$KWOK_BIN"; do [[ -x "$DEST/$b" ]] || return 1; done
  [[ -f "$DEST/.complete" ]]
}

go_cache_enter kube-testbin "$DEST" "$DEST" complete "the test fleet's binaries"
minor="${KUBE_VERSION#v1.}"; minor="${minor%%.*}"
staging="v0.${KUBE_VERSION#v1.}"

# k8s.io/kubernetes requires its staging modules at v0.0.0: replace each with its published version (run once per
# wrapper module, in it).
kube_staging_replaces() {
  [[ -f .replaced ]] && return 0
  local gomod
  gomod="$(go mod download -json "k8s.io/kubernetes@$KUBE_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p')"
  [[ -f "$gomod" ]] || { echo "kube-testbin: could not download k8s.io/kubernetes@$KUBE_VERSION" >&2; exit 1; }
  grep -E '^[[:space:]]*k8s\.io/[a-z0-9-]+ v0\.0\.0([[:space:]]|$)' "$gomod" | awk '{print $1}' | sort -u | while read -r mod; do
    go mod edit -replace "$mod=$mod@$staging"
  done
  touch .replaced
}

missing_kube=()
for b in "${KUBE_BINARIES[@]}"; do [[ -x "$DEST/$b" ]] || missing_kube+=("$b"); done
if (( ${#missing_kube[@]} )); then
  echo "kube-testbin: building ${missing_kube[*]} $KUBE_VERSION into $DEST (several minutes each on a cold cache)" >&2
  ldflags="-s -w -X k8s.io/component-base/version.gitVersion=$KUBE_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/client-go/pkg/version.gitVersion=$KUBE_VERSION"
  for b in "${missing_kube[@]}"; do
    go_module_build kube-testbin "$GO_WORK/kube" "k8s.io/kubernetes/cmd/$b@$KUBE_VERSION" "k8s.io/kubernetes/cmd/$b" "$DEST/$b" "$ldflags" kube_staging_replaces
    echo "kube-testbin: $b built after $(go_build_seconds) s" >&2
  done
fi

if [[ ! -x "$DEST/etcd" ]]; then
  echo "kube-testbin: building etcd $ETCD_VERSION into $DEST" >&2
  go_module_build kube-testbin "$GO_WORK/etcd" "go.etcd.io/etcd/server/v3@$ETCD_VERSION" go.etcd.io/etcd/server/v3 "$DEST/etcd" "-s -w"
  echo "kube-testbin: etcd built after $(go_build_seconds) s" >&2
fi

if [[ ! -x "$DEST/$KWOK_BIN" ]]; then
  echo "kube-testbin: building kwok $KWOK_VERSION into $DEST" >&2
  go_module_build kube-testbin "$GO_WORK/kwok" "sigs.k8s.io/kwok@$KWOK_VERSION" sigs.k8s.io/kwok/cmd/kwok "$DEST/$KWOK_BIN" "-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=$KWOK_VERSION"
  echo "kube-testbin: kwok built after $(go_build_seconds) s" >&2
fi

touch "$DEST/.complete"
go_cache_ready kube-testbin binaries "$DEST" "$DEST"
