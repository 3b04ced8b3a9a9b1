// The Pipeline file (`kind: Pipeline`, flotilla.dev/v1alpha1): ordered stages, what moves between them, the gates on
// the way and how a promotion reaches Git. Parsed from the file's text so every problem names its line and column.

import type { StageValidation } from '../validate/gate';
import { parseStageValidation } from '../validate/gate';
import type { Document, ParsedNode } from 'yaml';
import { LineCounter, parseAllDocuments } from 'yaml';
import { FLOTILLA_API_VERSION } from '../model/fleet';
import type { Problem } from '../problem';
import { problem } from '../problem';
import { isRecord } from '../yaml/documents';
import { positionsOf } from '../yaml/node-position';
import { unknownFields } from '../yaml/strict-fields';
import type { YamlPath } from './yaml-path';
import { parseYamlPath } from './yaml-path';
import { YAML_TO_JS, yamlLimitMessage, yamlSizeError } from '../yaml/limits';

/** The default overlay of an app in a stage. */
export const DEFAULT_OVERLAY_PATH = 'apps/{{app}}/overlays/{{stage}}';

/** A window during which promotions into a stage are frozen: from each cron fire time for `durationMs`, or from `start` to `end`. */
export interface FreezeWindow {
  /** Five-field cron (minute hour day-of-month month day-of-week), evaluated in UTC. */
  readonly cron?: string;
  readonly durationMs?: number;
  /** ISO times of a one-off freeze. */
  readonly start?: string;
  readonly end?: string;
  readonly reason?: string;
}

/** How old the observation a soak gate uses may be, unless a stage's `gates.freshness` says otherwise: five minutes. */
export const DEFAULT_FRESHNESS_MS = 5 * 60_000;

/** The gates a promotion into a stage must pass. */
export interface StageGates {
  /** The source stage must have been Synced and Healthy for at least this long (from the recorded history). */
  readonly soakMs?: number;
  /** The soak gate uses only an observation younger than this (`gates.freshness`, default five minutes). */
  readonly freshnessMs: number;
  /** Who may approve a promotion into the stage. */
  readonly approvers: readonly string[];
  /** How many of `approvers` must approve (default: 1 when approvers are listed). */
  readonly requiredApprovals: number;
  readonly freezeWindows: readonly FreezeWindow[];
  /** Promotions into the stage need a person's interactive confirmation: `--yes` and automation are refused. */
  readonly manualOnly: boolean;
  /** The promotion's source revision must carry a good signature from a key the repository trusts (`gates.signedCommits`). */
  readonly signedCommits: boolean;
}

/** One stage of a pipeline. */
export interface StageSpec {
  readonly name: string;
  /** The stage promoted from (absent for the first stage). */
  readonly from?: string;
  /** The clusters of the stage (default: the fleet clusters whose `environment` is the stage's name). */
  readonly clusters?: readonly string[];
  /** Overrides the pipeline's overlay path template for this stage. */
  readonly overlayPath?: string;
  readonly gates: StageGates;
  /** `validation:`: what the promoted state of each target cluster must pass (schema, lint, score, admission). */
  readonly validation?: StageValidation;
  readonly line: number;
}

/** A YAML path in a file of the overlay whose value moves from stage to stage. */
export interface PromotedPath {
  /** The file, relative to the app's overlay folder. */
  readonly file: string;
  readonly path: YamlPath;
  /** The path as written, for messages. */
  readonly source: string;
}

/** What moves from one stage to the next. */
export interface PromoteSpec {
  /** Container images of the overlay's kustomization `images` field: every one (true), none (false) or these names. */
  readonly images: boolean | readonly string[];
  readonly paths: readonly PromotedPath[];
  /** The `?ref=` of remote git resources and components in the overlay's kustomization. */
  readonly revision: boolean;
}

