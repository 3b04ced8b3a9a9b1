import type { HealthResult, KubeObject } from '../../model/status';
import type { HealthCheck } from '../types';
import type { Condition } from '../fields';
import { arr, conditions, get, health, str } from '../fields';
import { check } from './helpers';

const P = 'promoter.argoproj.io';
const present = (v: unknown): boolean => v !== undefined && v !== null;
const short = (sha: string): string => sha.slice(0, 7);

/** What each GitOps Promoter finalizer waits for, and the risk of removing it by hand (shown while an object is deleted). */
const FINALIZERS: Readonly<Record<string, string>> = {
  'changetransferpolicy.promoter.argoproj.io/finalizer':
    "Waiting to clear related PullRequest finalizers and finish cleanup before this policy is removed. Risk if removed manually: The 'changetransferpolicy.promoter.argoproj.io/pullrequest-finalizer' finalizer may not be cleaned up from PullRequests owned by this ChangeTransferPolicy.",
  'changetransferpolicy.promoter.argoproj.io/pullrequest-finalizer':
    'Waiting for the ChangeTransferPolicy to observe PR identity and state. Risk if removed manually: promotion status or history can be wrong or racy.',
  'clusterscmprovider.promoter.argoproj.io/finalizer':
    'Waiting until no GitRepository still references this cluster-wide SCM provider. Risk if removed manually: GitRepository objects can reference a provider that no longer exists.',
  'gitrepository.promoter.argoproj.io/finalizer':
    'Waiting until no non-deleting PullRequests still reference this repository. Risk if removed manually: repository metadata may be removed while promotions still depend on it.',
  'pullrequest.promoter.argoproj.io/finalizer':
    'Waiting for SCM closure or reconciliation of the pull request. Risk if removed manually: the real PR can stay open after the CR is gone.',
  'scmprovider.promoter.argoproj.io/finalizer':
    'Waiting until no GitRepository in this namespace still references this provider. Risk if removed manually: GitRepository objects can reference a provider that no longer exists.',
};

/** The wording of one Promoter kind's messages. */
interface Wording {
  readonly kind: string;
  /** "commit status", "Git repository", ... as used in "Initializing <x>". */
  readonly initializing: string;
  /** Subject of "<x> is being deleted" and "Waiting for <x> spec update to be observed". */
  readonly subject: string;
  /** Subject of the Ready=False message: "<x> reconciliation failed: ..." (style "reconciliation") or "<x> failed: ..." (style "validation"). */
  readonly failure: string;
  readonly style: 'reconciliation' | 'validation';
  /** Ready=Unknown message prefix (validation style), e.g. "Git repository readiness unknown". */
  readonly unknown?: string;
  /** Message when there is no Ready condition. */
  readonly noReady: string;
}

/** The shared front part of every Promoter check: deletion, status, observed generation, the Ready condition. */
function front(obj: KubeObject, w: Wording): HealthResult | Condition {
  if (present(get(obj, 'metadata', 'deletionTimestamp'))) {
    const notes = arr(obj, 'metadata', 'finalizers').filter((f): f is string => typeof f === 'string' && FINALIZERS[f] !== undefined).map((f) => `${f}: ${FINALIZERS[f]}`);
    return health('Progressing', `${w.subject} is being deleted` + (notes.length > 0 ? `. ${notes.join(' ')}` : ''));
  }
  if (!present(get(obj, 'status'))) return health('Progressing', `Initializing ${w.initializing}`);
  const ready = conditions(obj).find((c) => c.type === 'Ready');
  if (!ready) return health('Progressing', w.noReady);
  const observed = get(ready.raw, 'observedGeneration');
  const generation = get(obj, 'metadata', 'generation');
  if (present(observed) && present(generation) && observed !== generation) return health('Progressing', `Waiting for ${w.style === 'validation' ? w.subject : w.initializing} spec update to be observed`);
  if (ready.status === 'False') {
    const verb = w.style === 'reconciliation' ? 'reconciliation failed' : 'failed';
    if (ready.reason === 'ReconciliationError' || ready.reason === '') return health('Degraded', `${w.failure} ${verb}: ${ready.message || 'Unknown error'}`);
    return health('Degraded', w.style === 'reconciliation' ? `${w.failure} ${verb} (${ready.reason}): ${ready.message}` : `${w.failure} not ready (${ready.reason}): ${ready.message}`);
  }
  // Only an explicit Unknown holds the kind back; fixtures write a YAML boolean `true` as often as "True".
  if (ready.status === 'Unknown') {
    return health('Progressing', `${w.unknown ?? `${w.failure} status unknown`} (${ready.reason}): ${ready.message}`);
  }
  return ready;
}

