import { useEffect, useState } from 'react';
import type { PipelinesOverview, PipelineView, PromotionPlanView } from '../../../shared/api/contract';
import type { GateResult } from '../../../shared/promotion/gates';
import type { PromotionRecordView } from '../../../shared/promotion/history';
import { FindingList } from '../components/findings';
import { freezeNoteId, freezeOf, PipelineGraph } from '../components/pipeline-graph';
import { ProblemList } from '../components/problem-list';
import { localizeTimes, When } from '../components/when';
import { useStore } from '../store';
import { LoadError } from '../components/load-error';

const SKEW = { background: 'rgba(230, 160, 0, 0.18)', outline: '1px solid rgba(230, 160, 0, 0.6)' } as const;
const PRE = { margin: '4px 0', padding: 8, overflow: 'auto', maxHeight: 360, background: 'var(--code-bg)', borderRadius: 4, fontSize: 12 } as const;

/** Promotions: per app the version in each stage (skew highlighted), the plan with its diff and gates before anything is committed, and the history with rollback. */
export function PromotionsPage() {
  const pipelines = useStore((s) => s.pipelines);
  const history = useStore((s) => s.promotionHistory);
  const error = useStore((s) => s.promotionError);
  const outcome = useStore((s) => s.lastOutcome);
  const load = useStore((s) => s.loadPromotions);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <div className="page">
      <div className="page-head">
        <h1>Promotions</h1>
        {pipelines && <PipelinesRevision pipelines={pipelines} />}
      </div>
      {pipelines && <CheckoutDiffers pipelines={pipelines} />}
      {error && (
        <LoadError message={error} />
      )}
      {outcome && (
        <p role="status">
          Promotion #{outcome.record.id} {outcome.record.result}
          {outcome.record.commit ? ` at ${outcome.record.commit.slice(0, 7)} on ${outcome.record.branch ?? ''}` : ''}
          {outcome.blockers.length > 0 ? `: ${outcome.blockers.join('; ')}` : ''}
        </p>
      )}
      {pipelines?.problems.length ? <ProblemList title="Pipeline problems" problems={pipelines.problems.map((m) => ({ severity: 'error', message: m }))} /> : null}
      {pipelines && pipelines.pipelines.length === 0 && <p className="empty">No Pipeline (kind: Pipeline) in this repository.</p>}
      {pipelines?.pipelines.map((p) => (
        <section key={p.name} aria-labelledby={`pipeline-${p.name}`}>
          <h2 id={`pipeline-${p.name}`}>
            Pipeline {p.name} <span className="muted">{p.file}</span>
          </h2>
          <PipelineGraph pipeline={p} history={history} />
          <PipelineTable pipeline={p} />
        </section>
      ))}
      <PlanPanel />
      <RollbackPanel />
      <History records={history} />
    </div>
  );
}

