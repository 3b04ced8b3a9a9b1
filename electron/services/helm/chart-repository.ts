import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { helmEnv, helmError } from './helm-binary';

/** A chart in a Helm repository (`https://…`) or an OCI registry (`oci://…`, or a URL without a scheme, as Argo CD reads it). */
export interface RemoteChart {
  readonly repoURL: string;
  readonly chart: string;
  /** An exact version, a constraint (`1.2.*`, `>=1.0 <2`), or none for the newest. */
  readonly version?: string;
}

/** A pulled chart archive in the cache. */
export interface PulledChart {
  readonly archive: string;
  readonly version: string;
  /** Whether helm ran (false: served from the cache). */
  readonly pulled: boolean;
}

const EXACT = /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/**
 * Charts pulled with `helm pull` into a cache folder keyed by repository, chart and version. An exact version in the
 * cache is never pulled again (offline works); a constraint is resolved by helm once per process and, when helm
 * cannot reach the repository, falls back to the version it last resolved to.
 */
export class ChartRepositoryCache {
  private readonly resolvedThisRun = new Map<string, string>();
  /** How many times `helm pull` ran (tests and the benchmark count them). */
  pulls = 0;

  constructor(
    private readonly dir: string,
    private readonly helm: string,
    private readonly helmHome: string,
    private readonly timeoutMs = 120_000,
  ) {}

  /** The chart's archive, from the cache or pulled now; throws an Error with helm's words and the cache folder when neither works. */
  pull(chart: RemoteChart): PulledChart {
    const folder = path.join(this.dir, createHash('sha256').update(chart.repoURL).digest('hex').slice(0, 16), safeName(chart.chart));
    const constraint = chart.version ?? '';
    const exact = EXACT.test(constraint) ? constraint.replace(/^v/, '') : undefined;
    const memoKey = `${chart.repoURL}\u0000${chart.chart}\u0000${constraint}`;
    const known = exact ?? this.resolvedThisRun.get(memoKey);
    if (known !== undefined) {
      const archive = path.join(folder, `${safeName(chart.chart)}-${known}.tgz`);
      if (existsSync(archive)) return { archive, version: known, pulled: false };
    }
    mkdirSync(folder, { recursive: true });
    const tmp = mkdtempSync(path.join(folder, '.pull-'));
    try {
      const oci = chart.repoURL.startsWith('oci://') || !/^[a-z][a-z0-9+.-]*:\/\//i.test(chart.repoURL);
      const ref = oci ? `oci://${chart.repoURL.replace(/^oci:\/\//, '').replace(/\/+$/, '')}/${chart.chart}` : chart.chart;
      const args = ['pull', ref, '--destination', tmp];
      if (!oci) args.push('--repo', chart.repoURL);
      // A registry on this machine speaks plain HTTP, as Docker assumes for loopback registries.
      else if (isLoopbackRegistry(ref)) args.push('--plain-http');
      if (constraint !== '') args.push('--version', constraint);
      this.pulls++;
      execFileSync(this.helm, args, { cwd: tmp, timeout: this.timeoutMs, stdio: ['ignore', 'pipe', 'pipe'], env: helmEnv(this.helmHome) });
      const file = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
      if (!file) throw new Error('helm pull wrote no chart archive');
      const version = file.slice(safeName(chart.chart).length + 1, -'.tgz'.length);
      const archive = path.join(folder, `${safeName(chart.chart)}-${version}.tgz`);
      renameSync(path.join(tmp, file), archive);
      this.resolvedThisRun.set(memoKey, version);
      if (exact === undefined) writeFileSync(path.join(folder, `resolved-${hashText(constraint)}`), version);
      return { archive, version, pulled: true };
    } catch (err) {
      const why = err instanceof Error && !('stderr' in err) ? err.message : helmError(err);
      if (exact === undefined) {
        // Offline (or the repository is down): the version this constraint resolved to last time, when it is cached.
        try {
          const version = readFileSync(path.join(folder, `resolved-${hashText(constraint)}`), 'utf8').trim();
          const archive = path.join(folder, `${safeName(chart.chart)}-${version}.tgz`);
          if (existsSync(archive)) {
            this.resolvedThisRun.set(memoKey, version);
            return { archive, version, pulled: false };
          }
        } catch {
          // nothing cached
        }
      }
      throw new Error(`could not pull chart ${chart.chart}${constraint ? ` ${constraint}` : ''} from ${chart.repoURL}, and it is not in the chart cache (${this.dir}): ${why}`, { cause: err });
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
}

/** Whether an `oci://host[:port]/…` reference names a registry on this machine (127.0.0.0/8, ::1, localhost). */
export function isLoopbackRegistry(ref: string): boolean {
  const host = /^oci:\/\/(\[[^\]]+\]|[^/:]+)/.exec(ref)?.[1]?.toLowerCase() ?? '';
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]/g, '_');
}

function hashText(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 16);
}
