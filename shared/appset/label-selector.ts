/** Kubernetes label selectors (matchLabels / matchExpressions), as the clusters generator and post-selectors use them. */
import { isPlainObject } from './go-values';

/** A compiled selector: whether a label set matches. */
export type LabelMatcher = (labels: Readonly<Record<string, string>>) => boolean;

/** A selector that does not parse: names what is wrong. */
export class SelectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SelectorError';
  }
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function checkValue(key: string, value: string, strictValues: boolean): void {
  if (!strictValues) return;
  if (value.length > 63 || !LABEL_VALUE.test(value)) {
    throw new SelectorError(`values[0][${key}]: Invalid value: "${value}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`);
  }
}

/** Whether a selector sets neither matchLabels nor matchExpressions. */
export function isEmptySelector(sel: unknown): boolean {
  if (!isPlainObject(sel)) return true;
  const ml = sel['matchLabels'];
  const me = sel['matchExpressions'];
  return !(isPlainObject(ml) && Object.keys(ml).length > 0) && !(Array.isArray(me) && me.length > 0);
}

/**
 * Compiles a LabelSelector like metav1.LabelSelectorAsSelector: undefined/null matches nothing, `{}` everything.
 * `strictValues: false` is Argo CD's post-selector variant, which accepts any label value (URLs, paths).
 */
export function compileLabelSelector(sel: unknown, strictValues = true): LabelMatcher {
  if (sel === undefined || sel === null) return () => false;
  if (!isPlainObject(sel)) throw new SelectorError('selector must be a map with matchLabels and/or matchExpressions');
  const reqs: LabelMatcher[] = [];
  const ml = sel['matchLabels'];
  if (ml !== undefined && ml !== null) {
    if (!isPlainObject(ml)) throw new SelectorError('matchLabels must be a map of strings');
    for (const [k, v] of Object.entries(ml)) {
      const value = typeof v === 'string' ? v : v === null ? '' : String(v);
      checkValue(k, value, strictValues);
      reqs.push((labels) => Object.prototype.hasOwnProperty.call(labels, k) && labels[k] === value);
    }
  }
  const me = sel['matchExpressions'];
  if (me !== undefined && me !== null) {
    if (!Array.isArray(me)) throw new SelectorError('matchExpressions must be a list');
    for (const expr of me) {
      if (!isPlainObject(expr)) throw new SelectorError('each matchExpressions entry must be a map with key, operator and values');
      const key = typeof expr['key'] === 'string' ? expr['key'] : '';
      const op = typeof expr['operator'] === 'string' ? expr['operator'] : '';
      const rawValues = Array.isArray(expr['values']) ? expr['values'] : [];
      const values = new Set(rawValues.map((v) => (typeof v === 'string' ? v : String(v))));
      const has = (labels: Readonly<Record<string, string>>): boolean => Object.prototype.hasOwnProperty.call(labels, key);
      switch (op) {
        case 'In':
        case 'NotIn':
          if (values.size === 0) throw new SelectorError(`values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty`);
          for (const v of values) checkValue(key, v, strictValues);
          reqs.push(op === 'In' ? (l) => has(l) && values.has(l[key]!) : (l) => !has(l) || !values.has(l[key]!));
          break;
        case 'Exists':
        case 'DoesNotExist':
          if (values.size !== 0) throw new SelectorError(`values: Invalid value: ${JSON.stringify([...values])}: values set must be empty for exists and does not exist`);
          reqs.push(op === 'Exists' ? has : (l) => !has(l));
          break;
        default:
          throw new SelectorError(`"${op}" is not a valid label selector operator`);
      }
    }
  }
  return (labels) => reqs.every((r) => r(labels));
}
