import { useEffect } from 'react';
import type { PipelineView, StageValidationView } from '../../../shared/api/contract';
import type { StageValidation } from '../../../shared/validate/gate';
import type { GateResult } from '../../../shared/promotion/gates';
import type { PromotionRecordView } from '../../../shared/promotion/history';
import { useStore } from '../store';
import { stageValidationKey } from '../store/promotion-slice';
import { localizeTimes } from './when';

/** How many apps a stage node lists before it points to the table. */
const VERSIONS_SHOWN = 8;
/** How many soak verdicts a stage node lists (those not soaked first). */
const SOAKS_SHOWN = 6;

type Stage = PipelineView['stages'][number];

/** The columns of a pipeline graph: each stage one column right of the stage it is promoted from (fan-out stacks). */
export function stageColumns(stages: readonly Stage[]): Stage[][] {
  const depth = new Map<string, number>();
  const byName = new Map(stages.map((s) => [s.name, s]));
  const depthOf = (s: Stage, seen: ReadonlySet<string> = new Set()): number => {
    const known = depth.get(s.name);
    if (known !== undefined) return known;
    const parent = s.from !== undefined ? byName.get(s.from) : undefined;
    const d = parent && !seen.has(parent.name) ? depthOf(parent, new Set([...seen, s.name])) + 1 : 0;
    depth.set(s.name, d);
    return d;
  };
  const columns: Stage[][] = [];
  for (const s of stages) (columns[depthOf(s)] ??= []).push(s);
  return columns.filter((c) => c.length > 0);
}

/** Whether a freeze window closes the stage now, and why. */
export function freezeOf(stage: Stage): GateResult | undefined {
  return stage.gates.find((g) => g.gate === 'freeze' && !g.passed);
}

