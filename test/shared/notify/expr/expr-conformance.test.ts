import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { canonical, compileExpr, ExprCompileError, ExprRuntimeError, parseRfc3339, timeHelpers } from '../../../../shared/notify/expr';
import type { ExprValue } from '../../../../shared/notify/expr';
import { ExprFunc } from '../../../../shared/notify/expr';
import { repoRoot } from '../../../helpers/paths';
import { goTestTool, runGoTestTool } from '../../../helpers/test-tools';

// The Go tool is built once (scripts/test-tools.sh; .ci/run builds it up front) before the tests' own deadlines.
beforeAll(() => void goTestTool('expr-eval'));

// Flotilla's expr evaluator against github.com/expr-lang/expr itself (test/tools/expr-eval): the same expressions on
// the same JSON objects must give the same value (int vs float64 included) or fail at the same stage.

const NOW = '2026-03-01T12:00:00Z';

interface Case {
  readonly expr: string;
  readonly env: Record<string, unknown>;
}

function ours(c: Case): string {
  let prog;
  try {
    prog = compileExpr(c.expr);
  } catch (e) {
    if (e instanceof ExprCompileError) return 'error(compile)';
    throw e;
  }
  const now = parseRfc3339(NOW);
  const env: Record<string, ExprValue> = {
    ...(JSON.parse(JSON.stringify(c.env)) as Record<string, ExprValue>),
    time: timeHelpers(() => now),
    strings: { ReplaceAll: new ExprFunc('ReplaceAll', (a) => String(a[0]).split(String(a[1])).join(String(a[2]))) },
  };
  try {
    return canonical(prog.run(env));
  } catch (e) {
    if (e instanceof ExprRuntimeError) return 'error(run)';
    throw e;
  }
}

function theirs(cases: readonly Case[]): string[] {
  return JSON.parse(runGoTestTool('expr-eval', JSON.stringify({ now: NOW, cases }))) as string[];
}

/** Applications in Argo CD's shape, in the states the catalog's triggers tell apart. */
function apps(): Record<string, unknown>[] {
  const base = (name: string, status: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: 'argocd', creationTimestamp: '2026-03-01T10:00:00Z', labels: { team: 'web' }, ...extra },
    spec: { project: 'default', source: { repoURL: 'https://git.example/org/fleet.git', path: `apps/${name}`, targetRevision: 'main' }, destination: { server: 'https://kubernetes.default.svc', namespace: name } },
    status,
  });
  const op = (phase: string, started: string, finished: string | undefined, revision = 'abc123') => ({
    phase,
    message: phase === 'Failed' ? 'one or more objects failed to apply' : 'successfully synced',
    startedAt: started,
    ...(finished ? { finishedAt: finished } : {}),
    syncResult: { revision },
  });
  return [
    base('fresh', { sync: { status: 'OutOfSync' }, health: { status: 'Missing' } }),
    base('deployed', { sync: { status: 'Synced', revision: 'abc123' }, health: { status: 'Healthy', lastTransitionTime: '2026-03-01T11:00:30Z' }, operationState: op('Succeeded', '2026-03-01T11:00:00Z', '2026-03-01T11:00:20Z') }),
    base('healthy-before-sync', { sync: { status: 'Synced' }, health: { status: 'Healthy', lastTransitionTime: '2026-03-01T09:00:00Z' }, operationState: op('Succeeded', '2026-03-01T11:00:00Z', '2026-03-01T11:05:00Z') }),
    base('degraded', { sync: { status: 'Synced' }, health: { status: 'Degraded', message: 'Back-off pulling image' }, operationState: op('Succeeded', '2026-03-01T11:00:00Z', '2026-03-01T11:00:20Z', 'def456') }),
    base('failed', { sync: { status: 'OutOfSync' }, health: { status: 'Progressing' }, operationState: op('Failed', '2026-03-01T11:00:00Z', '2026-03-01T11:01:00Z') }),
    base('errored', { sync: { status: 'OutOfSync' }, health: { status: 'Healthy' }, operationState: op('Error', '2026-03-01T11:00:00Z', '2026-03-01T11:01:00Z') }),
    base('running', { sync: { status: 'OutOfSync' }, health: { status: 'Progressing' }, operationState: { phase: 'Running', startedAt: '2026-03-01T11:59:00Z' } }),
    base('unknown', { sync: { status: 'Unknown' }, health: { status: 'Unknown' }, conditions: [{ type: 'ComparisonError', message: 'cluster unreachable' }] }),
    base('deleting', { sync: { status: 'Synced' }, health: { status: 'Healthy' } }, { deletionTimestamp: '2026-03-01T11:59:59Z' }),
    base('bad-time', { sync: { status: 'Synced' }, health: { status: 'Healthy', lastTransitionTime: 'yesterday' }, operationState: op('Succeeded', '2026-03-01T11:00:00Z', '2026-03-01T11:00:20Z') }),
    base('no-status', {}),
  ];
}

