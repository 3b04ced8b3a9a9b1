import type { ClusterConnection } from './connection';
import { KubeApiError } from './transport';

// What the current user may do on a cluster, asked of the API server with SelfSubjectAccessReview: one review per
// verb × resource × namespace, run concurrently (at most REVIEW_CONCURRENCY at a time per cluster), deduplicated, and
// cached per cluster and credentials for ACCESS_CACHE_MS. SelfSubjectRulesReview is not used to decide: the API
// documents it as incomplete by design (webhook and other authorizers answer nothing there) and "not to be used to
// drive authorization decisions". A review the server cannot answer is `unknown`, never `allowed`.

/** One permission: a verb on a resource (`deployments` in group `apps`), in a namespace or cluster-wide. */
export interface AccessCheck {
  readonly verb: string;
  readonly group: string;
  readonly resource: string;
  readonly subresource?: string;
  /** One object by name (RBAC rules may name them); absent for any object of the resource. */
  readonly name?: string;
  /** Absent for cluster-scoped resources (and for "in every namespace"). */
  readonly namespace?: string;
}

/** The answer for one permission: allowed, denied (with the authorizer's reason), or unknown (the review failed). */
export interface AccessVerdict extends AccessCheck {
  readonly result: 'allowed' | 'denied' | 'unknown';
  /** The authorizer's reason for a denial, or why the review could not be answered. */
  readonly reason?: string;
}

/** How long an answer is reused for the same cluster and credentials. */
export const ACCESS_CACHE_MS = 30_000;
/** Reviews in flight at once per cluster. */
export const REVIEW_CONCURRENCY = 8;

const cache = new Map<string, { readonly verdict: AccessVerdict; readonly at: number }>();

/** `deployments.apps`, `configmaps`, `pods/log` — a resource as kubectl names it. */
export function resourceName(c: Pick<AccessCheck, 'group' | 'resource' | 'subresource'>): string {
  return `${c.resource}${c.subresource ? `/${c.subresource}` : ''}${c.group ? `.${c.group}` : ''}`;
}

/** "you may not patch deployments.apps in namespace shop on prod" */
export function describeDenial(v: AccessCheck, cluster: string): string {
  return `you may not ${v.verb} ${resourceName(v)}${v.name ? ` "${v.name}"` : ''} ${v.namespace ? `in namespace ${v.namespace}` : 'cluster-wide'} on ${cluster}`;
}

const checkKey = (c: AccessCheck): string => `${c.verb}|${c.group}|${c.resource}|${c.subresource ?? ''}|${c.namespace ?? ''}|${c.name ?? ''}`;

/** Drops repeated permissions, keeping the first of each. */
export function uniqueChecks(checks: readonly AccessCheck[]): AccessCheck[] {
  const seen = new Map<string, AccessCheck>();
  for (const c of checks) if (!seen.has(checkKey(c))) seen.set(checkKey(c), c);
  return [...seen.values()];
}

/** Forgets every cached answer (tests, and after the user changes credentials). */
export function clearAccessCache(): void {
  cache.clear();
}

/** Options of a review: the clock (for the cache) and how many reviews run at once. */
export interface ReviewOptions {
  readonly now?: () => number;
  readonly concurrency?: number;
}

/** Asks the API server (SelfSubjectAccessReview) whether the connection's user may do each thing; answers in order. */
export async function reviewAccess(conn: ClusterConnection, checks: readonly AccessCheck[], opts: ReviewOptions = {}): Promise<AccessVerdict[]> {
  const now = opts.now ?? Date.now;
  const unique = uniqueChecks(checks);
  let identity: string;
  try {
    identity = await conn.credentialFingerprint();
  } catch (err) {
    const reason = `cannot ask ${conn.name}: ${err instanceof Error ? err.message : String(err)}`;
    return checks.map((c) => ({ ...c, result: 'unknown', reason }));
  }
  const answers = new Map<string, AccessVerdict>();
  const todo: AccessCheck[] = [];
  for (const c of unique) {
    const hit = cache.get(`${identity}|${checkKey(c)}`);
    if (hit && now() - hit.at < ACCESS_CACHE_MS) answers.set(checkKey(c), hit.verdict);
    else todo.push(c);
  }
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < todo.length) {
      const c = todo[next++]!;
      const v = await reviewOne(conn, c);
      answers.set(checkKey(c), v);
      // Only what the server answered is cached: an unknown is asked again next time.
      if (v.result !== 'unknown') cache.set(`${identity}|${checkKey(c)}`, { verdict: v, at: now() });
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? REVIEW_CONCURRENCY, todo.length) }, worker));
  return checks.map((c) => answers.get(checkKey(c))!);
}

interface ReviewStatus {
  readonly status?: { readonly allowed?: boolean; readonly denied?: boolean; readonly reason?: string; readonly evaluationError?: string };
}

/** One SelfSubjectAccessReview. */
async function reviewOne(conn: ClusterConnection, c: AccessCheck): Promise<AccessVerdict> {
  const body = {
    apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview',
    spec: { resourceAttributes: { verb: c.verb, group: c.group, resource: c.resource, ...(c.subresource ? { subresource: c.subresource } : {}), ...(c.name ? { name: c.name } : {}), ...(c.namespace ? { namespace: c.namespace } : {}) } },
  };
  try {
    const r = await conn.request<ReviewStatus>({ method: 'POST', path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', body });
    const s = r.status;
    if (s?.allowed === true) return { ...c, result: 'allowed' };
    // An authorizer that failed may have denied what it would otherwise allow: that is not a "no".
    if (s?.denied !== true && s?.evaluationError) return { ...c, result: 'unknown', reason: `the authorizer could not decide: ${s.evaluationError}` };
    if (s && typeof s.allowed === 'boolean') return { ...c, result: 'denied', ...(s.reason ? { reason: s.reason } : {}) };
    return { ...c, result: 'unknown', reason: 'the API server answered the access review without a status' };
  } catch (err) {
    const why = err instanceof KubeApiError && err.kind === 'notFound' ? 'the API server does not serve SelfSubjectAccessReview (authorization.k8s.io/v1)' : err instanceof Error ? err.message : String(err);
    return { ...c, result: 'unknown', reason: `access review failed: ${why}` };
  }
}
