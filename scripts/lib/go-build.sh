# Shared by scripts/kube-testbin.sh and scripts/jsonnet-bin.sh (sourced, not run): the cache lock and the Go-module
# build of one command into a cache directory.

# go_cache_lock TAG DEST: creates DEST and holds an flock on DEST/.lock (file descriptor 9) for the rest of the
# script, saying so when another build holds it.
go_cache_lock() {
  local tag="$1" dest="$2"
  mkdir -p "$dest"
  exec 9>"$dest/.lock"
  if ! flock -n 9; then
    echo "$tag: another build of $dest is running, waiting for it" >&2
    flock 9
  fi
}

# go_require TAG WHAT: fails with a clear line when Go is not installed.
go_require() {
  command -v go >/dev/null || { echo "$1: 'go' is required to build $2" >&2; exit 1; }
}

# go_module_build TAG WORKDIR MODULE@VERSION PACKAGE OUT LDFLAGS [PREPARE]: builds PACKAGE of MODULE@VERSION in a
# throwaway wrapper module in WORKDIR (created), after running PREPARE there (a function: replace lines, say),
# into OUT (written as OUT.tmp, then moved, so a broken build never leaves a half binary). Static, trimmed paths.
go_module_build() {
  local tag="$1" work="$2" module="$3" package="$4" out="$5" ldflags="$6" prepare="${7:-}"
  mkdir -p "$work"
  (
    cd "$work"
    export CGO_ENABLED=0 GOFLAGS=-mod=mod GOTOOLCHAIN=local
    [[ -f go.mod ]] || go mod init "local/$tag-$(basename "$work")" >/dev/null 2>&1
    if [[ -n "$prepare" ]]; then "$prepare"; fi
    go get "$module" >&2
    go build -trimpath -ldflags "$ldflags" -o "$out.tmp" "$package" >&2
  )
  mv "$out.tmp" "$out"
}
