/**
 * Parse caches of the kustomize build: resource files by path (reused while their text is unchanged) and inline patches
 * by text, both bounded by the text they hold; callers always get their own copies of the documents.
 */
import type { Problem } from '../problem';
import { deepCopy } from './resource';
import type { ParsedDoc } from './yaml';
import { readYaml } from './yaml';

// Parsed manifests by path, reused while the text is unchanged (builds of sibling overlays read the same base).
// Bounded by the text it holds, not by entries: `render --all` renders sibling overlays together (a base is reused by
// the next few builds), and a cache of thousands of parsed manifests only held memory (~20 MB per 1,000 apps). At a
// commit, a base folder's whole build is cached (base-cache.ts) and its files are not read again: on the synthetic fleet
// this cache had no hit (0 of 4,000 reads at 3,000 Applications) and held 10.7 MB at 30,000 with 2 MiB of text; a
// sibling group's files fit in 256 KiB (one file larger than that is still kept, alone).
const PARSE_CACHE = new Map<string, { text: string; docs: ParsedDoc[]; problems: Problem[] }>();
const PARSE_CACHE_BYTES = 256 * 1024;
let parseCacheBytes = 0;

/** readYaml for resource files, through a small cache; callers get their own copies of the documents. */
export function readManifest(text: string, path: string): { docs: ParsedDoc[]; problems: Problem[] } {
  let hit = PARSE_CACHE.get(path);
  if (!hit || hit.text !== text) {
    const parsed = readYaml(text, path, { duplicateKeys: 'error' });
    const old = PARSE_CACHE.get(path);
    if (old) {
      PARSE_CACHE.delete(path);
      parseCacheBytes -= old.text.length;
    }
    hit = { text, docs: parsed.docs, problems: parsed.problems };
    for (const [key, entry] of PARSE_CACHE) {
      if (parseCacheBytes + text.length <= PARSE_CACHE_BYTES) break;
      PARSE_CACHE.delete(key);
      parseCacheBytes -= entry.text.length;
    }
    PARSE_CACHE.set(path, hit);
    parseCacheBytes += text.length;
  }
  return { docs: hit.docs.map((d) => ({ value: deepCopy(d.value), line: d.line })), problems: hit.problems };
}

// Inline patches (`patch: |-` in a kustomization) parsed, by schema and text: a fleet's overlays repeat the same few.
const INLINE_PATCHES = new Map<string, ParsedDoc[]>();
const INLINE_PATCH_BYTES = 256 * 1024;
let inlinePatchBytes = 0;

/** Reads an inline patch's text (no positions), from the cache when the same text parsed cleanly before. */
export function readInlinePatch(text: string, file: string, schema: 'failsafe' | 'yaml11'): { docs: ParsedDoc[]; problems: Problem[] } {
  const key = `${schema}\0${text}`;
  let docs = INLINE_PATCHES.get(key);
  if (!docs) {
    const parsed = readYaml(text, file, schema === 'yaml11' ? { duplicateKeys: 'lastWins', schema: 'yaml11' } : { duplicateKeys: 'lastWins' });
    // Problems name the kustomization file: a failing text is read again each time.
    if (parsed.problems.length > 0) return parsed;
    docs = parsed.docs;
    for (const [k] of INLINE_PATCHES) {
      if (inlinePatchBytes + key.length <= INLINE_PATCH_BYTES) break;
      INLINE_PATCHES.delete(k);
      inlinePatchBytes -= k.length;
    }
    INLINE_PATCHES.set(key, docs);
    inlinePatchBytes += key.length;
  }
  return { docs: docs.map((d) => ({ value: deepCopy(d.value), line: d.line })), problems: [] };
}