const isResult = (v: HealthResult | Condition): v is HealthResult => 'status' in v && !('raw' in v);

/** A Promoter check: the shared front part, then the kind's own rule once Ready is True. */
function promoter(w: Wording, whenReady: (obj: KubeObject) => HealthResult): HealthCheck {
  return {
    ...check(P, w.kind, (obj) => {
      const f = front(obj, w);
      return isResult(f) ? f : whenReady(obj);
    }),
    handlesDeletion: true,
  };
}

/** "1 pending, 0 successful, 1 failed. Pending commit statuses: a. Failed commit statuses: b. " */
function commitStatusSummary(statuses: readonly unknown[]): { text: string; allSuccess: boolean } {
  const by = (phase: string) => statuses.filter((s) => str(s, 'phase') === phase).map((s) => str(s, 'key'));
  const pending = by('pending');
  const success = by('success');
  const failure = by('failure');
  let text = `${pending.length} pending, ${success.length} successful, ${failure.length} failed. `;
  if (pending.length > 0) text += `Pending commit statuses: ${pending.join(', ')}. `;
  if (failure.length > 0) text += `Failed commit statuses: ${failure.join(', ')}. `;
  return { text, allSuccess: pending.length === 0 && failure.length === 0 };
}

/** Environment-gating kinds (Git, timed, web request): failed or pending branches, else passed. */
function environments(obj: KubeObject, subject: string, reconciled: string, passed: string): HealthResult {
  const envs = arr(obj, 'status', 'environments');
  if (envs.length === 0) return health('Healthy', reconciled);
  const failed = envs.filter((e) => str(e, 'phase') === 'failure').map((e) => str(e, 'branch'));
  if (failed.length > 0) return health('Degraded', `${subject} failed for branch(es): ${failed.join(', ')}`);
  const pending = envs.filter((e) => str(e, 'phase') !== 'success').map((e) => str(e, 'branch'));
  if (pending.length > 0) return health('Progressing', `${subject} pending for branch(es): ${pending.join(', ')}`);
  return health('Healthy', `${subject} ${passed} for ${envs.length} environment(s)`);
}

const readyMessage = (text: string) => () => health('Healthy', text);

