import { describe, expect, it } from 'vitest';
import { unchangedByWrite } from '../../../../electron/services/cluster/write-outcome';
import type { KubeObject } from '../../../../shared/model/status';

/** A Secret as an API server returns it after `flotilla` applied `stringData` (write-only: read back as `data`). */
const secret = (password: string, rv: string, extra: { labels?: Record<string, string>; labelOwner?: string } = {}): KubeObject => ({
  apiVersion: 'v1', kind: 'Secret',
  metadata: {
    name: 'db', namespace: 'shop', resourceVersion: rv, ...(extra.labels ? { labels: extra.labels } : {}),
    managedFields: [
      { manager: 'flotilla', operation: 'Apply', fieldsType: 'FieldsV1', fieldsV1: { 'f:stringData': { 'f:password': {} }, 'f:type': {} } },
      ...(extra.labelOwner ? [{ manager: extra.labelOwner, operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': { 'f:team': {} } } } }] : []),
    ],
  },
  type: 'Opaque',
  data: { password: Buffer.from(password).toString('base64') },
});

describe('unchangedByWrite: whether an apply changed what was read before it', () => {
  it('counts a change nobody owns (a Secret\'s data from the stringData applied) as the write\'s', () => {
    expect(unchangedByWrite(secret('second', '2'), secret('first', '1'), 'flotilla', { dryRun: false })).toBe(false);
    expect(unchangedByWrite(secret('second', '1'), secret('first', '1'), 'flotilla', { dryRun: true })).toBe(false);
    expect(unchangedByWrite(secret('first', '1'), secret('first', '1'), 'flotilla', { dryRun: true })).toBe(true);
  });

  it('leaves another manager\'s field, added or removed between the read and the write, to that manager', () => {
    const labelled = secret('first', '2', { labels: { team: 'web' }, labelOwner: 'kubectl-label' });
    expect(unchangedByWrite(labelled, secret('first', '1'), 'flotilla', { dryRun: false })).toBe(true);
    expect(unchangedByWrite(secret('first', '3'), labelled, 'flotilla', { dryRun: false })).toBe(true);
    // The same label with no owner is not explained by anyone else: the write's.
    expect(unchangedByWrite(secret('first', '2', { labels: { team: 'web' } }), secret('first', '1'), 'flotilla', { dryRun: false })).toBe(false);
    // Another manager's label beside a password the write changed: still the write's change.
    expect(unchangedByWrite(secret('second', '2', { labels: { team: 'web' }, labelOwner: 'kubectl-label' }), secret('first', '1'), 'flotilla', { dryRun: false })).toBe(false);
  });

  it('nothing read before is no unchanged write; the same resourceVersion after a real write is', () => {
    expect(unchangedByWrite(secret('first', '1'), undefined, 'flotilla', { dryRun: false })).toBe(false);
    expect(unchangedByWrite(secret('whatever', '7'), secret('first', '7'), 'flotilla', { dryRun: false })).toBe(true);
  });
});
