import type { SourceLocation } from './finding';

/**
 * The web address of a file and line in the repository's host (GitHub, GitLab, Gitea, Bitbucket all serve
 * `<repo>/blob/<rev>/<file>#L<line>` or redirect it), or undefined when the repository URL is not http(s).
 */
export function sourceWebLink(repoURL: string | undefined, revision: string, loc: SourceLocation): string | undefined {
  if (!repoURL || !/^https?:\/\//.test(repoURL)) return undefined;
  const base = repoURL.replace(/\.git$/, '').replace(/\/+$/, '');
  const file = loc.file.split('/').map(encodeURIComponent).join('/');
  return `${base}/blob/${encodeURIComponent(revision)}/${file}${loc.line !== undefined ? `#L${loc.line}` : ''}`;
}

/** `file:line:column` as people read it. */
export function formatSource(loc: SourceLocation): string {
  return `${loc.file}${loc.line !== undefined ? `:${loc.line}${loc.column !== undefined ? `:${loc.column}` : ''}` : ''}`;
}
