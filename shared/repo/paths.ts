/** POSIX path helpers for repository-relative paths (pure: shared/ may not use node:path). */

/** Normalises a repo-relative path: no leading './' or '/', no '.' segments, '..' resolved; '' is the root. Returns undefined when the path escapes the root. */
export function normalizePath(p: string): string | undefined {
  // Most paths are already normal (every layered file tree normalises again what the one above handed it).
  if (isNormal(p)) return p;
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length === 0) return undefined;
      out.pop();
    } else out.push(seg);
  }
  return out.join('/');
}

/** Whether a path has no empty, `.` or `..` segment (nothing for normalizePath to do). */
function isNormal(p: string): boolean {
  if (p === '') return true;
  if (p.charCodeAt(0) === 47 || p.charCodeAt(p.length - 1) === 47 || p.includes('//')) return false;
  if (p.charCodeAt(0) === 46 && (p === '.' || p === '..' || p.startsWith('./') || p.startsWith('../'))) return false;
  return !(p.includes('/./') || p.includes('/../') || p.endsWith('/.') || p.endsWith('/..'));
}

/** Joins repo-relative segments and normalises; undefined when the result leaves the root. */
export function joinPath(...parts: string[]): string | undefined {
  return normalizePath(parts.filter((p) => p !== '').join('/'));
}

/** The parent folder of a repo-relative path ('' for a top-level entry). */
export function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

/** The last segment of a path. */
export function basename(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? p : p.slice(i + 1);
}
