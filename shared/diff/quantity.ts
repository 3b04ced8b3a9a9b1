// Kubernetes resource quantities (`500m`, `0.5`, `1Gi`, `1e3`), so that equal amounts written differently are not drift.

const SUFFIX: Readonly<Record<string, number>> = {
  '': 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/;

/** The amount a quantity stands for (`500m` → 0.5, `1Gi` → 1073741824), or undefined when the value is not a quantity. */
export function parseQuantity(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const m = QUANTITY.exec(v.trim());
  if (!m) return undefined;
  const base = Number(m[1]);
  if (m[2]) return Number(m[1] + m[2]);
  const factor = SUFFIX[m[3] ?? ''];
  return factor === undefined ? undefined : base * factor;
}

/** Whether two values are the same quantity (`cpu: 500m` and `cpu: 0.5`, `memory: 1Gi` and `1073741824`). */
export function sameQuantity(a: unknown, b: unknown): boolean {
  const x = parseQuantity(a);
  const y = parseQuantity(b);
  if (x === undefined || y === undefined) return false;
  if (x === y) return true;
  return Math.abs(x - y) <= 1e-12 * Math.max(Math.abs(x), Math.abs(y));
}

/** Map keys whose values are resource quantities (container resources, quotas, PVC sizes, limit ranges). */
export const QUANTITY_PARENTS: ReadonlySet<string> = new Set([
  'requests', 'limits', 'hard', 'capacity', 'allocatable', 'default', 'defaultRequest', 'max', 'min', 'maxLimitRequestRatio', 'overhead',
]);

/** Keys that hold a quantity wherever they are. */
export const QUANTITY_KEYS: ReadonlySet<string> = new Set(['sizeLimit', 'storage']);
