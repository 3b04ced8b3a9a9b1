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

KUBE_VERSION="${FLOTILLA_KUBE_VERSION:-v1.32.3}"
ETCD_VERSION="${FLOTILLA_ETCD_VERSION:-v3.5.21}"
KWOK_VERSION="${FLOTILLA_KWOK_VERSION:-v0.8.0}"
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/flotilla/kube-testbin"
DEST="${FLOTILLA_KUBE_TESTBIN:-$CACHE_ROOT/${KUBE_VERSION}-etcd${ETCD_VERSION#v}}"
KUBE_BINARIES=(kube-apiserver kube-controller-manager kube-scheduler)
# kwok has its own version: the binary's name carries it, so another
# FLOTILLA_KWOK_VERSION builds beside the old one in the same cache.
KWOK_BIN="kwok-$KWOK_VERSION"

complete() {
  local b
  for b in "${KUBE_BINARIES[@]}" etcd "$KWOK_BIN"; do [[ -x "$DEST/$b" ]] || return 1; done
  [[ -f "$DEST/.complete" ]]
}

if complete; then echo "$DEST"; exit 0; fi

mkdir -p "$DEST"
exec 9>"$DEST/.lock"
if ! flock -n 9; then
  echo "kube-testbin: another build of $DEST is running, waiting for it" >&2
  flock 9
fi
if complete; then echo "$DEST"; exit 0; fi

command -v go >/dev/null || { echo "kube-testbin: 'go' is required to build the test fleet's binaries" >&2; exit 1; }

start=$(date +%s)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export CGO_ENABLED=0 GOFLAGS=-mod=mod GOTOOLCHAIN=local
minor="${KUBE_VERSION#v1.}"; minor="${minor%%.*}"
staging="v0.${KUBE_VERSION#v1.}"

missing_kube=()
for b in "${KUBE_BINARIES[@]}"; do [[ -x "$DEST/$b" ]] || missing_kube+=("$b"); done
if (( ${#missing_kube[@]} )); then
  echo "kube-testbin: building ${missing_kube[*]} $KUBE_VERSION into $DEST (several minutes each on a cold cache)" >&2
  mkdir -p "$work/kube" && cd "$work/kube"
  go mod init local/testbin-kube >/dev/null 2>&1
  gomod="$(go mod download -json "k8s.io/kubernetes@$KUBE_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p')"
  [[ -f "$gomod" ]] || { echo "kube-testbin: could not download k8s.io/kubernetes@$KUBE_VERSION" >&2; exit 1; }
  grep -E '^[[:space:]]*k8s\.io/[a-z0-9-]+ v0\.0\.0([[:space:]]|$)' "$gomod" | awk '{print $1}' | sort -u | while read -r mod; do
    go mod edit -replace "$mod=$mod@$staging"
  done
  ldflags="-s -w -X k8s.io/component-base/version.gitVersion=$KUBE_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/client-go/pkg/version.gitVersion=$KUBE_VERSION"
  for b in "${missing_kube[@]}"; do
    go get "k8s.io/kubernetes/cmd/$b@$KUBE_VERSION" >&2
    go build -trimpath -ldflags "$ldflags" -o "$DEST/$b.tmp" "k8s.io/kubernetes/cmd/$b" >&2
    mv "$DEST/$b.tmp" "$DEST/$b"
    echo "kube-testbin: $b built after $(( $(date +%s) - start )) s" >&2
  done
fi

if [[ ! -x "$DEST/etcd" ]]; then
  echo "kube-testbin: building etcd $ETCD_VERSION into $DEST" >&2
  mkdir -p "$work/etcd" && cd "$work/etcd"
  go mod init local/testbin-etcd >/dev/null 2>&1
  go get "go.etcd.io/etcd/server/v3@$ETCD_VERSION" >&2
  go build -trimpath -ldflags "-s -w" -o "$DEST/etcd.tmp" go.etcd.io/etcd/server/v3 >&2
  mv "$DEST/etcd.tmp" "$DEST/etcd"
  echo "kube-testbin: etcd built after $(( $(date +%s) - start )) s" >&2
fi

if [[ ! -x "$DEST/$KWOK_BIN" ]]; then
  echo "kube-testbin: building kwok $KWOK_VERSION into $DEST" >&2
  mkdir -p "$work/kwok" && cd "$work/kwok"
  go mod init local/testbin-kwok >/dev/null 2>&1
  go get "sigs.k8s.io/kwok@$KWOK_VERSION" >&2
  go build -trimpath -ldflags "-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=$KWOK_VERSION" -o "$DEST/$KWOK_BIN.tmp" sigs.k8s.io/kwok/cmd/kwok >&2
  mv "$DEST/$KWOK_BIN.tmp" "$DEST/$KWOK_BIN"
  echo "kube-testbin: kwok built after $(( $(date +%s) - start )) s" >&2
fi

touch "$DEST/.complete"
echo "kube-testbin: binaries ready in $DEST after $(( $(date +%s) - start )) s" >&2
echo "$DEST"
