import { describe, expect, it } from 'vitest';
import type { HealthCheck } from '../../../shared/health';
import { HealthRegistry } from '../../../shared/health';

const rule = (group: string, kind: string, message: string): HealthCheck => ({ group, kind, assess: () => ({ status: 'Healthy', message }) });

describe('HealthRegistry (how a group/kind finds its rule)', () => {
  it('prefers an exact group/kind over a glob, and tries globs in sorted order', () => {
    const r = new HealthRegistry([rule('*.crossplane.io', '*', 'any crossplane'), rule('pkg.crossplane.io', 'Provider', 'provider'), rule('*.io', '*', 'any io')]);
    expect(r.find('pkg.crossplane.io', 'Provider')?.assess({})?.message).toBe('provider');
    expect(r.find('ec2.aws.crossplane.io', 'VPC')?.assess({})?.message).toBe('any crossplane');
    expect(r.find('example.io', 'Widget')?.assess({})?.message).toBe('any io');
    expect(r.find('example.com', 'Widget')).toBeUndefined();
  });

  it('forgets earlier answers when a rule is added', () => {
    const r = new HealthRegistry([rule('example.com', '*', 'glob')]);
    expect(r.find('example.com', 'Widget')?.assess({})?.message).toBe('glob');
    r.add(rule('example.com', 'Widget', 'exact'));
    expect(r.find('example.com', 'Widget')?.assess({})?.message).toBe('exact');
    expect(r.find('other.com', 'Widget')).toBeUndefined();
    r.add(rule('other.com', 'Widget', 'late'));
    expect(r.find('other.com', 'Widget')?.assess({})?.message).toBe('late');
    expect(r.size).toBe(3);
  });
});