/** How a promotion reaches Git. */
export interface PipelineGit {
  readonly remote: string;
  /** The branch promotions commit to (default: the repository's current branch). */
  readonly branch?: string;
  /** Push to a new branch for review instead of the branch itself. */
  readonly review: boolean;
  readonly reviewBranchPrefix: string;
}

/** An app of the pipeline, with its overlay template when it differs from the pipeline's. */
export interface PipelineApp {
  readonly name: string;
  readonly overlayPath?: string;
}

/** A parsed `kind: Pipeline` document. */
export interface PipelineSpec {
  readonly name: string;
  readonly file: string;
  readonly line: number;
  /** The ApplicationSet whose Applications deploy the overlays (finds each stage's Applications and namespaces). */
  readonly applicationSet?: string;
  /** Template of an app's overlay folder in a stage: `{{app}}` and `{{stage}}`. */
  readonly overlayPath: string;
  /** The apps promoted; absent: every folder that matches the overlay template in the stages. */
  readonly apps?: readonly PipelineApp[];
  readonly promote: PromoteSpec;
  readonly git: PipelineGit;
  readonly stages: readonly StageSpec[];
}

/** The pipelines of a file and the problems (file, line, column) of what could not be read. */
export interface ParsedPipelines {
  readonly pipelines: readonly PipelineSpec[];
  readonly problems: readonly Problem[];
}

/** Reads a duration such as `90s`, `10m`, `1h30m`, `2d` into milliseconds; undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const s = text.trim();
  if (!/^(\d+(\.\d+)?(ms|s|m|h|d))+$/.test(s)) return undefined;
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  let total = 0;
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) total += Number(m[1]) * unit[m[2]!]!;
  return total;
}

/** Parses every `kind: Pipeline` document of a file; one bad document or field never hides the others' problems. */
export function parsePipelineFile(text: string, file: string): ParsedPipelines {
  const lc = new LineCounter();
  const pipelines: PipelineSpec[] = [];
  const problems: Problem[] = [];
  const tooBig = yamlSizeError(text);
  if (tooBig) return { pipelines, problems: [problem(`YAML: ${tooBig}`, { file, line: 1, column: 1 })] };
  const docs = parseAllDocuments(text, { lineCounter: lc, version: '1.1', uniqueKeys: false, prettyErrors: false });
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    if (doc.errors.length > 0) {
      for (const err of doc.errors) {
        const pos = lc.linePos(err.pos[0]);
        problems.push(problem(`YAML: ${err.message.split('\n')[0]}`, { file, line: pos.line, column: pos.col }));
      }
      continue;
    }
    let value: unknown;
    try {
      value = doc.toJS(YAML_TO_JS);
    } catch (e) {
      const pos = lc.linePos(doc.contents?.range?.[0] ?? 0);
      problems.push(problem(`YAML: ${yamlLimitMessage((e as Error).message)}`, { file, line: pos.line, column: pos.col }));
      continue;
    }
    if (!isRecord(value) || value.kind !== 'Pipeline' || value.apiVersion !== FLOTILLA_API_VERSION) continue;
    const r = readPipeline(value, doc, lc, file);
    problems.push(...r.problems);
    if (r.pipeline) pipelines.push(r.pipeline);
  }
  return { pipelines, problems };
}

type Path = readonly (string | number)[];

/** Every field a Pipeline may have, by where it is: anything else is an error (with a "did you mean"), never ignored. */
export const PIPELINE_FIELDS = {
  top: ['apiVersion', 'kind', 'metadata', 'spec'],
  metadata: ['name', 'namespace', 'labels', 'annotations'],
  spec: ['applicationSet', 'overlayPath', 'apps', 'promote', 'git', 'stages'],
  app: ['name', 'overlayPath'],
  promote: ['images', 'paths', 'revision'],
  path: ['file', 'path'],
  git: ['remote', 'branch', 'pushTo', 'reviewBranchPrefix'],
  stage: ['name', 'from', 'clusters', 'overlayPath', 'gates', 'validation'],
  gates: ['soak', 'freshness', 'approvers', 'requiredApprovals', 'freezeWindows', 'manualOnly', 'signedCommits'],
  freezeWindow: ['cron', 'duration', 'start', 'end', 'reason'],
} as const;

