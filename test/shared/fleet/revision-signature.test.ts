import { describe, expect, it } from 'vitest';
import type { ControllerStatus } from '../../../shared/controllers/types';
import { buildGrid } from '../../../shared/fleet/grid';
import type { GridCell } from '../../../shared/fleet/grid';
import { gridRevisions, runningRevision, withSignatures } from '../../../shared/fleet/revision-signature';
import { signatureVerdict, signatureWords } from '../../../shared/repo/signature';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const argo = (revision: string): ControllerStatus => ({ controller: 'Argo CD', kind: 'Application', cluster: 'dev', namespace: 'argocd', name: 'x', revision });
const flux = (kind: 'Kustomization' | 'HelmRelease', revision: string): ControllerStatus => ({ controller: 'Flux', kind, cluster: 'dev', namespace: 'flux-system', name: 'x', revision });

describe('runningRevision', () => {
  it("takes the controller's applied commit (Argo CD's sha, Flux's main@sha1:…) over the recorded one", () => {
    expect(runningRevision({ revision: A, controller: argo(B) })).toBe(B);
    expect(runningRevision({ revision: A, controller: flux('Kustomization', `main@sha1:${B}`) })).toBe(B);
    expect(runningRevision({ revision: A, controller: flux('Kustomization', `sha1:${B}`) })).toBe(B);
  });

  it('falls back to the recorded commit when the controller names none, and claims nothing without a commit', () => {
    expect(runningRevision({ revision: A, controller: flux('HelmRelease', 'podinfo@6.5.0') })).toBe(A);
    expect(runningRevision({ revision: A })).toBe(A);
    expect(runningRevision({ revision: '' })).toBeUndefined();
    expect(runningRevision({ revision: 'main' })).toBeUndefined();
  });
});

describe('signatures on the grid', () => {
  const cell = (app: string, cluster: string, revision: string): GridCell => ({ app, cluster, sync: 'Synced', health: 'Healthy', healthMessage: '', version: '', revision, outOfSync: 0, observedAt: '' });
  const grid = buildGrid([cell('a-dev', 'dev', A), cell('b-dev', 'dev', A), cell('a-prod', 'prod', B), cell('c-prod', 'prod', '')], [{ name: 'dev', environment: 'dev' }, { name: 'prod', environment: 'prod' }]);

  it('asks for each distinct commit once, and sets each cell the verdict of the commit it runs', () => {
    expect(gridRevisions(grid).sort()).toEqual([A, B]);
    const signed = withSignatures(grid, new Map([[A, { commit: A, status: 'good' as const, signer: 'alice' }]]));
    const sig = (row: string, cluster: string) => signed.rows.find((r) => r.key === row)!.cells[cluster]!.signature;
    expect(sig('a', 'dev')).toEqual({ commit: A, status: 'good', signer: 'alice' });
    expect(sig('b', 'dev')).toEqual({ commit: A, status: 'good', signer: 'alice' });
    expect(sig('a', 'prod')).toBeUndefined();
    expect(sig('c', 'prod')).toBeUndefined();
  });

  it('says each verdict in a word and in words', () => {
    expect([signatureVerdict({ commit: A, status: 'good' }), signatureVerdict({ commit: A, status: 'unknown-key' }), signatureVerdict({ commit: A, status: 'unsigned' }), signatureVerdict({ commit: A, status: 'bad' }), signatureVerdict({ commit: A, status: 'missing' })]).toEqual(['signed', 'untrusted', 'unsigned', 'bad', 'unknown']);
    expect(signatureWords({ commit: A, status: 'good', signer: 'alice@example.com', key: 'SHA256:x' })).toBe('signed by alice@example.com');
    expect(signatureWords({ commit: A, status: 'unknown-key', key: 'SHA256:x' })).toBe('signed by an untrusted key SHA256:x');
    expect(signatureWords({ commit: A, status: 'bad', signer: 'bob' })).toBe('bad signature claiming bob');
    expect(signatureWords({ commit: A, status: 'missing' })).toBe('signature unknown: commit not in the repository');
  });
});
