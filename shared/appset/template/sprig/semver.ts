// Masterminds/semver v3 as Sprig exposes it: `semver` (a *Version with fields) and `semverCompare` (constraints).
import type { GoObject } from '../go/values';

const VERSION_RE = /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$/;

/** A parsed semantic version (Masterminds' *semver.Version): fields Major, Minor, Patch, Prerelease, Metadata, Original. */
export class SemVersion implements GoObject {
  readonly goType = '*semver.Version';

  constructor(
    readonly major: bigint,
    readonly minor: bigint,
    readonly patch: bigint,
    readonly pre: string,
    readonly metadata: string,
    readonly original: string,
  ) {}

  /** Template field and method access, e.g. `(semver "1.2.3").Major`. */
  goField(name: string): { readonly value: unknown } | undefined {
    switch (name) {
      case 'Major':
        return { value: this.major };
      case 'Minor':
        return { value: this.minor };
      case 'Patch':
        return { value: this.patch };
      case 'Prerelease':
        return { value: this.pre };
      case 'Metadata':
        return { value: this.metadata };
      case 'Original':
        return { value: this.original };
      case 'String':
        return { value: this.toString() };
    }
    return undefined;
  }

  toString(): string {
    let s = `${this.major}.${this.minor}.${this.patch}`;
    if (this.pre) s += '-' + this.pre;
    if (this.metadata) s += '+' + this.metadata;
    return s;
  }
}

/** semver.NewVersion: loose parsing (leading v, missing minor/patch). */
export function parseVersion(v: string): SemVersion {
  const m = VERSION_RE.exec(v);
  if (!m) throw new Error('Invalid Semantic Version');
  const pre = m[5] ?? '';
  for (const part of pre ? pre.split('.') : []) {
    if (/^[0-9]+$/.test(part) && part.length > 1 && part.startsWith('0')) throw new Error('Version segment starts with 0');
  }
  return new SemVersion(BigInt(m[1]!), BigInt(m[2]?.slice(1) ?? '0'), BigInt(m[3]?.slice(1) ?? '0'), pre, m[8] ?? '', v);
}

function comparePre(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '') return 1;
  if (b === '') return -1;
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const xn = /^[0-9]+$/.test(x);
    const yn = /^[0-9]+$/.test(y);
    if (xn && yn) {
      const d = BigInt(x) - BigInt(y);
      if (d !== 0n) return d < 0n ? -1 : 1;
    } else if (xn) return -1;
    else if (yn) return 1;
    else if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Version precedence: -1, 0 or 1. */
export function compareVersions(a: SemVersion, b: SemVersion): number {
  for (const [x, y] of [[a.major, b.major], [a.minor, b.minor], [a.patch, b.patch]] as const) {
    if (x !== y) return x < y ? -1 : 1;
  }
  return comparePre(a.pre, b.pre);
}

type Check = (v: SemVersion) => boolean;

function parseOne(c: string): Check {
  const m = /^(=|!=|>=|=>|<=|=<|>|<|~>|~|\^)?\s*v?([0-9xX*]+)(\.[0-9xX*]+)?(\.[0-9xX*]+)?(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/.exec(c);
  if (!m) throw new Error(`improper constraint: ${c}`);
  const op = m[1] ?? '';
  const wild = (s: string | undefined): boolean => s === undefined || /^\.?[xX*]$/.test(s);
  const majorWild = wild(m[2]);
  const minorWild = majorWild || wild(m[3]);
  const patchWild = minorWild || wild(m[4]);
  const num = (s: string | undefined, isWild: boolean): bigint => (isWild || s === undefined ? 0n : BigInt(s.replace('.', '')));
  const pre = m[5]?.slice(1) ?? '';
  const base = new SemVersion(num(m[2], majorWild), num(m[3], minorWild), num(m[4], patchWild), pre, '', c);
  const cmp = (v: SemVersion): number => compareVersions(v, base);
  // Masterminds: a prerelease version only satisfies constraints that themselves carry a prerelease.
  const preOk = (v: SemVersion): boolean => v.pre === '' || pre !== '';
  const bump = (v: SemVersion): SemVersion =>
    majorWild ? v : minorWild ? new SemVersion(base.major + 1n, 0n, 0n, '', '', '') : new SemVersion(base.major, base.minor + 1n, 0n, '', '', '');
  switch (op) {
    case '':
    case '=':
      if (majorWild) return (v) => preOk(v);
      if (minorWild || patchWild) return (v) => preOk(v) && cmp(v) >= 0 && compareVersions(v, bump(base)) < 0;
      return (v) => cmp(v) === 0;
    case '!=':
      if (minorWild || patchWild) return (v) => preOk(v) && !(cmp(v) >= 0 && compareVersions(v, bump(base)) < 0);
      return (v) => preOk(v) && cmp(v) !== 0;
    case '>':
      if (minorWild || patchWild) return (v) => preOk(v) && compareVersions(v, bump(base)) >= 0;
      return (v) => preOk(v) && cmp(v) > 0;
    case '>=':
    case '=>':
      return (v) => preOk(v) && cmp(v) >= 0;
    case '<':
      return (v) => preOk(v) && cmp(v) < 0;
    case '<=':
    case '=<':
      if (minorWild || patchWild) return (v) => preOk(v) && compareVersions(v, bump(base)) < 0;
      return (v) => preOk(v) && cmp(v) <= 0;
    case '~':
    case '~>': {
      const upper = minorWild ? new SemVersion(base.major + 1n, 0n, 0n, '', '', '') : new SemVersion(base.major, base.minor + 1n, 0n, '', '', '');
      return (v) => preOk(v) && cmp(v) >= 0 && compareVersions(v, upper) < 0;
    }
    case '^': {
      let upper: SemVersion;
      if (base.major > 0n || minorWild) upper = new SemVersion(base.major + 1n, 0n, 0n, '', '', '');
      else if (base.minor > 0n || patchWild) upper = new SemVersion(0n, base.minor + 1n, 0n, '', '', '');
      else upper = new SemVersion(0n, 0n, base.patch + 1n, '', '', '');
      return (v) => preOk(v) && cmp(v) >= 0 && compareVersions(v, upper) < 0;
    }
  }
  throw new Error(`improper constraint: ${c}`);
}

/** semverCompare: whether `version` satisfies `constraint` (||, commas or spaces for AND, hyphen ranges, ~, ^, wildcards). */
export function semverCompare(constraint: string, version: string): boolean {
  const v = parseVersion(version);
  const alternatives = constraint.split('||').map((alt) => {
    const normalized = alt.trim().replace(/\s+-\s+/g, ' - ');
    const hy = /^(\S+) - (\S+)$/.exec(normalized);
    if (hy) return [parseOne('>=' + hy[1]), parseOne('<=' + hy[2])];
    const parts = normalized
      .replace(/(=|!=|>=|=>|<=|=<|>|<|~>|~|\^)\s+/g, '$1')
      .split(/[\s,]+/)
      .filter((p) => p !== '');
    if (parts.length === 0) throw new Error(`improper constraint: ${alt}`);
    return parts.map(parseOne);
  });
  return alternatives.some((checks) => checks.every((c) => c(v)));
}