/** Fields people put in the wrong place, and where they belong. */
const MISPLACED: Readonly<Record<string, string>> = {
  git: '`git` belongs under spec (one git target per pipeline); a stage cannot push elsewhere',
  promotionTemplate: '`promotionTemplate` is a Kargo field; Flotilla reads spec.promote (images, paths, revision)',
};

function readPipeline(v: Record<string, unknown>, doc: Document.Parsed<ParsedNode>, lc: LineCounter, file: string): { pipeline?: PipelineSpec; problems: Problem[] } {
  const problems: Problem[] = [];
  const pos = (path: Path): { line: number; column: number } => {
    // The closest node that exists on the path: a missing field is reported where its parent is.
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      const start = node?.range?.[0];
      if (start !== undefined) {
        const p = lc.linePos(start);
        return { line: p.line, column: p.col };
      }
    }
    return { line: 1, column: 1 };
  };
  const bad = (path: Path, message: string): void => void problems.push(problem(`pipeline: ${path.join('.')}: ${message}`, { file, ...pos(path) }));
  const keyAt = positionsOf(doc, lc);
  const strict = (value: unknown, path: Path, known: readonly string[]): void => {
    if (!isRecord(value)) return;
    for (const u of unknownFields(value, known)) {
      const at = [...path, u.key];
      // Pointed at the key itself: the value of a misplaced mapping starts on the next line.
      problems.push(problem(`pipeline: ${at.join('.')}: ${MISPLACED[u.key] ? `unknown field "${u.key}": ${MISPLACED[u.key]}` : u.message}`, { file, ...keyAt(at, 'key') }));
    }
  };
  strict(v, [], PIPELINE_FIELDS.top);
  strict(v.metadata, ['metadata'], PIPELINE_FIELDS.metadata);
  strict(v.spec, ['spec'], PIPELINE_FIELDS.spec);
  const str = (x: unknown, path: Path, required = false): string | undefined => {
    if (x === undefined || x === null) {
      if (required) bad(path, 'is required');
      return undefined;
    }
    if (typeof x === 'string' && x !== '') return x;
    bad(path, 'expected a non-empty string');
    return undefined;
  };
  const strList = (x: unknown, path: Path): string[] | undefined => {
    if (x === undefined || x === null) return undefined;
    if (Array.isArray(x) && x.every((s) => typeof s === 'string' && s !== '')) return x as string[];
    bad(path, 'expected a list of strings');
    return undefined;
  };
  const meta = isRecord(v.metadata) ? v.metadata : {};
  const name = str(meta.name, ['metadata', 'name'], true) ?? '';
  if (!isRecord(v.spec)) {
    bad(['spec'], 'expected a mapping');
    return { problems };
  }
  const spec = v.spec;
  const overlayPath = str(spec.overlayPath, ['spec', 'overlayPath']) ?? DEFAULT_OVERLAY_PATH;
  if (!overlayPath.includes('{{stage}}')) bad(['spec', 'overlayPath'], 'must contain {{stage}}');
  const applicationSet = str(spec.applicationSet, ['spec', 'applicationSet']);

  let apps: PipelineApp[] | undefined;
  if (spec.apps !== undefined) {
    if (!Array.isArray(spec.apps)) bad(['spec', 'apps'], 'expected a list of app names or {name, overlayPath} mappings');
    else {
      apps = [];
      spec.apps.forEach((a, i) => {
        if (typeof a === 'string' && a !== '') apps!.push({ name: a });
        else if (isRecord(a)) {
          strict(a, ['spec', 'apps', i], PIPELINE_FIELDS.app);
          const n = str(a.name, ['spec', 'apps', i, 'name'], true);
          const o = str(a.overlayPath, ['spec', 'apps', i, 'overlayPath']);
          if (n) apps!.push({ name: n, ...(o ? { overlayPath: o } : {}) });
        } else bad(['spec', 'apps', i], 'expected an app name or a {name, overlayPath} mapping');
      });
    }
  }
  if (!overlayPath.includes('{{app}}') && !apps?.every((a) => a.overlayPath)) bad(['spec', 'overlayPath'], 'must contain {{app}} unless every app names its own overlayPath');

  const promoteRaw = spec.promote === undefined ? { images: true } : spec.promote;
  let promote: PromoteSpec = { images: true, paths: [], revision: false };
  if (!isRecord(promoteRaw)) bad(['spec', 'promote'], 'expected a mapping (images, paths, revision)');
  else {
    strict(promoteRaw, ['spec', 'promote'], PIPELINE_FIELDS.promote);
    let images: boolean | readonly string[] = false;
    if (typeof promoteRaw.images === 'boolean') images = promoteRaw.images;
    else if (promoteRaw.images !== undefined) images = strList(promoteRaw.images, ['spec', 'promote', 'images']) ?? false;
    const paths: PromotedPath[] = [];
    if (promoteRaw.paths !== undefined) {
      if (!Array.isArray(promoteRaw.paths)) bad(['spec', 'promote', 'paths'], 'expected a list of {file, path}');
      else
        promoteRaw.paths.forEach((p, i) => {
          const at: Path = ['spec', 'promote', 'paths', i];
          if (!isRecord(p)) return bad(at, 'expected a mapping {file, path}');
          strict(p, at, PIPELINE_FIELDS.path);
          const f = str(p.file, [...at, 'file'], true);
          const yp = str(p.path, [...at, 'path'], true);
          if (!f || !yp) return;
          const parsed = parseYamlPath(yp);
          if (typeof parsed === 'string') return bad([...at, 'path'], parsed);
          paths.push({ file: f, path: parsed, source: yp });
        });
    }
    if (promoteRaw.revision !== undefined && typeof promoteRaw.revision !== 'boolean') bad(['spec', 'promote', 'revision'], 'expected true or false');
    promote = { images, paths, revision: promoteRaw.revision === true };
    if (images === false && paths.length === 0 && !promote.revision) bad(['spec', 'promote'], 'moves nothing: set images, paths or revision');
  }

  const gitRaw = spec.git ?? {};
  let git: PipelineGit = { remote: 'origin', review: false, reviewBranchPrefix: 'flotilla/promote-' };
  if (!isRecord(gitRaw)) bad(['spec', 'git'], 'expected a mapping (remote, branch, pushTo)');
  else {
    strict(gitRaw, ['spec', 'git'], PIPELINE_FIELDS.git);
    const pushTo = gitRaw.pushTo ?? 'branch';
    if (pushTo !== 'branch' && pushTo !== 'review') bad(['spec', 'git', 'pushTo'], 'expected `branch` (push to the branch) or `review` (push a new branch for review)');
    const branch = str(gitRaw.branch, ['spec', 'git', 'branch']);
    git = {
      remote: str(gitRaw.remote, ['spec', 'git', 'remote']) ?? 'origin',
      ...(branch ? { branch } : {}),
      review: pushTo === 'review',
      reviewBranchPrefix: str(gitRaw.reviewBranchPrefix, ['spec', 'git', 'reviewBranchPrefix']) ?? 'flotilla/promote-',
    };
  }

  const stages: StageSpec[] = [];
  if (!Array.isArray(spec.stages) || spec.stages.length === 0) bad(['spec', 'stages'], 'expected a list of stages');
  else
    spec.stages.forEach((s, i) => {
      const at: Path = ['spec', 'stages', i];
      if (!isRecord(s)) return bad(at, 'expected a mapping with a `name`');
      strict(s, at, PIPELINE_FIELDS.stage);
      const sname = str(s.name, [...at, 'name'], true);
      if (!sname) return;
      if (stages.some((x) => x.name === sname)) return bad([...at, 'name'], `stage "${sname}" is declared twice`);
      const from = str(s.from, [...at, 'from']);
      if (from !== undefined && !stages.some((x) => x.name === from)) {
        bad([...at, 'from'], `stage "${from}" is not declared before "${sname}" (known: ${stages.map((x) => x.name).join(', ') || 'none'})`);
      }
      const clusters = strList(s.clusters, [...at, 'clusters']);
      const stageOverlay = str(s.overlayPath, [...at, 'overlayPath']);
      stages.push({
        name: sname,
        ...(from !== undefined ? { from } : {}),
        ...(clusters ? { clusters } : {}),
        ...(stageOverlay ? { overlayPath: stageOverlay } : {}),
        gates: readGates(s.gates, [...at, 'gates'], bad, strList, strict),
        ...validationOf(s.validation, [...at, 'validation'], bad),
        line: pos(at).line,
      });
    });
  if (problems.length > 0) return { problems };
  return {
    pipeline: { name, file, line: pos([]).line, ...(applicationSet ? { applicationSet } : {}), overlayPath, ...(apps ? { apps } : {}), promote, git, stages },
    problems,
  };
}