/** A pipeline as Kargo draws it: stages as nodes in promotion order (fan-out stacked), each with its versions per app, its gates' verdicts and its actions. */
export function PipelineGraph({ pipeline, history }: { readonly pipeline: PipelineView; readonly history: readonly PromotionRecordView[] }) {
  const columns = stageColumns(pipeline.stages);
  return (
    <ol className="pipeline-graph" aria-label={`Stages of pipeline ${pipeline.name}`}>
      {columns.map((col, i) => (
        <li key={i} className="pipeline-column">
          {i > 0 && (
            <span className="pipeline-arrow" aria-hidden="true">
              →
            </span>
          )}
          <ul className="pipeline-stages">
            {col.map((s) => (
              <li key={s.name}>
                <StageNode pipeline={pipeline} stage={s} history={history} />
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ol>
  );
}

function StageNode({ pipeline, stage, history }: { readonly pipeline: PipelineView; readonly stage: Stage; readonly history: readonly PromotionRecordView[] }) {
  const openPlan = useStore((s) => s.openPlan);
  const openRollback = useStore((s) => s.openRollback);
  const freeze = freezeOf(stage);
  const validation = useStore((s) => s.stageValidations[stageValidationKey(pipeline.name, stage.name)]);
  const loadValidation = useStore((s) => s.loadStageValidation);
  const revision = useStore((s) => s.pipelines?.at?.revision);
  useEffect(() => {
    if (stage.validation && stage.from !== undefined) void loadValidation(pipeline.name, stage.name);
  }, [stage.validation, stage.from, pipeline.name, stage.name, revision, loadValidation]);
  const failing = [...stage.gates, ...(validation && typeof validation === 'object' && 'gates' in validation ? validation.gates : [])].filter((g) => !g.passed);
  const rollbackable = history.find((r) => r.to === stage.name && r.commit !== undefined && ['pushed', 'verified', 'verify-failed'].includes(r.result) && r.rolledBackBy === undefined && r.rollbackOf === undefined);
  const apps = pipeline.apps.filter((a) => a.stages.some((s) => s.stage === stage.name && s.versions !== undefined));
  return (
    <article className={`stage-node${failing.length ? ' gated' : ''}`} aria-label={`Stage ${stage.name}`}>
      <h3>{stage.name}</h3>
      <p className="muted small">
        {stage.from ? `promoted from ${stage.from}` : 'first stage'} · {stage.clusters.length ? `clusters ${stage.clusters.join(', ')}` : 'no cluster'}
      </p>
      <p className="stage-behind">
        {apps.length === 0 ? 'no app has an overlay here' : stage.from === undefined ? `${apps.length} app${apps.length === 1 ? '' : 's'}` : stage.behind.length ? `${stage.behind.length} of ${apps.length} app${apps.length === 1 ? '' : 's'} behind ${stage.from}` : `in step with ${stage.from}`}
      </p>
      {(stage.gates.length > 0 || (stage.validation && stage.from !== undefined)) && <Gates stage={stage} validation={validation} />}
      <ul className="stage-versions" aria-label={`Versions in ${stage.name}`}>
        {apps.slice(0, VERSIONS_SHOWN).map((a) => {
          const v = a.stages.find((s) => s.stage === stage.name)!;
          return (
            <li key={a.app} className={v.skew ? 'skew' : undefined}>
              <span className="app">{a.app}</span> <code>{v.versions!.length ? v.versions!.map(shortVersion).join(', ') : '—'}</code>
              {v.skew && <span className="muted small"> · behind</span>}
            </li>
          );
        })}
        {apps.length > VERSIONS_SHOWN && <li className="muted small">and {apps.length - VERSIONS_SHOWN} more (the table below lists every app)</li>}
      </ul>
      <div className="stage-actions">
        {stage.from !== undefined && stage.behind.length > 0 && (
          <>
            {/* A freeze window closes the stage: the action stays in view, disabled, with the reason beside it. */}
            <button type="button" disabled={freeze !== undefined} aria-describedby={freeze ? freezeNoteId(pipeline.name, stage.name, 'graph') : undefined} onClick={() => void openPlan({ pipeline: pipeline.name, from: stage.from!, to: stage.name, apps: 'all' })}>
              Promote all {stage.from} → {stage.name}
            </button>
            {freeze && (
              <p className="muted small" role="note" id={freezeNoteId(pipeline.name, stage.name, 'graph')}>
                No promotion into {stage.name} now: {localizeTimes(freeze.reason)}
              </p>
            )}
          </>
        )}
        {rollbackable && (
          <button type="button" onClick={() => void openRollback(rollbackable.id)}>
            Roll back #{rollbackable.id}
          </button>
        )}
      </div>
    </article>
  );
}

/** The gates into a stage: freeze, approval and manual as they decide now; the soak per app with its progress. */
function Gates({ stage, validation }: { readonly stage: Stage; readonly validation: StageValidationState | undefined }) {
  const soaks = stage.gates.filter((g) => g.gate === 'soak');
  const others = stage.gates.filter((g) => g.gate !== 'soak');
  const soaked = soaks.filter((g) => g.passed).length;
  return (
    <ul className="stage-gates" aria-label={`Gates into ${stage.name}`}>
      {stage.validation && stage.from !== undefined && <ValidationGate stage={stage} requirement={stage.validation} state={validation} />}
      {others.map((g, i) => (
        <li key={i} className={g.passed ? 'pass' : 'fail'}>
          <span aria-hidden="true">{g.passed ? '✓' : '✗'}</span> <strong>{g.gate}</strong> {g.passed ? 'passes' : 'fails'}: {localizeTimes(g.reason)}
        </li>
      ))}
      {soaks.length > 0 && (
        <li className={soaked === soaks.length ? 'pass' : 'fail'}>
          <span aria-hidden="true">{soaked === soaks.length ? '✓' : '✗'}</span> <strong>soak</strong> {soaked} of {soaks.length} soaked
          <ul>
            {[...soaks.filter((g) => !g.passed), ...soaks.filter((g) => g.passed)].slice(0, SOAKS_SHOWN).map((g, i) => (
              <li key={i}>
                {g.requiredMs !== undefined && g.heldMs !== undefined && (
                  <progress max={g.requiredMs} value={Math.min(g.heldMs, g.requiredMs)} aria-label={`Soak of ${g.app ?? ''} on ${g.cluster ?? ''}`} />
                )}{' '}
                <span className="small">{g.reason}</span>
              </li>
            ))}
            {soaks.length > SOAKS_SHOWN && <li className="muted small">and {soaks.length - SOAKS_SHOWN} more ({soaks.length - soaked} not soaked in all)</li>}
          </ul>
        </li>
      )}
    </ul>
  );
}

type StageValidationState = StageValidationView | 'loading' | { readonly error: string };

/** How many blocked app × clusters the validation gate lists. */
const VALIDATIONS_SHOWN = 4;

/**
 * The validation gate into a stage: every app behind rendered with the promoted versions and validated per target
 * cluster, as the plan decides it (asked for after the graph is drawn: it renders). Unknown is never a pass.
 */
function ValidationGate({ stage, requirement, state }: { readonly stage: Stage; readonly requirement: StageValidation; readonly state: StageValidationState | undefined }) {
  const what = describeRequirement(requirement);
  if (state === undefined || state === 'loading')
    return (
      <li className="pending" aria-busy="true">
        <span aria-hidden="true">…</span> <strong>validation</strong> ({what}): checking the promoted state of {stage.behind.length} app{stage.behind.length === 1 ? '' : 's'} behind…
      </li>
    );
  if ('error' in state)
    return (
      <li className="fail">
        <span aria-hidden="true">✗</span> <strong>validation</strong> unknown: {state.error}
      </li>
    );
  if (state.gates.length === 0 && state.problems.length > 0)
    return (
      <li className="fail">
        <span aria-hidden="true">✗</span> <strong>validation</strong> fails: could not be checked ({what}): {state.problems[0]}
      </li>
    );
  if (state.gates.length === 0)
    return (
      <li className="pass">
        <span aria-hidden="true">✓</span> <strong>validation</strong> ({what}): no app behind, nothing to validate
      </li>
    );
  // An app behind that could not be planned is not validated: unknown, so the gate cannot pass.
  const failed = state.gates.filter((g) => !g.passed);
  const passes = failed.length === 0 && state.problems.length === 0;
  return (
    <li className={passes ? 'pass' : 'fail'}>
      <span aria-hidden="true">{passes ? '✓' : '✗'}</span> <strong>validation</strong> {passes ? 'passes' : 'fails'}: {state.gates.length - failed.length} of {state.gates.length} app × cluster{state.gates.length === 1 ? '' : 's'} pass ({what})
      {!passes && (
        <ul>
          {failed.slice(0, VALIDATIONS_SHOWN).map((g, i) => (
            <li key={i} className="small">
              {g.reason}
            </li>
          ))}
          {failed.length > VALIDATIONS_SHOWN && <li className="muted small">and {failed.length - VALIDATIONS_SHOWN} more (open the plan for each finding)</li>}
          {state.problems.slice(0, VALIDATIONS_SHOWN).map((p, i) => (
            <li key={`p${i}`} className="small">
              not checked: {p}
            </li>
          ))}
          {state.problems.length > VALIDATIONS_SHOWN && <li className="muted small">and {state.problems.length - VALIDATIONS_SHOWN} more not checked</li>}
        </ul>
      )}
    </li>
  );
}

/** A `validation:` requirement in words: `schema, lint errors, score ≥ 80, admission`. */
function describeRequirement(v: StageValidation): string {
  return [v.schema ? 'schema' : '', v.lint === 'off' ? '' : v.lint === 'warning' ? 'lint warnings' : 'lint errors', v.minScore !== undefined ? `score ≥ ${v.minScore}` : '', v.admission ? 'admission' : ''].filter(Boolean).join(', ') || 'nothing required';
}

/** The id of the note saying why a frozen stage takes no promotion (`where`: graph or table). */
export function freezeNoteId(pipeline: string, stage: string, where: 'graph' | 'table'): string {
  return `freeze-${where}-${pipeline}-${stage}`.replace(/[^A-Za-z0-9_-]/g, '_');
}

/** An `image:tag` entry as a node shows it: the tag (the image is the app's). */
function shortVersion(v: string): string {
  const at = v.lastIndexOf('@');
  const colon = v.lastIndexOf(':');
  const slash = v.lastIndexOf('/');
  if (at > 0 && !v.includes('=')) return v.slice(at + 1, at + 20);
  return colon > slash && !v.includes('=') ? v.slice(colon + 1) : v;
}
