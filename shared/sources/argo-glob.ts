// Argo CD's `util/glob.Match` (gobwas/glob compiled without separators): `*` and `**` match any run of characters,
// `/` included; `?` one character; `[abc]`, `[a-z]`, `[!x]` classes; `{a,b}` alternatives (which may hold wildcards);
// `\` escapes. A pattern that does not compile matches nothing.

const cache = new Map<string, RegExp | null>();

/** Whether `text` matches the glob as Argo CD matches directory `include` / `exclude` patterns. */
export function argoGlobMatch(pattern: string, text: string): boolean {
  let re = cache.get(pattern);
  if (re === undefined) {
    re = compile(pattern);
    cache.set(pattern, re);
  }
  return re !== null && re.test(text);
}

function compile(pattern: string): RegExp | null {
  let i = 0;
  const parse = (inBraces: boolean): string | null => {
    let out = '';
    while (i < pattern.length) {
      const c = pattern[i]!;
      if (inBraces && (c === ',' || c === '}')) return out;
      i++;
      if (c === '*') {
        while (pattern[i] === '*') i++;
        out += '[\\s\\S]*';
      } else if (c === '?') out += '[\\s\\S]';
      else if (c === '\\') {
        if (i >= pattern.length) return null;
        out += escape(pattern[i++]!);
      } else if (c === '[') {
        const end = pattern.indexOf(']', i);
        if (end < 0) return null;
        let body = pattern.slice(i, end);
        i = end + 1;
        const negate = body.startsWith('!');
        if (negate) body = body.slice(1);
        if (body === '') return null;
        out += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      } else if (c === '{') {
        const alts: string[] = [];
        for (;;) {
          const alt = parse(true);
          if (alt === null || i >= pattern.length) return null;
          alts.push(alt);
          const sep = pattern[i++];
          if (sep === '}') break;
        }
        out += `(?:${alts.join('|')})`;
      } else out += escape(c);
    }
    return inBraces ? null : out;
  };
  const src = parse(false);
  return src === null ? null : new RegExp(`^${src}$`);
}

function escape(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