function validationOf(raw: unknown, at: Path, bad: (path: Path, message: string) => void): { validation?: StageValidation } {
  const v = parseStageValidation(raw, (p, m) => bad([...at, ...p], m));
  return v ? { validation: v } : {};
}

function readGates(
  raw: unknown,
  at: Path,
  bad: (path: Path, message: string) => void,
  strList: (x: unknown, path: Path) => string[] | undefined,
  strict: (value: unknown, path: Path, known: readonly string[]) => void,
): StageGates {
  const none: StageGates = { freshnessMs: DEFAULT_FRESHNESS_MS, approvers: [], requiredApprovals: 0, freezeWindows: [], manualOnly: false, signedCommits: false };
  if (raw === undefined || raw === null) return none;
  if (!isRecord(raw)) {
    bad(at, 'expected a mapping (soak, freshness, approvers, requiredApprovals, freezeWindows, manualOnly, signedCommits)');
    return none;
  }
  strict(raw, at, PIPELINE_FIELDS.gates);
  let soakMs: number | undefined;
  if (raw.soak !== undefined) {
    soakMs = typeof raw.soak === 'string' ? parseDuration(raw.soak) : undefined;
    if (soakMs === undefined) bad([...at, 'soak'], `expected a duration such as 10m or 1h, got ${JSON.stringify(raw.soak)}`);
  }
  let freshnessMs = DEFAULT_FRESHNESS_MS;
  if (raw.freshness !== undefined) {
    const f = typeof raw.freshness === 'string' ? parseDuration(raw.freshness) : undefined;
    if (f === undefined || f <= 0) bad([...at, 'freshness'], `expected a duration such as 5m or 30s, got ${JSON.stringify(raw.freshness)}`);
    else freshnessMs = f;
  }
  const approvers = strList(raw.approvers, [...at, 'approvers']) ?? [];
  let requiredApprovals = approvers.length > 0 ? 1 : 0;
  if (raw.requiredApprovals !== undefined) {
    if (typeof raw.requiredApprovals !== 'number' || !Number.isInteger(raw.requiredApprovals) || raw.requiredApprovals < 0 || raw.requiredApprovals > approvers.length) {
      bad([...at, 'requiredApprovals'], `expected a whole number from 0 to the number of approvers (${approvers.length})`);
    } else requiredApprovals = raw.requiredApprovals;
  }
  const freezeWindows: FreezeWindow[] = [];
  if (raw.freezeWindows !== undefined) {
    if (!Array.isArray(raw.freezeWindows)) bad([...at, 'freezeWindows'], 'expected a list of {cron, duration} or {start, end}');
    else
      raw.freezeWindows.forEach((w, i) => {
        const wat: Path = [...at, 'freezeWindows', i];
        if (!isRecord(w)) return bad(wat, 'expected a mapping {cron, duration} or {start, end}');
        strict(w, wat, PIPELINE_FIELDS.freezeWindow);
        const reason = typeof w.reason === 'string' ? w.reason : undefined;
        if (w.cron !== undefined) {
          if (typeof w.cron !== 'string' || parseCron(w.cron) === undefined) return bad([...wat, 'cron'], `expected five cron fields (minute hour day month weekday), got ${JSON.stringify(w.cron)}`);
          const durationMs = typeof w.duration === 'string' ? parseDuration(w.duration) : undefined;
          if (durationMs === undefined) return bad([...wat, 'duration'], 'expected a duration such as 64h');
          freezeWindows.push({ cron: w.cron, durationMs, ...(reason ? { reason } : {}) });
        } else {
          const start = typeof w.start === 'string' ? w.start : w.start instanceof Date ? w.start.toISOString() : undefined;
          const end = typeof w.end === 'string' ? w.end : w.end instanceof Date ? w.end.toISOString() : undefined;
          if (!start || Number.isNaN(Date.parse(start))) return bad([...wat, 'start'], 'expected an ISO time (or use cron and duration)');
          if (!end || Number.isNaN(Date.parse(end))) return bad([...wat, 'end'], 'expected an ISO time');
          freezeWindows.push({ start, end, ...(reason ? { reason } : {}) });
        }
      });
  }
  if (raw.manualOnly !== undefined && typeof raw.manualOnly !== 'boolean') bad([...at, 'manualOnly'], 'expected true or false');
  if (raw.signedCommits !== undefined && typeof raw.signedCommits !== 'boolean') bad([...at, 'signedCommits'], 'expected true or false');
  return { ...(soakMs !== undefined ? { soakMs } : {}), freshnessMs, approvers, requiredApprovals, freezeWindows, manualOnly: raw.manualOnly === true, signedCommits: raw.signedCommits === true };
}

