// Reaching into parsed JSON by a path of keys and indexes, for tests that change one field deep in a record.

type Path = readonly (string | number)[];

/** The value at `path` inside `root`. */
export function getIn(root: unknown, path: Path): unknown {
  let v = root;
  for (const k of path) v = (v as Record<string | number, unknown>)[k];
  return v;
}

/** Sets the value at `path` inside `root` (every step but the last must exist). */
export function setIn(root: unknown, path: Path, value: unknown): void {
  (getIn(root, path.slice(0, -1)) as Record<string | number, unknown>)[path[path.length - 1]!] = value;
}
