# shellcheck shell=bash
# The plumbing of every script that builds Go commands into a cache outside the repository (sourced, not run):
# scripts/go-tool-bin.sh (jsonnet-bin.sh, kubeconform-bin.sh, registry-bin.sh), kube-testbin.sh and test-tools.sh.
# A cache is a version-keyed directory under ~/.cache/flotilla (flotilla_cache_root); a script enters it with
# go_cache_enter, builds what is missing with go_module_build, and closes with go_cache_ready.

# flotilla_cache_root: the folder all of Flotilla's tool caches live in ($XDG_CACHE_HOME/flotilla, else ~/.cache/flotilla).
flotilla_cache_root() {
  echo "${XDG_CACHE_HOME:-$HOME/.cache}/flotilla"
}

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

# go_cache_enter TAG DEST RESULT COMPLETE WHAT: when COMPLETE (a function) says the cache DEST holds everything,
# prints RESULT and ends the script. Else takes the lock on DEST and asks again (a concurrent run may have built it
# meanwhile), then requires Go to build WHAT and sets GO_BUILD_START (seconds) and GO_WORK (a work directory
# removed when the script exits).
go_cache_enter() {
  local tag="$1" dest="$2" result="$3" complete="$4" what="$5"
  if "$complete"; then echo "$result"; exit 0; fi
  go_cache_lock "$tag" "$dest"
  if "$complete"; then echo "$result"; exit 0; fi
  go_require "$tag" "$what"
  GO_BUILD_START=$(date +%s)
  GO_WORK="$(mktemp -d)"
  trap 'rm -rf "$GO_WORK"' EXIT
}

# go_build_seconds: seconds since go_cache_enter started the build.
go_build_seconds() {
  echo $(( $(date +%s) - GO_BUILD_START ))
}

# go_cache_ready TAG WHAT DEST RESULT: says WHAT is ready in DEST after how long (stderr) and prints RESULT, the
# script's last line of stdout.
go_cache_ready() {
  echo "$1: $2 ready in $3 after $(go_build_seconds) s" >&2
  echo "$4"
}

# go_module_build TAG WORKDIR MODULES PACKAGE OUT LDFLAGS [PREPARE]: builds PACKAGE in a throwaway wrapper module in
# WORKDIR (created) requiring MODULES (one or more MODULE@VERSION, space-separated, fetched in that order), after
# running PREPARE there (a function: replace lines, a main.go to build, say), into OUT (written as OUT.tmp, then
# moved, so a broken build never leaves a half binary). Static, trimmed paths.
go_module_build() {
  local tag="$1" work="$2" modules="$3" package="$4" out="$5" ldflags="$6" prepare="${7:-}" module
  local -a each
  read -ra each <<<"$modules"
  mkdir -p "$work"
  (
    cd "$work" || exit 1
    export CGO_ENABLED=0 GOFLAGS=-mod=mod GOTOOLCHAIN=local
    [[ -f go.mod ]] || go mod init "local/$tag-$(basename "$work")" >/dev/null 2>&1
    if [[ -n "$prepare" ]]; then "$prepare"; fi
    for module in "${each[@]}"; do go get "$module" >&2; done
    go build -trimpath -ldflags "$ldflags" -o "$out.tmp" "$package" >&2
  )
  mv "$out.tmp" "$out"
}
