import type { HealthCheck } from './types';

/** Group/kind lookup over health checks: exact `group/kind` entries, then glob entries (`*` in group or kind) in sorted order. */
export class HealthRegistry {
  private readonly exact = new Map<string, HealthCheck>();
  private readonly globs: { readonly pattern: string; readonly re: RegExp; readonly check: HealthCheck }[] = [];
  /** Lookups already answered (misses included), so a fleet's few hundred kinds are matched against globs once. */
  private readonly memo = new Map<string, HealthCheck | null>();

  constructor(checks: readonly HealthCheck[] = []) {
    for (const c of checks) this.add(c);
  }

  /** Registers a check; a group or kind containing `*` is a glob. */
  add(check: HealthCheck): void {
    this.memo.clear();
    const key = `${check.group}/${check.kind}`;
    if (key.includes('*')) {
      const re = new RegExp('^' + key.split('*').map(escapeRe).join('.*') + '$');
      this.globs.push({ pattern: key, re, check });
      this.globs.sort((a, b) => (a.pattern < b.pattern ? -1 : a.pattern > b.pattern ? 1 : 0));
    } else {
      this.exact.set(key, check);
    }
  }

  /** The check for a group/kind: the exact entry wins, else the first matching glob. */
  find(group: string, kind: string): HealthCheck | undefined {
    const key = `${group}/${kind}`;
    const known = this.memo.get(key);
    if (known !== undefined) return known ?? undefined;
    let found: HealthCheck | undefined = this.exact.get(key);
    if (!found) {
      for (const g of this.globs) {
        if (g.re.test(key)) {
          found = g.check;
          break;
        }
      }
    }
    // Group/kind pairs come from a finite set of API types: the memo stays small.
    this.memo.set(key, found ?? null);
    return found;
  }

  /** How many checks are registered. */
  get size(): number {
    return this.exact.size + this.globs.length;
  }
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