/** GitOps Promoter kinds (promoter.argoproj.io). */
export const PROMOTER_CHECKS: readonly HealthCheck[] = [
  promoter({ kind: 'CommitStatus', initializing: 'commit status', subject: 'Commit status', failure: 'Commit status', style: 'reconciliation', noReady: 'Commit status is not ready yet' }, (obj) => {
    const sha = get(obj, 'status', 'sha');
    const phase = get(obj, 'status', 'phase');
    if (typeof sha !== 'string' || typeof phase !== 'string') return health('Healthy', 'Commit status is healthy');
    return health('Healthy', `Commit status for commit ${sha} reports ${phase}`);
  }),
  promoter({ kind: 'ArgoCDCommitStatus', initializing: 'Argo CD commit status', subject: 'Argo CD commit status', failure: 'Argo CD commit status', style: 'reconciliation', noReady: 'Argo CD commit status is not ready yet' }, (obj) => {
    const apps = arr(obj, 'status', 'applicationsSelected');
    if (apps.length === 0) return health('Degraded', 'Argo CD commit status has no applications configured');
    return health('Healthy', `Argo CD commit status is healthy and is tracking ${apps.length} applications`);
  }),
  promoter({ kind: 'PullRequest', initializing: 'pull request', subject: 'Pull request', failure: 'Pull request', style: 'reconciliation', noReady: 'Pull request is not ready yet' }, (obj) => {
    const id = get(obj, 'status', 'id');
    const state = get(obj, 'status', 'state');
    if (typeof id === 'string' && id !== '' && typeof state === 'string' && state !== '') return health('Healthy', `Pull request is ${state} as PR ${id}`);
    return health('Healthy', 'Pull request is healthy');
  }),
  promoter({ kind: 'ChangeTransferPolicy', initializing: 'change transfer policy', subject: 'Change transfer policy', failure: 'Change transfer policy', style: 'reconciliation', noReady: 'Change transfer policy is not ready yet' }, (obj) => {
    const active = str(obj, 'status', 'active', 'dry', 'sha');
    const proposed = str(obj, 'status', 'proposed', 'dry', 'sha');
    if (active === '') return health('Progressing', 'The active commit DRY SHA is missing or empty.');
    if (proposed === '') return health('Progressing', 'The proposed commit DRY SHA is missing or empty.');
    if (active !== proposed) {
      const summary = commitStatusSummary(arr(obj, 'status', 'proposed', 'commitStatuses'));
      return health('Progressing', `Promotion in progress from '${short(active)}' to '${short(proposed)}': ${summary.text}`);
    }
    const activeStatuses = commitStatusSummary(arr(obj, 'status', 'active', 'commitStatuses'));
    if (!activeStatuses.allSuccess) return health('Healthy', `Environment is up-to-date, but there are non-successful active commit statuses: ${activeStatuses.text}`);
    return health('Healthy', `Environment is up-to-date on commit ${short(active)}.`);
  }),
  promoter({ kind: 'PromotionStrategy', initializing: 'promotion strategy', subject: 'Promotion strategy', failure: 'Promotion strategy', style: 'reconciliation', noReady: 'Promotion strategy is not ready yet' }, (obj) => {
    const envs = arr(obj, 'status', 'environments');
    if (envs.length === 0) return health('Degraded', 'Promotion strategy has no environments configured');
    for (const e of envs) {
      const branch = str(e, 'branch');
      if (str(e, 'active', 'dry', 'sha') === '') return health('Progressing', `The active commit DRY SHA is missing or empty in environment '${branch}'.`);
      if (str(e, 'proposed', 'dry', 'sha') === '') return health('Progressing', `The proposed commit DRY SHA is missing or empty in environment '${branch}'.`);
    }
    // The hydrator's note names the dry commit it processed last; it wins over the proposed commit's own.
    const hydrated = (e: unknown): string => str(e, 'proposed', 'note', 'drySha') || str(e, 'proposed', 'dry', 'sha');
    if (new Set(envs.map(hydrated)).size > 1) {
      return health('Progressing', 'Not all environments have the same proposed commit SHA. This likely means the hydrator has not run for all environments yet.');
    }
    const note = `Hydrator has processed dry commit '${short(hydrated(envs[0]))}'.`;
    for (const e of envs) {
      const active = str(e, 'active', 'dry', 'sha');
      const proposed = str(e, 'proposed', 'dry', 'sha');
      if (active !== proposed) {
        const summary = commitStatusSummary(arr(e, 'proposed', 'commitStatuses'));
        return health('Progressing', `Promotion in progress for environment '${str(e, 'branch')}' from '${short(active)}' to '${short(proposed)}': ${summary.text}${note} `);
      }
    }
    return health('Healthy', `All environments are up-to-date on commit '${short(str(envs[0], 'active', 'dry', 'sha'))}'. ${note}`);
  }),
  promoter({ kind: 'GitCommitStatus', initializing: 'git commit validation', subject: 'GitCommitStatus', failure: 'Git commit validation', style: 'validation', noReady: 'GitCommitStatus Ready condition is missing' },
    (obj) => environments(obj, 'Git commit validation', 'Git commit validation reconciled', 'passed')),
  promoter({ kind: 'TimedCommitStatus', initializing: 'timed commit gate', subject: 'TimedCommitStatus', failure: 'Timed commit gate', style: 'validation', noReady: 'TimedCommitStatus Ready condition is missing' },
    (obj) => environments(obj, 'Timed commit gate', 'Timed commit gate reconciled', 'satisfied')),
  promoter({ kind: 'WebRequestCommitStatus', initializing: 'web request commit validation', subject: 'WebRequestCommitStatus', failure: 'Web request commit validation', style: 'validation', noReady: 'WebRequestCommitStatus Ready condition is missing' },
    (obj) => environments(obj, 'Web request validation', 'Web request commit validation reconciled', 'passed')),
  promoter({ kind: 'GitRepository', initializing: 'Git repository', subject: 'GitRepository', failure: 'Git repository validation', style: 'validation', unknown: 'Git repository readiness unknown', noReady: 'GitRepository Ready condition is missing' },
    readyMessage('Git repository is ready')),
  promoter({ kind: 'ScmProvider', initializing: 'SCM provider', subject: 'ScmProvider', failure: 'SCM provider validation', style: 'validation', unknown: 'SCM provider readiness unknown', noReady: 'ScmProvider Ready condition is missing' },
    readyMessage('SCM provider is ready')),
  promoter({ kind: 'ClusterScmProvider', initializing: 'cluster SCM provider', subject: 'ClusterScmProvider', failure: 'Cluster SCM provider validation', style: 'validation', unknown: 'Cluster SCM provider readiness unknown', noReady: 'ClusterScmProvider Ready condition is missing' },
    readyMessage('Cluster SCM provider is ready')),
];
