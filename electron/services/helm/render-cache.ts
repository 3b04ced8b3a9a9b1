import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Bounds of the render cache. */
export interface RenderCacheLimits {
  /** Characters kept in memory (default 64 M). */
  readonly memoryChars?: number;
  /** Bytes kept on disk (default 256 MB); the least recently used entries go first. */
  readonly diskBytes?: number;
  /** Entries kept on disk (default 5,000). */
  readonly diskEntries?: number;
}

/**
 * Rendered Helm output by content key: in memory for this process (LRU, bounded by size) and on disk under the data
 * folder (bounded by bytes and entries, least recently used evicted), so a refresh of an unchanged fleet, in this
 * process or the next, runs helm zero times.
 */
export class RenderCache {
  private readonly memory = new Map<string, string>();
  private memoryChars = 0;
  private disk: Map<string, { size: number; used: number }> | undefined;
  private diskBytes = 0;
  private readonly limits: Required<RenderCacheLimits>;

  constructor(
    private readonly dir: string | undefined,
    limits: RenderCacheLimits = {},
  ) {
    this.limits = { memoryChars: limits.memoryChars ?? 64 * 1024 * 1024, diskBytes: limits.diskBytes ?? 256 * 1024 * 1024, diskEntries: limits.diskEntries ?? 5000 };
  }

  /** The output cached for `key`, from memory or disk. */
  get(key: string): string | undefined {
    const m = this.memory.get(key);
    if (m !== undefined) {
      this.memory.delete(key);
      this.memory.set(key, m);
      return m;
    }
    if (!this.dir) return undefined;
    const index = this.index();
    const entry = index.get(key);
    if (!entry) return undefined;
    try {
      const text = readFileSync(this.file(key), 'utf8');
      entry.used = Date.now();
      index.delete(key);
      index.set(key, entry);
      try {
        utimesSync(this.file(key), new Date(), new Date());
      } catch {
        // the order in memory still holds for this process
      }
      this.remember(key, text);
      return text;
    } catch {
      index.delete(key);
      return undefined;
    }
  }

  /** Stores the output for `key` in memory and on disk (a disk failure only costs a later re-render). */
  set(key: string, text: string): void {
    this.remember(key, text);
    if (!this.dir) return;
    const index = this.index();
    try {
      mkdirSync(this.dir, { recursive: true });
      const tmp = `${this.file(key)}.${process.pid}.tmp`;
      writeFileSync(tmp, text);
      renameSync(tmp, this.file(key));
      const size = Buffer.byteLength(text);
      const old = index.get(key);
      if (old) this.diskBytes -= old.size;
      index.delete(key);
      index.set(key, { size, used: Date.now() });
      this.diskBytes += size;
      this.evictDisk(index);
    } catch {
      // not cached on disk
    }
  }

  /** Entries on disk now (for tests and the README's figures). */
  diskEntryCount(): number {
    return this.dir ? this.index().size : 0;
  }

  /** Forgets the in-memory entries (as a new process would start). */
  clearMemory(): void {
    this.memory.clear();
    this.memoryChars = 0;
  }

  private remember(key: string, text: string): void {
    if (text.length > this.limits.memoryChars) return;
    const old = this.memory.get(key);
    if (old !== undefined) {
      this.memoryChars -= old.length;
      this.memory.delete(key);
    }
    this.memory.set(key, text);
    this.memoryChars += text.length;
    for (const [k, v] of this.memory) {
      if (this.memoryChars <= this.limits.memoryChars) break;
      this.memory.delete(k);
      this.memoryChars -= v.length;
    }
  }

  private file(key: string): string {
    return path.join(this.dir!, `${key}.yaml`);
  }

  // The disk index, read once per process; entries in least-recently-used order.
  private index(): Map<string, { size: number; used: number }> {
    if (this.disk) return this.disk;
    const entries: [string, { size: number; used: number }][] = [];
    try {
      for (const name of readdirSync(this.dir!)) {
        if (!name.endsWith('.yaml')) continue;
        try {
          const st = statSync(path.join(this.dir!, name));
          entries.push([name.slice(0, -'.yaml'.length), { size: st.size, used: st.mtimeMs }]);
        } catch {
          // gone meanwhile
        }
      }
    } catch {
      // no cache folder yet
    }
    entries.sort((a, b) => a[1].used - b[1].used);
    this.disk = new Map(entries);
    this.diskBytes = entries.reduce((n, [, e]) => n + e.size, 0);
    this.evictDisk(this.disk);
    return this.disk;
  }

  private evictDisk(index: Map<string, { size: number; used: number }>): void {
    for (const [k, e] of index) {
      if (this.diskBytes <= this.limits.diskBytes && index.size <= this.limits.diskEntries) break;
      index.delete(k);
      this.diskBytes -= e.size;
      rmSync(this.file(k), { force: true });
    }
  }
}
