// A Missing resource's diff (desired but not live) is its whole predicted object as added YAML under its header: a
// function of the resource's key and that object's content, and nothing else. Each one `diffResource` makes is
// remembered by the object it was made of, so a reader holding the status (the store's fingerprint) can tell that its
// diff is exactly that function's text without making or reading the text again.

import type { ResourceKey } from '../model/status';

/**
 * The version of the text a Missing resource's diff is made of: its header, labels, YAML and hunk lines. Bump it with
 * any change to them (the golden test in test/shared/diff/missing-diff.test.ts fails until then): stores keep
 * fingerprints that stand for the text, and a new version makes them write the new text.
 */
export const MISSING_DIFF_FORMAT = 1;

/** The Missing diffs made in this process, by the (read-only) predicted object each was made of. */
const made = new WeakMap<object, { readonly key: ResourceKey; readonly diff: string }>();

/** Notes that `diff` is the Missing diff of `key` made of `predicted`, which is not changed afterwards. */
export function noteMissingDiff(key: ResourceKey, predicted: object, diff: string): void {
  made.set(predicted, { key, diff });
}

/**
 * Whether `diff` is the Missing diff this build made of the resource `key` with the object `predicted` (that very
 * object): then its text follows from the key and the object's content.
 */
export function isMissingDiffOf(key: ResourceKey, predicted: unknown, diff: unknown): boolean {
  if (typeof predicted !== 'object' || predicted === null) return false;
  const m = made.get(predicted);
  return m !== undefined && m.diff === diff && m.key.name === key.name && m.key.kind === key.kind && m.key.namespace === key.namespace && m.key.group === key.group;
}
