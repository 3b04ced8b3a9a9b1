/**
 * The three glob dialects a git generator meets: Go's `path.Match` (directories), git's pathspec globbing (files, Argo
 * CD's default) and doublestar (files, with `applicationsetcontroller.enable.new.git.file.globbing`). Each compiles a
 * pattern once into a RegExp; a malformed pattern throws a GlobError.
 */

/** A malformed glob pattern (Go's `path.ErrBadPattern`). */
export class GlobError extends Error {
  constructor(readonly pattern: string, detail: string) {
    super(`syntax error in pattern '${pattern}': ${detail}`);
    this.name = 'GlobError';
  }
}

const REGEX_SPECIAL = /[\\^$.*+?()[\]{}|/-]/g;
const escapeRe = (s: string): string => s.replace(REGEX_SPECIAL, '\\$&');

/** Reads a `[...]` class starting at `i` (just after `[`); returns the RegExp class text and the index after `]`. */
function readClass(pattern: string, i: number): { re: string; next: number } {
  let negate = false;
  if (pattern[i] === '^' || pattern[i] === '!') {
    // Go's path.Match knows only '^'; '!' is git/doublestar. Both negate here, which is what each dialect means.
    negate = true;
    i++;
  }
  let body = '';
  let first = true;
  for (;;) {
    if (i >= pattern.length) throw new GlobError(pattern, 'unterminated [');
    let c = pattern[i]!;
    if (c === ']' && !first) return { re: `[${negate ? '^' : ''}${body}]`, next: i + 1 };
    if (c === '\\') {
      i++;
      if (i >= pattern.length) throw new GlobError(pattern, 'trailing \\');
      c = pattern[i]!;
    } else if (c === '-' || (c === ']' && first)) throw new GlobError(pattern, `unexpected '${c}' in character class`);
    i++;
    const lo = c;
    if (pattern[i] === '-' && pattern[i + 1] !== ']' && i + 1 < pattern.length) {
      i++;
      let hi = pattern[i]!;
      if (hi === '\\') {
        i++;
        hi = pattern[i] ?? '';
        if (hi === '') throw new GlobError(pattern, 'trailing \\');
      }
      i++;
      if (hi < lo) throw new GlobError(pattern, `bad range ${lo}-${hi}`);
      body += `${escapeRe(lo)}-${escapeRe(hi)}`;
    } else body += escapeRe(lo);
    first = false;
  }
}

/** Compiles a Go `path.Match` pattern: `*` and `?` never cross `/`; `[...]` classes; `\` escapes. */
export function compileGoPathMatch(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i]!;
    if (c === '*') {
      re += '[^/]*';
      i++;
    } else if (c === '?') {
      re += '[^/]';
      i++;
    } else if (c === '[') {
      const cls = readClass(pattern, i + 1);
      re += cls.re;
      i = cls.next;
    } else if (c === '\\') {
      if (i + 1 >= pattern.length) throw new GlobError(pattern, 'trailing \\');
      re += escapeRe(pattern[i + 1]!);
      i += 2;
    } else {
      re += escapeRe(c);
      i++;
    }
  }
  return new RegExp(`^${re}$`, 's');
}

/**
 * Compiles a doublestar pattern: `**` as a whole segment matches any number of folders (zero included), `*` and `?`
 * stay within a segment, `{a,b}` alternates, `[...]` classes.
 */
export function compileDoublestar(pattern: string): RegExp {
  let re = '';
  let depth = 0;
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i]!;
    const atSegStart = i === 0 || pattern[i - 1] === '/';
    if (c === '*' && pattern[i + 1] === '*' && atSegStart && (i + 2 === pattern.length || pattern[i + 2] === '/')) {
      if (i + 2 === pattern.length) re += '.*';
      else re += '(?:.*/)?';
      i += i + 2 === pattern.length ? 2 : 3;
    } else if (c === '*') {
      re += '[^/]*';
      i++;
    } else if (c === '?') {
      re += '[^/]';
      i++;
    } else if (c === '[') {
      const cls = readClass(pattern, i + 1);
      re += cls.re;
      i = cls.next;
    } else if (c === '{') {
      re += '(?:';
      depth++;
      i++;
    } else if (c === '}' && depth > 0) {
      re += ')';
      depth--;
      i++;
    } else if (c === ',' && depth > 0) {
      re += '|';
      i++;
    } else if (c === '\\') {
      if (i + 1 >= pattern.length) throw new GlobError(pattern, 'trailing \\');
      re += escapeRe(pattern[i + 1]!);
      i += 2;
    } else {
      re += escapeRe(c);
      i++;
    }
  }
  if (depth > 0) throw new GlobError(pattern, 'unterminated {');
  return new RegExp(`^${re}$`, 's');
}

/**
 * Compiles a git pathspec as `git ls-files -- <pattern>` matches it: without wildcards, the exact path or anything
 * under it as a folder; with wildcards, git's wildmatch without WM_PATHNAME, so `*` also crosses `/`, and a
 * segment-leading double star followed by a slash may match no folder.
 */
export function compileGitPathspec(pattern: string): (path: string) => boolean {
  const p = pattern.replace(/^\.\//, '').replace(/^\/+/, '');
  if (!/[*?[\\]/.test(p)) {
    const dir = p.endsWith('/') ? p : `${p}/`;
    return (path) => path === p || path.startsWith(dir) || p === '';
  }
  let re = '';
  for (let i = 0; i < p.length; ) {
    const c = p[i]!;
    if (c === '*') {
      const start = i;
      while (p[i] === '*') i++;
      // wildmatch: a double star + slash that starts a segment may also match no folder at all (`a/**/b` matches `a/b`).
      if (i - start >= 2 && (start === 0 || p[start - 1] === '/') && p[i] === '/') {
        re += '(?:.*/)?';
        i++;
      } else re += '.*';
    } else if (c === '?') {
      re += '.';
      i++;
    } else if (c === '[') {
      const cls = readClass(p, i + 1);
      re += cls.re;
      i = cls.next;
    } else if (c === '\\') {
      if (i + 1 >= p.length) throw new GlobError(pattern, 'trailing \\');
      re += escapeRe(p[i + 1]!);
      i += 2;
    } else {
      re += escapeRe(c);
      i++;
    }
  }
  const rx = new RegExp(`^${re}$`, 's');
  return (path) => rx.test(path);
}