function catalogTriggers(): { name: string; when: string; oncePer?: string }[] {
  const cm = parse(readFileSync(path.join(repoRoot, 'test/fixtures/notify/argocd-notifications-catalog.yaml'), 'utf8')) as { data: Record<string, string> };
  return Object.entries(cm.data)
    .filter(([k]) => k.startsWith('trigger.'))
    .flatMap(([k, v]) => (parse(v) as { when: string; oncePer?: string }[]).map((c) => ({ name: k.slice('trigger.'.length), ...c })));
}

const GENERAL: readonly string[] = [
  '1 + 2', '1 + 2.5', '7 / 2', '7 % 3', '2 ** 10', '-3', '- -3', '1 == 1.0', '1 != 2', '1 < 2 < 3', '3 > 2 > 1', '"a" < "b"',
  '"a" + "b"', 'true and false', 'true or false', 'not true', '!false', '!(1 < 2)', 'true && x', 'false and x', 'x and true',
  'nil == nil', 'nil != 1', 'x == nil', 'y == nil', 'y.z', 'y?.z', 'y?.z.w', 'x.a', 'x?.a?.b', 'm.k', 'm["k"]', 'm.missing', 'm.missing == nil',
  'list[0]', 'list[-1]', 'list[9]', 'list[1.7]', 'len(list)', 'len(m)', 'len("héllo")', '"b" in list', '"z" in list', '2 in nums', '2.0 in nums', '2 in [1, 2]',
  '"k" in m', '"q" not in m', '1 in m', '"x" in nil', 'x in nil', '"a" in "abc"', 'x in s', 's matches "^ab+c$"', 's matches "b+"', 's matches "["',
  's contains "bc"', 's startsWith "ab"', 's endsWith "c"', 's not contains "z"', 'x contains "a"', 'nums[0] + 1', 'nums[0] * 2', 'nums[0] / 2', 'nums[0] % 2',
  'nums == [1, 2, 3]', 'list == ["a", "b"]', '[1, 2] == [1, 2]', '{"a": 1} == {"a": 1}', 'm == {"k": "v"}', 'x ? 1 : 2', 't ? 1 : 2', 'true ? 1 : "a"',
  's ?? "d"', 'y ?? "d"', 'upper(s)', 'lower("ABC")', 'trim("  a ")', 'trim("xxaxx", "x")', 'trimPrefix(s, "a")', 'trimSuffix(s, "c")', 'split("a,b,c", ",")',
  'split("a,b,c", ",", 2)', 'replace(s, "b", "B")', 'join(list, "-")', 'hasPrefix(s, "a")', 'hasSuffix(s, "x")', 'indexOf(s, "c")', 'repeat("ab", 3)',
  'int("42")', 'int(3.9)', 'float(2)', 'float("2.5")', 'abs(-2)', 'abs(-2.5)', 'first(list)', 'last(list)', 'first([])',
  'all(nums, # > 0)', 'any(nums, # > 2)', 'none(nums, # > 5)', 'one(nums, # == 2)', 'filter(nums, # >= 2)', 'map(nums, # * 2)', 'count(nums, # > 1)',
  'map(objs, .name)', 'filter(objs, .n > 1)', 'all(objs, {.n > 0})', 'find(objs, .name == "b")', 'any(nil, # > 1)', 'all(nums, #)',
  'time.Parse("2026-03-01T11:00:00Z").Before(time.Now())', 'time.Now().Sub(time.Parse("2026-03-01T11:30:00Z")).Minutes()',
  'time.Now().Sub(time.Parse("2026-03-01T11:30:00Z")) > time.Minute * 5', 'time.Now() - time.Parse("2026-03-01T11:30:00+01:00")',
  'time.Parse("2026-03-01T11:00:00.123456789Z").Add(time.Hour)', 'time.Parse("2026-03-01T11:00:00Z") < time.Now()', 'time.Parse("bad")',
  'time.Parse("2026-02-30T00:00:00Z")', 'time.Hour.Hours()', '(time.Minute * 90).Hours()', 'time.Second * 2.5', '2 * time.Second',
  'time.Now().Unix()', 'time.Parse(t)', 'duration("1h30m")', 'duration("1h30m") == time.Minute * 90', 'duration("x")',
  'strings.ReplaceAll(s, "b", "-")', 'x.y.z', 'nums[0] > "a"', 'nums[0] < 2', 'unknownFn(1)', '1 +', '(1', '"unterminated', '1 ? 2 : 3',
  '"a" + 1', 'nil and true', '1 and true', '"a" == 1', 'not 1', '-"a"', '1 in {"a": 1}', 's matches "("', 'x ?? y ?? "z"', '1 .. 3',
  'app.status.operationState.phase', "app.status.operationState.phase in ['Error', 'Failed'] and app.status.operationState.syncResult.revision != ''",
  'time.Now().Sub(time.Parse(app.status.operationState.startedAt)).Minutes() >= 5', "app.metadata.labels['team'] == 'web'",
  "any(app.status.conditions ?? [], {.type == 'ComparisonError'})", "app.spec.destination.namespace startsWith 'dep'", 'len(app.status.conditions) > 0',
  "app.status.health.status != 'Healthy' or app.status.sync.status == 'OutOfSync'", 'app.metadata.annotations?.owner ?? "nobody"',
  "strings.ReplaceAll(app.spec.source.repoURL, '.git', '')", '(time.Parse(app.status.operationState.finishedAt) - time.Parse(app.status.operationState.startedAt)).Seconds()',
  'all({"a": 1}, # > 0)', 'count("ab", # > 0)', 'x or true', 'y.q and false', 'false or x', 'time.Second * 2',
  '1.5 * time.Second', 'time.Minute * time.Second', 'upper(1)', 'hasPrefix(s, 2)', 'list == ["a", x]', 'len(nil)', 'len(1)', 'app?.status?.operationState?.phase ?? "none"', 'len(app.status.conditions ?? []) > 0',
];