function PipelineTable({ pipeline }: { readonly pipeline: PipelineView }) {
  const openPlan = useStore((s) => s.openPlan);
  // Hundreds of apps: the rows are built when the table is opened, not while the graph is drawn.
  const [open, setOpen] = useState(pipeline.apps.length <= 30);
  const frozen = new Map(pipeline.stages.map((s) => [s.name, freezeOf(s)]));
  return (
    <details className="pipeline-table" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Versions of every app per stage · {pipeline.apps.length} apps</summary>
      {open && (
      <table className="grid" aria-label={`Versions of pipeline ${pipeline.name}`}>
        <thead>
          <tr>
            <th>App</th>
            {pipeline.stages.map((s) => {
              const freeze = frozen.get(s.name);
              return (
                <th key={s.name} title={s.clusters.join(', ')}>
                  {s.name}
                  {s.from ? <span className="muted"> ← {s.from}</span> : null}
                  {s.from && pipeline.apps.some((a) => a.stages.some((x) => x.stage === s.name && x.skew)) && (
                    <div>
                      <button type="button" disabled={freeze !== undefined} aria-describedby={freeze ? freezeNoteId(pipeline.name, s.name, 'table') : undefined} onClick={() => void openPlan({ pipeline: pipeline.name, from: s.from!, to: s.name, apps: 'all' })}>
                        Promote all {s.from} → {s.name}
                      </button>
                    </div>
                  )}
                  {freeze && (
                    <div className="muted small" role="note" id={freezeNoteId(pipeline.name, s.name, 'table')}>
                      No promotion into {s.name} now: {localizeTimes(freeze.reason)}
                    </div>
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {pipeline.apps.map((a) => (
            <tr key={a.app}>
              <th scope="row">{a.app}</th>
              {a.stages.map((s) => {
                const stage = pipeline.stages.find((x) => x.name === s.stage);
                const freeze = frozen.get(s.stage);
                return (
                  <td key={s.stage} aria-label={`${a.app} in ${s.stage}`} data-skew={s.skew ? 'true' : undefined} style={s.skew ? SKEW : undefined} title={s.skew ? `differs from ${stage?.from}` : undefined}>
                    {s.versions === undefined ? <span className="muted">no overlay</span> : s.versions.length === 0 ? <span className="muted">—</span> : s.versions.map((v) => <div key={v}><code>{v}</code></div>)}
                    {s.skew && stage?.from && (
                      <button type="button" disabled={freeze !== undefined} aria-describedby={freeze ? freezeNoteId(pipeline.name, s.stage, 'table') : undefined} onClick={() => void openPlan({ pipeline: pipeline.name, from: stage.from!, to: s.stage, apps: [a.app] })}>
                        Promote {a.app} {stage.from} → {s.stage}
                      </button>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      )}
    </details>
  );
}

/** Where the page reads: the remote branch promotions build on and push to. */
function PipelinesRevision({ pipelines }: { readonly pipelines: PipelinesOverview }) {
  if (!pipelines.at) return null;
  return (
    <span className="muted" aria-label="Pipelines read at">
      at {pipelines.at.ref} <code>{pipelines.at.revision.slice(0, 7)}</code>, where promotions are built and pushed
    </span>
  );
}

/**
 * The user's checkout against the promotion base: promotions build on the remote branch's tip, the grid and app pages
 * show the checkout's HEAD; when they differ, by how many commits, and what brings them together.
 */
function CheckoutDiffers({ pipelines }: { readonly pipelines: PipelinesOverview }) {
  const fetchRemote = useStore((s) => s.fetchRemote);
  const fetching = useStore((s) => s.fetching);
  const { at, checkout } = pipelines;
  if (!at || !checkout || (!checkout.behind && !checkout.ahead)) return null;
  const local = `${checkout.branch ? `${checkout.branch} @ ` : ''}${checkout.revision.slice(0, 7)}`;
  const commits = (n: number, what = ''): string => `${n}${what} commit${n === 1 ? '' : 's'}`;
  const standing = checkout.behind && checkout.ahead ? `${commits(checkout.behind)} behind and ${commits(checkout.ahead, ' unpushed')} ahead of ${at.ref}` : checkout.behind ? `behind ${at.ref} by ${commits(checkout.behind)}` : `ahead of ${at.ref} by ${commits(checkout.ahead, ' unpushed')}`;
  return (
    <p role="note" className="checkout-differs" aria-label="Checkout against the promotion base">
      Your checkout ({local}) is {standing}: the Fleet grid and app pages show your checkout, this page shows {at.ref}, which promotions build on.{' '}
      {checkout.behind > 0 ? 'Pull to bring your checkout up to it, or ' : ''}
      <button type="button" className="link" onClick={() => void fetchRemote()} disabled={fetching}>
        {fetching ? 'fetching…' : `fetch ${at.ref.split('/')[0]}`}
      </button>{' '}
      to see whether {at.ref} moved since.
    </p>
  );
}

function PlanPanel() {
  const ask = useStore((s) => s.planAsk);
  const view = useStore((s) => s.planView);
  const planning = useStore((s) => s.planning);
  const promoting = useStore((s) => s.promoting);
  const close = useStore((s) => s.closePlan);
  const confirm = useStore((s) => s.confirmPromotion);
  const openPlan = useStore((s) => s.openPlan);
  if (!ask) return null;
  const label = `Plan: ${Array.isArray(ask.apps) ? ask.apps.join(', ') : 'all apps'} ${ask.from} → ${ask.to}`;
  const blockers = view ? confirmBlockers(view) : [];
  const approvable = view !== undefined && view.plan.digest !== undefined && !view.plan.noop && !view.plan.problems.some((p) => p.severity === 'error') && !view.plan.apps.some((a) => a.problems.some((p) => p.severity === 'error'));
  return (
    <section role="dialog" aria-label={label} style={{ border: '1px solid var(--border)', borderRadius: 8, padding: 12, margin: '16px 0' }}>
      <h2>{label}</h2>
      {planning && <p className="muted">Planning on the remote branch…</p>}
      <p>
        <label>
          <input type="checkbox" checked={ask.live === true} disabled={planning} onChange={(e) => void openPlan({ ...ask, live: e.target.checked })} /> Compare with the live state of
          the target clusters
        </label>
      </p>
      {view && <PlanBody view={view} />}
      {view && <ApproveAction digest={view.plan.digest} disabled={planning || !approvable} recheck={() => void openPlan(ask)} />}
      {blockers.length > 0 && (
        <div id="confirm-blockers" className="blockers">
          <strong>Confirm is disabled:</strong>
          <ul>
            {blockers.map((b) => (
              <li key={b}>{b}</li>
            ))}
          </ul>
        </div>
      )}
      <p style={{ display: 'flex', gap: 8 }}>
        <button type="button" aria-describedby={blockers.length ? 'confirm-blockers' : undefined} disabled={!view || promoting || blockers.length > 0} onClick={() => void confirm()}>
          {promoting ? 'Promoting…' : 'Confirm promotion'}
        </button>
        <button type="button" onClick={close}>
          Cancel
        </button>
      </p>
    </section>
  );
}

/** Why a plan cannot be confirmed, in words: every failing gate (with its reason), errors, a dirty checkout, nothing to do. */
function confirmBlockers(view: PromotionPlanView): string[] {
  const { plan } = view;
  const out: string[] = [];
  if (plan.noop) out.push(`nothing to promote: ${plan.to} already runs ${plan.from}'s versions`);
  for (const g of plan.gates) if (!g.passed) out.push(`${g.gate} gate: ${localizeTimes(g.reason)}`);
  for (const p of plan.problems) if (p.severity === 'error') out.push(p.message);
  for (const a of plan.apps) for (const p of a.problems) if (p.severity === 'error') out.push(`${a.app}: ${p.message}`);
  out.push(...view.checkoutProblems);
  return out;
}

/**
 * The plan's digest and "Approve (sign)": signs an approval of this digest with the user's git signing key (pushed to
 * the remote's approvals ref), then re-plans so the approval gate counts it. The last approval's verdict is shown.
 */
function ApproveAction({ digest, disabled, recheck }: { readonly digest: string | undefined; readonly disabled: boolean; readonly recheck: () => void }) {
  const approve = useStore((s) => s.approveOpenPlan);
  const approving = useStore((s) => s.approving);
  const last = useStore((s) => s.lastApproval);
  return (
    <div>
      {digest && (
        <p>
          Plan digest <code aria-label="Plan digest">{digest}</code>
        </p>
      )}
      <p>
        <button type="button" disabled={disabled || approving || !digest} onClick={() => void approve()}>
          {approving ? 'Signing…' : 'Approve (sign)'}
        </button>{' '}
        <button type="button" disabled={approving} onClick={recheck}>
          Check approvals again
        </button>{' '}
        <span className="muted">
          signs this digest with your git signing key and pushes the record; approvals count only from the stage&apos;s approvers, never the promoter. An approver elsewhere runs{' '}
          <code>flotilla approve</code>; check again to count theirs.
        </span>
      </p>
      {last && last.subject.digest === digest && (
        <p role="status" aria-label="Approval">
          Approval <code>{last.commit.slice(0, 7)}</code> pushed to {last.remote}:{' '}
          {last.signature.status === 'good' ? `good signature by ${last.signature.signer ?? 'an unnamed signer'}` : `this repository does not trust the signature (${last.signature.status})`}
        </p>
      )}
    </div>
  );
}

/** The gates' verdicts; under an approval gate, each signed record with whether it counted and why. */
function GatesTable({ gates }: { readonly gates: readonly GateResult[] }) {
  if (gates.length === 0) return null;
  return (
    <table className="grid" aria-label="Gates">
      <tbody>
        {gates.map((g, i) => (
          <tr key={i}>
            <th scope="row">{g.gate}</th>
            <td>{g.passed ? 'pass' : 'FAIL'}</td>
            <td>
              {localizeTimes(g.reason)}
              {g.approvals && g.approvals.length > 0 && (
                <ul aria-label={`Approvals into ${g.stage}`}>
                  {g.approvals.map((a) => (
                    <li key={a.commit}>
                      {a.counted ? 'counted' : 'rejected'}: {a.reason}
                    </li>
                  ))}
                </ul>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A rollback's plan: the revert's diff on the remote tip, what the stage runs after it and the stage's gates, then Confirm. */
function RollbackPanel() {
  const id = useStore((s) => s.rollbackId);
  const view = useStore((s) => s.rollbackPlan);
  const promoting = useStore((s) => s.promoting);
  const close = useStore((s) => s.closeRollback);
  const rollback = useStore((s) => s.rollbackPromotion);
  const reopen = useStore((s) => s.openRollback);
  if (id === undefined) return null;
  return (
    <section role="dialog" aria-label={`Rollback of promotion #${id}`} style={{ border: '1px solid var(--border)', borderRadius: 8, padding: 12, margin: '16px 0' }}>
      <h2>Roll back promotion #{id}</h2>
      {!view && <p className="muted">Reverting on the remote branch to show the result…</p>}
      {view && (
        <>
          <p className="muted">
            {view.promotion.from} → {view.promotion.to} of {view.promotion.apps.join(', ')} by {view.promotion.by}, <When iso={view.promotion.startedAt} full />. The revert
            builds on {view.remote}/{view.branch} at <code>{view.base.slice(0, 7)}</code>.
          </p>
          <p>
            {view.promotion.to} would run: {view.versions.length ? view.versions.map((v) => <code key={v}>{v} </code>) : <span className="muted">no promoted version</span>}
          </p>
          <GatesTable gates={view.gates} />
          <ApproveAction digest={view.digest} disabled={promoting} recheck={() => void reopen(id)} />
          <pre aria-label={`Revert of promotion #${id}`} style={PRE}>
            {view.diff}
          </pre>
        </>
      )}
      <p style={{ display: 'flex', gap: 8 }}>
        <button type="button" disabled={!view || promoting || !view.ready} onClick={() => void rollback(id)}>
          {promoting ? 'Rolling back…' : `Confirm rollback of #${id}`}
        </button>
        <button type="button" onClick={close}>
          Cancel
        </button>
      </p>
    </section>
  );
}

function PlanBody({ view }: { readonly view: PromotionPlanView }) {
  const { plan } = view;
  return (
    <div>
      <p className="muted">
        Builds on {view.remote ? `${view.remote}/${view.branch}` : `the local branch ${view.branch}`} at <code>{view.base.slice(0, 7)}</code>
        {view.promoter ? ` as ${view.promoter}` : ''}
      </p>
      {plan.noop && <p role="status">Nothing to promote: {plan.to} already has {plan.from}&apos;s versions.</p>}
      <ProblemList problems={[...plan.problems, ...plan.apps.flatMap((a) => a.problems)]} />
      {view.checkoutProblems.length > 0 && <ProblemList title="Your checkout" problems={view.checkoutProblems.map((m) => ({ severity: 'error', message: m }))} />}
      {plan.apps.map((a) => (
        <div key={a.app}>
          <h3>{a.app}</h3>
          <ul>
            {a.moves.map((m) => (
              <li key={`${m.kind}:${m.name}`}>
                {m.kind} <code>{m.name}</code>: <code>{m.from ?? '(unset)'}</code> → <code>{m.to}</code> <span className="muted">{m.file}{m.line ? `:${m.line}` : ''}</span>
              </li>
            ))}
          </ul>
          {a.edits.map((e) => (
            <pre key={e.file} aria-label={`Edit of ${e.file}`} style={PRE}>{e.diff}</pre>
          ))}
          {a.clusters.map((c) => (
            <div key={c.cluster}>
              <h3>
                Rendered change on {c.cluster} {c.application ? <span className="muted">({c.application})</span> : null}: {c.changes.length} resource(s)
              </h3>
              <ProblemList problems={c.problems} title={`Problems on ${c.cluster}`} />
              {c.changes.map((ch) => (
                <pre key={ch.id} aria-label={`Diff of ${ch.id} on ${c.cluster}`} style={PRE}>{ch.diff}</pre>
              ))}
              {c.findings && (
                <>
                  <h4>
                    Validation of the promoted state on {c.cluster} <span className="muted">({(c.checks ?? []).join(', ')})</span>
                  </h4>
                  <FindingList findings={c.findings} revision={view.base} label={`Validation of ${a.app} on ${c.cluster}`} />
                </>
              )}
            </div>
          ))}
        </div>
      ))}
      {view.live?.map((l) => (
        <div key={`${l.application}@${l.cluster}`} aria-label={`Live state of ${l.application} on ${l.cluster}`}>
          <h3>
            Against the live state of {l.application} on {l.cluster}:{' '}
            {l.error ? `not compared (${l.error})` : l.sync === 'Synced' ? 'live already matches the promoted state' : `${l.resources.length} resource(s) differ`}
          </h3>
          {l.resources.map((r) => (r.diff ? <pre key={r.id} style={PRE}>{r.diff}</pre> : <div key={r.id}><code>{r.id}</code> {r.missing ? 'missing on the cluster' : r.extra ? 'extra (would be pruned)' : r.sync}</div>))}
        </div>
      ))}
      <GatesTable gates={plan.gates} />
    </div>
  );
}

function History({ records }: { readonly records: readonly PromotionRecordView[] }) {
  const openRollback = useStore((s) => s.openRollback);
  const promoting = useStore((s) => s.promoting);
  return (
    <section aria-labelledby="promotion-history">
      <h2 id="promotion-history">History</h2>
      {records.length === 0 ? (
        <p className="empty">No promotions recorded yet.</p>
      ) : (
        <table className="grid" aria-label="Promotion history">
          <thead>
            <tr>
              <th>#</th>
              <th>When</th>
              <th>By</th>
              <th>From → to</th>
              <th>Apps</th>
              <th>Commit</th>
              <th>Result</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {records.map((r) => {
              const canRollBack = r.commit !== undefined && ['pushed', 'verified', 'verify-failed'].includes(r.result) && r.rolledBackBy === undefined && r.rollbackOf === undefined;
              return (
                <tr key={r.id}>
                  <th scope="row">{r.id}</th>
                  <td>
                    <When iso={r.startedAt} full />
                  </td>
                  <td>{r.by}</td>
                  <td>
                    {r.from} → {r.to}
                  </td>
                  <td>{r.apps.join(', ')}</td>
                  <td>{r.commit ? <code>{r.commit.slice(0, 7)}</code> : ''}</td>
                  <td title={r.message}>
                    {r.result}
                    {r.rollbackOf !== undefined ? ` (rollback of #${r.rollbackOf})` : ''}
                    {r.rolledBackBy !== undefined ? ` (rolled back by #${r.rolledBackBy})` : ''}
                  </td>
                  <td>
                    {canRollBack && (
                      <button type="button" disabled={promoting} onClick={() => void openRollback(r.id)}>
                        Roll back #{r.id}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
