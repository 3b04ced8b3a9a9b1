import { describe, expect, it } from 'vitest';
import { isMissingDiffOf, MISSING_DIFF_FORMAT } from '../../../shared/diff/missing-diff';
import { diffResource } from '../../../shared/diff/resource-diff';
import type { KubeObject } from '../../../shared/model/status';

// The text of a Missing resource's diff in each MISSING_DIFF_FORMAT. Stores hold fingerprints that stand for this text
// (electron/store/fingerprint.ts): a change to it needs a new format number and its text here, never an edit of one.
const GOLDEN: Record<number, string> = {
  1: [
    '===== apps/Deployment shop/web ======',
    '--- web-live.yaml',
    '+++ web',
    '@@ -0,0 +1,16 @@',
    '+apiVersion: apps/v1',
    '+kind: Deployment',
    '+metadata:',
    '+  labels:',
    '+    app: web',
    '+  name: web',
    '+  namespace: shop',
    '+spec:',
    '+  replicas: 2',
    '+  template:',
    '+    spec:',
    '+      containers:',
    '+      - args:',
    '+        - |-',
    '+          multi',
    '+          line',
    '',
  ].join('\n'),
};

const deployment = (): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
  spec: { replicas: 2, template: { spec: { containers: [{ args: ['multi\nline'] }] } } },
});

describe('a Missing resource\'s diff', () => {
  it('is the text of its format (a new text needs a new MISSING_DIFF_FORMAT)', () => {
    const d = diffResource(deployment(), undefined, { namespace: 'shop' });
    expect(d.missing).toBe(true);
    expect(d.diff).toBe(GOLDEN[MISSING_DIFF_FORMAT]);
  });

  it('is known as made of its key and its predicted object, that very object, with that very text', () => {
    const d = diffResource(deployment(), undefined, { namespace: 'shop' });
    const key = d.key;
    expect(d.changes).toEqual([{ path: '', desired: d.predicted }]);
    expect(isMissingDiffOf(key, d.changes[0]!.desired, d.diff)).toBe(true);
    // Another text, another key, or an equal copy of the object is not known.
    expect(isMissingDiffOf(key, d.changes[0]!.desired, `${d.diff}x`)).toBe(false);
    expect(isMissingDiffOf({ ...key, name: 'other' }, d.changes[0]!.desired, d.diff)).toBe(false);
    expect(isMissingDiffOf({ ...key, namespace: 'other' }, d.changes[0]!.desired, d.diff)).toBe(false);
    expect(isMissingDiffOf(key, structuredClone(d.changes[0]!.desired), d.diff)).toBe(false);
    // A resource that is live has no Missing diff to know.
    const live = { ...deployment(), metadata: { name: 'web', namespace: 'shop', uid: 'u', resourceVersion: '1' }, spec: { replicas: 1 } };
    const drifted = diffResource(deployment(), live, { namespace: 'shop' });
    expect(drifted.sync).toBe('OutOfSync');
    expect(drifted.changes.some((c) => isMissingDiffOf(drifted.key, c.desired, drifted.diff))).toBe(false);
    expect(isMissingDiffOf(drifted.key, drifted.predicted, drifted.diff)).toBe(false);
  });
});
