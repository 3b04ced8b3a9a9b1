/** Glob matching for repo-relative paths: `*` and `?` within a segment, `**` across segments, `{a,b}` alternatives. */

const cache = new Map<string, RegExp>();

/** Compiles a path glob to an anchored regular expression (cached). */
export function globToRegExp(glob: string): RegExp {
  let re = cache.get(glob);
  if (re) return re;
  let src = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const slash = glob[i + 2] === '/';
        src += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else src += '[^/]*';
    } else if (c === '?') src += '[^/]';
    else if (c === '{') {
      const end = glob.indexOf('}', i);
      if (end < 0) src += '\\{';
      else {
        src += '(?:' + glob.slice(i + 1, end).split(',').map(escapeRe).join('|') + ')';
        i = end;
      }
    } else src += escapeRe(c);
  }
  re = new RegExp(`^${src}$`);
  cache.set(glob, re);
  return re;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Whether a repo-relative path matches any of the globs. */
export function matchesAny(path: string, globs: readonly string[]): boolean {
  return globs.some((g) => globToRegExp(g).test(path));
}

/**
 * Where a glob's matches can be: `{ file }` for a glob without wildcards, else `{ dir }`, the folder above its first
 * wildcard segment ('' when the glob may match anywhere). Lets a scan walk only the folders its globs can match in.
 */
export function globRoot(glob: string): { readonly file: string } | { readonly dir: string } {
  const segments = glob.split('/');
  const wild = segments.findIndex((s) => /[*?{]/.test(s));
  if (wild < 0) return { file: glob };
  return { dir: segments.slice(0, wild).join('/') };
}
