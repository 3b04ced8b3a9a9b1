#!/usr/bin/env bash
# Builds kube-apiserver and etcd from their Go modules into a version-keyed cache
# outside the repository, reusing the cache when it is complete.
# Prints the directory holding the binaries on its last line of stdout.
# Idempotent and safe to run concurrently (an flock on the cache directory).
#
# Environment: FLOTILLA_KUBE_VERSION (default v1.32.3), FLOTILLA_ETCD_VERSION
# (default v3.5.21), FLOTILLA_KUBE_TESTBIN (use this directory instead).
set -euo pipefail

KUBE_VERSION="${FLOTILLA_KUBE_VERSION:-v1.32.3}"
ETCD_VERSION="${FLOTILLA_ETCD_VERSION:-v3.5.21}"
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/flotilla/kube-testbin"
DEST="${FLOTILLA_KUBE_TESTBIN:-$CACHE_ROOT/${KUBE_VERSION}-etcd${ETCD_VERSION#v}}"

complete() { [[ -x "$DEST/kube-apiserver" && -x "$DEST/etcd" && -f "$DEST/.complete" ]]; }

if complete; then echo "$DEST"; exit 0; fi

mkdir -p "$DEST"
exec 9>"$DEST/.lock"
if ! flock -n 9; then
  echo "kube-testbin: another build of $DEST is running, waiting for it" >&2
  flock 9
fi
if complete; then echo "$DEST"; exit 0; fi

command -v go >/dev/null || { echo "kube-testbin: 'go' is required to build kube-apiserver and etcd" >&2; exit 1; }

start=$(date +%s)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export CGO_ENABLED=0 GOFLAGS=-mod=mod GOTOOLCHAIN=local
minor="${KUBE_VERSION#v1.}"; minor="${minor%%.*}"
staging="v0.${KUBE_VERSION#v1.}"

if [[ ! -x "$DEST/kube-apiserver" ]]; then
  echo "kube-testbin: building kube-apiserver $KUBE_VERSION into $DEST (several minutes on a cold cache)" >&2
  mkdir -p "$work/kube" && cd "$work/kube"
  go mod init local/testbin-kube >/dev/null 2>&1
  gomod="$(go mod download -json "k8s.io/kubernetes@$KUBE_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p')"
  [[ -f "$gomod" ]] || { echo "kube-testbin: could not download k8s.io/kubernetes@$KUBE_VERSION" >&2; exit 1; }
  grep -E '^[[:space:]]*k8s\.io/[a-z0-9-]+ v0\.0\.0([[:space:]]|$)' "$gomod" | awk '{print $1}' | sort -u | while read -r mod; do
    go mod edit -replace "$mod=$mod@$staging"
  done
  go get "k8s.io/kubernetes/cmd/kube-apiserver@$KUBE_VERSION" >&2
  ldflags="-s -w -X k8s.io/component-base/version.gitVersion=$KUBE_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/client-go/pkg/version.gitVersion=$KUBE_VERSION"
  go build -trimpath -ldflags "$ldflags" -o "$DEST/kube-apiserver.tmp" k8s.io/kubernetes/cmd/kube-apiserver >&2
  mv "$DEST/kube-apiserver.tmp" "$DEST/kube-apiserver"
  echo "kube-testbin: kube-apiserver built after $(( $(date +%s) - start )) s" >&2
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

touch "$DEST/.complete"
echo "kube-testbin: binaries ready in $DEST after $(( $(date +%s) - start )) s" >&2
echo "$DEST"
