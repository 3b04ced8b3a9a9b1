import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

// Remote Helm value files (`helm.valueFiles: [https://…]`), which Argo CD hands to helm to fetch. Flotilla fetches
// them itself, bounded: one GET per URL (redirects followed) with a deadline and a size cap, in a child process so the
// synchronous render path can wait for it. What was fetched is kept in memory for a few minutes and on disk
// (`<data folder>/helm/values/`), so an offline render uses the last copy; a URL never fetched is a clear Problem.

/** How remote value files are fetched. */
export interface RemoteValueFileOptions {
  /** Where fetched files are kept (`<dir>/<sha256 of the URL>.yaml`); none: memory only. */
  readonly cacheDir?: string;
  /** Deadline of one fetch (default 10 s). */
  readonly timeoutMs?: number;
  /** Largest value file accepted (default 1 MiB). */
  readonly maxBytes?: number;
  /** How long a fetched file is reused in this process before it is fetched again (default 5 min). */
  readonly ttlMs?: number;
}

/** Fetches a URL's text: `{ text }`, or `{ error }` saying why not (and whether an older copy was used). */
export type RemoteValueFileReader = (url: string) => { readonly text: string } | { readonly error: string };

// The child: GET with a deadline, refusing a body past the cap (by Content-Length, then while reading).
const FETCH_SCRIPT = `
const [url, max, timeout] = process.argv.slice(1);
const fail = (m) => { process.stderr.write(m); process.exit(3); };
(async () => {
  let res;
  try { res = await fetch(url, { signal: AbortSignal.timeout(Number(timeout)), redirect: 'follow' }); }
  catch (e) { fail(e && e.name === 'TimeoutError' ? 'no answer within ' + timeout + ' ms' : String((e && e.cause && e.cause.message) || (e && e.message) || e)); }
  if (!res.ok) fail('HTTP ' + res.status + (res.statusText ? ' ' + res.statusText : ''));
  const len = Number(res.headers.get('content-length') || '0');
  if (len > Number(max)) fail('it is ' + len + ' bytes, more than the ' + max + ' bytes allowed');
  const chunks = []; let size = 0;
  try {
    for await (const c of res.body) { size += c.length; if (size > Number(max)) fail('it is more than the ' + max + ' bytes allowed'); chunks.push(c); }
  } catch (e) { fail(e && e.name === 'TimeoutError' ? 'no answer within ' + timeout + ' ms' : String((e && e.message) || e)); }
  process.stdout.write(Buffer.concat(chunks));
})();
`;

/** A reader of remote value files with the given bounds and cache. */
export function createRemoteValueFileReader(options: RemoteValueFileOptions = {}): RemoteValueFileReader {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const ttlMs = options.ttlMs ?? 300_000;
  const memory = new Map<string, { readonly text: string; readonly at: number }>();
  const diskFile = (url: string): string | undefined => (options.cacheDir ? path.join(options.cacheDir, `${createHash('sha256').update(url).digest('hex')}.yaml`) : undefined);
  return (url) => {
    if (!/^https?:\/\//i.test(url)) return { error: 'only http and https URLs are fetched' };
    const cached = memory.get(url);
    if (cached && Date.now() - cached.at < ttlMs) return { text: cached.text };
    const r = spawnSync(process.execPath, ['-e', FETCH_SCRIPT, url, String(maxBytes), String(timeoutMs)], {
      // The deadline is the child's; this one only stops a child that hangs past it.
      timeout: timeoutMs + 5_000,
      maxBuffer: maxBytes + 1024,
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      encoding: 'buffer',
    });
    const file = diskFile(url);
    if (r.status === 0) {
      const text = r.stdout.toString('utf8');
      memory.set(url, { text, at: Date.now() });
      if (file) {
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(`${file}.tmp`, text);
        renameSync(`${file}.tmp`, file);
      }
      return { text };
    }
    const why = r.error ? r.error.message : r.stderr.toString('utf8').trim() || `the fetch exited with ${r.status ?? r.signal}`;
    // Offline (or the server failing): the last copy fetched, in this process or an earlier one.
    if (cached) return { text: cached.text };
    if (file) {
      try {
        const text = readFileSync(file, 'utf8');
        memory.set(url, { text, at: Date.now() });
        return { text };
      } catch {
        // never fetched: said below
      }
    }
    return { error: `could not be fetched (${why}) and no earlier copy is cached${file ? ` in ${path.dirname(file)}` : ''}` };
  };
}