/** A parsed cron field set: the allowed values of each of the five fields. */
export interface Cron {
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly days: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  readonly weekdays: ReadonlySet<number>;
  /** Whether day-of-month and day-of-week were both restricted (then either matching is enough, as cron does). */
  readonly dayOr: boolean;
}

/** Parses a five-field cron expression (`*`, lists, ranges, steps); undefined when malformed. */
export function parseCron(expr: string): Cron | undefined {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5) return undefined;
  const limits: [number, number][] = [[0, 59], [0, 23], [1, 31], [1, 12], [0, 7]];
  const sets: Set<number>[] = [];
  for (let i = 0; i < 5; i++) {
    const [lo, hi] = limits[i]!;
    const set = new Set<number>();
    for (const part of fields[i]!.split(',')) {
      const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
      if (!m) return undefined;
      const step = m[4] ? Number(m[4]) : 1;
      let a = lo;
      let b = hi;
      if (m[1] !== '*') {
        a = Number(m[2]);
        b = m[3] !== undefined ? Number(m[3]) : m[4] ? hi : a;
      }
      if (a < lo || b > hi || a > b || step < 1) return undefined;
      for (let x = a; x <= b; x += step) set.add(i === 4 && x === 7 ? 0 : x);
    }
    sets.push(set);
  }
  return { minutes: sets[0]!, hours: sets[1]!, days: sets[2]!, months: sets[3]!, weekdays: sets[4]!, dayOr: fields[2] !== '*' && fields[4] !== '*' };
}

/** Whether a cron expression fires at the given minute (UTC). */
export function cronMatches(cron: Cron, at: Date): boolean {
  if (!cron.minutes.has(at.getUTCMinutes()) || !cron.hours.has(at.getUTCHours()) || !cron.months.has(at.getUTCMonth() + 1)) return false;
  const dom = cron.days.has(at.getUTCDate());
  const dow = cron.weekdays.has(at.getUTCDay());
  return cron.dayOr ? dom || dow : dom && dow;
}