describe('expr evaluator vs github.com/expr-lang/expr', () => {
  it('agrees on every trigger condition and oncePer of Argo CD\'s notifications catalog, on apps in every state', () => {
    const triggers = catalogTriggers();
    expect(triggers.map((t) => t.name).sort()).toEqual([
      'on-created', 'on-deleted', 'on-deployed', 'on-health-degraded', 'on-sync-failed', 'on-sync-running', 'on-sync-status-unknown', 'on-sync-succeeded',
    ]);
    const cases: Case[] = [];
    for (const t of triggers) for (const app of apps()) for (const e of [t.when, t.oncePer].filter((x): x is string => !!x)) cases.push({ expr: e, env: { app } });
    const expected = theirs(cases);
    const got = cases.map(ours);
    const diffs = cases.map((c, i) => ({ expr: c.expr, app: (c.env.app as { metadata: { name: string } }).metadata.name, go: expected[i], ours: got[i] })).filter((d) => d.go !== d.ours);
    expect(diffs).toEqual([]);
    // The corpus is not trivially uniform: conditions are true for some apps and false for others.
    expect(new Set(got)).toEqual(expect.objectContaining({ size: expect.any(Number) }));
    expect(got).toContain('true');
    expect(got).toContain('false');
    expect(got).toContain('"abc123"');
  });

  it('agrees on a general corpus of operators, builtins, nil handling, time helpers and compile errors', () => {
    const env = {
      x: { a: { b: 1 } }, y: null, s: 'abbc', t: 'x', list: ['a', 'b'], nums: [1, 2, 3], m: { k: 'v' },
      objs: [{ name: 'a', n: 1 }, { name: 'b', n: 2 }], app: apps()[1],
    };
    const cases = GENERAL.map((expr) => ({ expr, env }));
    const expected = theirs(cases);
    const got = cases.map(ours);
    const diffs = cases.map((c, i) => ({ expr: c.expr, go: expected[i], ours: got[i] })).filter((d) => d.go !== d.ours);
    expect(diffs).toEqual([]);
    expect(got.filter((g) => g === 'error(compile)').length).toBeGreaterThan(5);
    expect(got.filter((g) => g === 'error(run)').length).toBeGreaterThan(5);
  });
});
