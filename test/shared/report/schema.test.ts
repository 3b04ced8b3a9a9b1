// The JSON drift report against its published schema (docs/drift-report.schema.json), so the two never drift apart.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDriftReport, renderDriftReport } from '../../../shared/report/index';
import { repoRoot } from '../../helpers/paths';

type Schema = {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  required?: string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean;
  items?: Schema;
  $ref?: string;
  oneOf?: Schema[];
  $defs?: Record<string, Schema>;
};

const schema = JSON.parse(readFileSync(path.join(repoRoot, 'docs', 'drift-report.schema.json'), 'utf8')) as Schema;

/** The keywords the schema uses, checked strictly; returns the errors with their JSON paths. */
function validate(value: unknown, s: Schema, at = ''): string[] {
  if (s.$ref) return validate(value, schema.$defs![s.$ref.replace('#/$defs/', '')]!, at);
  if (s.oneOf) {
    const ok = s.oneOf.filter((o) => validate(value, o, at).length === 0).length;
    return ok === 1 ? [] : [`${at}: matches ${ok} of oneOf`];
  }
  const errors: string[] = [];
  if ('const' in s && value !== s.const) errors.push(`${at}: expected ${String(s.const)}`);
  if (s.enum && !s.enum.includes(value)) errors.push(`${at}: ${String(value)} not in enum`);
  if (s.type) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    const actual = value === null ? 'null' : Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value;
    if (!types.includes(actual) && !(actual === 'integer' && types.includes('number'))) errors.push(`${at}: ${actual} is not ${types.join('|')}`);
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    for (const k of s.required ?? []) if (!(k in obj)) errors.push(`${at}/${k}: required`);
    for (const [k, v] of Object.entries(obj)) {
      const sub = s.properties?.[k];
      if (sub) errors.push(...validate(v, sub, `${at}/${k}`));
      else if (s.additionalProperties === false) errors.push(`${at}/${k}: not in the schema`);
    }
  }
  if (Array.isArray(value) && s.items) value.forEach((v, i) => errors.push(...validate(v, s.items!, `${at}/${i}`)));
  return errors;
}

const report = buildDriftReport({
  generatedAt: '2026-11-23T12:00:00.000Z',
  snapshot: { id: 3, takenAt: '2026-11-23T11:00:00.000Z' },
  source: 'offline',
  entries: [
    {
      app: 'web', cluster: 'prod-eu', environment: 'prod', revision: 'abc', sync: 'OutOfSync', health: { status: 'Degraded', message: 'x' },
      observedAt: '2026-11-23T11:00:00.000Z', driftSince: '2026-11-23T10:00:00.000Z', resourceCount: 3,
      drifted: [
        { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'web', sync: 'OutOfSync', health: { status: 'Degraded', message: 'x' }, changedPaths: ['/spec/replicas'], diff: '-a\n+b\n', driftSince: '2026-11-23T10:00:00.000Z' },
        { group: '', kind: 'ConfigMap', namespace: 'shop', name: 'extra', sync: 'OutOfSync', extra: true },
      ],
    },
    { app: 'api', cluster: 'prod-eu', environment: 'prod', revision: 'a'.repeat(40), runs: 'a'.repeat(40), signature: { commit: 'a'.repeat(40), status: 'good', format: 'ssh', signer: 'alice@example.com', key: 'SHA256:abc' }, sync: 'Synced', health: { status: 'Healthy', message: '' }, observedAt: '2026-11-23T11:00:00.000Z', resourceCount: 1, drifted: [] },
    {
      app: 'api', cluster: 'prod-eu', environment: 'prod', revision: 'abc', sync: 'Synced', health: { status: 'Healthy', message: '' }, observedAt: '2026-11-23T11:00:00.000Z', resourceCount: 2, drifted: [],
      controller: { controller: 'Argo CD', kind: 'Application', cluster: 'prod-eu', namespace: 'argocd', name: 'api', sync: 'Synced', health: 'Healthy', operation: { phase: 'Succeeded', revision: 'abc' }, revision: 'abc', destination: { server: 'https://prod', namespace: 'api' } },
    },
    {
      app: 'podinfo', cluster: 'prod-eu', environment: 'prod', revision: 'abc', sync: 'Synced', health: { status: 'Healthy', message: '' }, observedAt: '2026-11-23T11:00:00.000Z', resourceCount: 2, drifted: [],
      controller: { controller: 'Flux', kind: 'Kustomization', cluster: 'prod-eu', namespace: 'flux-system', name: 'podinfo', ready: { status: 'True', reason: 'ReconciliationSucceeded', message: 'Applied', lastTransitionTime: '2026-11-23T10:00:00Z' }, suspended: false, revision: 'main@sha1:abc', lastAttemptedRevision: 'main@sha1:abc', inventory: 2 },
    },
    { app: 'web', cluster: 'edge', revision: 'abc', sync: 'Unknown', health: { status: 'Unknown', message: '' }, observedAt: '2026-11-23T11:00:00.000Z', error: 'unreachable', resourceCount: 0, drifted: [] },
  ],
});

describe('the drift report JSON schema', () => {
  it('accepts the JSON report, drifted or empty, with signatures or without', () => {
    expect(report.entries.map((e) => e.signature?.verdict ?? null)).toEqual([null, 'signed', null, null, null]);
    expect(validate(JSON.parse(renderDriftReport(report, 'json')), schema)).toEqual([]);
    expect(validate(buildDriftReport({ generatedAt: '2026-11-23T12:00:00.000Z', source: 'offline', entries: [] }), schema)).toEqual([]);
  });

  it('rejects a report missing a field, with an unknown field, or of another version', () => {
    const doc = JSON.parse(renderDriftReport(report, 'json')) as { schemaVersion: number; entries: Record<string, unknown>[] };
    delete doc.entries[0]!['driftSince'];
    doc.entries[1]!['color'] = 'red';
    doc.schemaVersion = 2;
    expect(validate(doc, schema)).toEqual(['/schemaVersion: expected 1', '/entries/0/driftSince: required', '/entries/1/color: not in the schema']);
  });
});
