import { describe, expect, it } from 'vitest';
import { diffResource } from '../../../shared/diff/resource-diff';
import { compareApp } from '../../../shared/diff/compare-app';
import { hideSecretData, maskSecret } from '../../../shared/diff/secret';
import { desiredSecret, liveSecret } from './fixtures';

const OLD = 'hunter2-old-password';
const NEW = 's3cr3t-new-password';
const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
const secretStrings = [OLD, NEW, b64(OLD), b64(NEW), 'guestbook', b64('guestbook')];

function expectNoSecretIn(text: string): void {
  for (const s of secretStrings.filter((x) => x !== 'guestbook')) expect(text).not.toContain(s);
  expect(text).not.toContain(b64('guestbook'));
}

describe('Secret masking', () => {
  it('finds a Secret written with stringData in sync with its live base64 data', () => {
    expect(diffResource(desiredSecret(OLD), liveSecret(OLD), { app: 'guestbook' }).sync).toBe('Synced');
  });

  it('says which key changed, with masks of different lengths and no value anywhere in the output', () => {
    const d = diffResource(desiredSecret(NEW), liveSecret(OLD), { app: 'guestbook' });
    expect(d.sync).toBe('OutOfSync');
    // Argo CD's rule: per key, desired's value gets 8 "+", a different live value 4 more; equal values share a mask.
    expect(d.changes).toEqual([{ path: '/data/password', live: '++++++++++++', desired: '++++++++' }]);
    expect(d.diff).toContain('\n-  password: ++++++++++++\n+  password: ++++++++\n');
    expect(d.diff).toContain('\n   username: ++++++++\n');
    expectNoSecretIn(d.diff);
    expectNoSecretIn(JSON.stringify(d));
  });

  it('keeps values out of a whole app status, for missing and extra Secrets too', () => {
    const status = compareApp({
      app: 'guestbook',
      cluster: 'prod-eu',
      revision: 'abc123',
      desired: [desiredSecret(NEW), { ...desiredSecret(NEW), metadata: { name: 'api-token', namespace: 'guestbook' } }],
      live: [liveSecret(OLD), undefined],
      extra: [{ ...liveSecret(OLD), metadata: { name: 'stale', namespace: 'guestbook', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ stringData: { password: OLD } }) } } }],
      observedAt: '2026-11-23T14:00:00Z',
    });
    expect(status.sync).toBe('OutOfSync');
    expect(status.resources.map((r) => [r.name, r.sync, r.missing ?? false, r.extra ?? false])).toEqual([
      ['db-credentials', 'OutOfSync', false, false],
      ['api-token', 'OutOfSync', true, false],
      ['stale', 'OutOfSync', false, true],
    ]);
    expectNoSecretIn(JSON.stringify(status));
  });

  it('maskSecret hides data, stringData and the last-applied annotation, and leaves other kinds alone', () => {
    const masked = maskSecret(liveSecret(OLD));
    expect(masked.data).toEqual({ username: '++++++++', password: '++++++++' });
    expectNoSecretIn(JSON.stringify(masked));
    const lastApplied = JSON.parse((masked.metadata!['annotations'] as Record<string, string>)['kubectl.kubernetes.io/last-applied-configuration']!);
    expect(lastApplied.stringData).toEqual({ username: '++++++++', password: '++++++++' });
    expect(maskSecret(desiredSecret(NEW)).stringData).toEqual({ username: '++++++++', password: '++++++++' });
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'visible' } };
    expect(maskSecret(cm)).toBe(cm);
    const original = liveSecret(OLD);
    maskSecret(original);
    expect(original.data).toEqual({ username: b64('guestbook'), password: b64(OLD) });
  });

  it('hideSecretData gives equal values equal masks and each new value four more "+"', () => {
    const a = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { k1: 'QQ==', k2: 'Qg==', k3: 'Qw==' } };
    const b = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { k1: 'QQ==', k2: 'Wg==', k4: 'RA==' } };
    const [ma, mb] = hideSecretData(a, b);
    expect(ma.data).toEqual({ k1: '++++++++', k2: '++++++++', k3: '++++++++' });
    expect(mb.data).toEqual({ k1: '++++++++', k2: '++++++++++++', k4: '++++++++' });
    expect(a.data.k1).toBe('QQ==');
  });
});
