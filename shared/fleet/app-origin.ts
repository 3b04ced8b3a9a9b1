/** Where an app of the fleet comes from: an ApplicationSet, a file of the repository, or another app's rendered output. */
export type AppOrigin =
  | { readonly kind: 'appset'; readonly appset: string; readonly file: string; readonly line: number }
  | { readonly kind: 'file'; readonly file: string; readonly line: number }
  /** Rendered by app `parent` (app of apps); `appset` when it came from an ApplicationSet that the parent rendered. */
  | { readonly kind: 'app'; readonly parent: string; readonly appset?: string; readonly file?: string; readonly line?: number };

/** An origin as one line for people: `ApplicationSet apps`, `file apps/x.yaml:3`, `rendered by app root`. */
export function formatOrigin(o: AppOrigin): string {
  if (o.kind === 'appset') return `ApplicationSet ${o.appset}`;
  if (o.kind === 'file') return `file ${o.file}:${o.line}`;
  return `rendered by app ${o.parent}${o.appset ? ` (ApplicationSet ${o.appset})` : ''}`;
}
