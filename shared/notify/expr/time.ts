// Argo CD's `time` helpers for notification expressions (util/notification/expression/time): Parse (RFC 3339,
// panicking on anything else), Now, the duration constants, and the time.Time / time.Duration methods that
// conditions call (`Before`, `After`, `Sub`, `Add`, `Minutes`, …).
import { ExprDuration, ExprFunc, ExprRuntimeError, ExprTime, type ExprValue } from './values';

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Go's time.Parse(time.RFC3339, s); throws the panic Argo CD's helper raises on a bad timestamp. */
export function parseRfc3339(s: string): ExprTime {
  const m = RFC3339.exec(s);
  const bad = (): never => {
    throw new ExprRuntimeError(`parsing time ${JSON.stringify(s)} as "2006-01-02T15:04:05Z07:00": cannot parse`);
  };
  if (!m) return bad();
  const [y, mo, d, h, mi, se] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (mo < 1 || mo > 12 || d < 1 || d > (mo === 2 && leap ? 29 : DAYS[mo - 1]!) || h > 23 || mi > 59 || se > 59) bad();
  let offsetMin = 0;
  const zone = m[8]!;
  if (zone !== 'Z' && zone !== 'z') {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 23 || om > 59) bad();
    offsetMin = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const frac = m[7] ? BigInt(m[7].slice(1, 10).padEnd(9, '0')) : 0n;
  const secs = BigInt(Date.UTC(y, mo - 1, d, h, mi, se) / 1000) - BigInt(offsetMin * 60);
  return new ExprTime(secs * 1_000_000_000n + frac);
}

const SECOND = 1_000_000_000n;

/** The `time` namespace of Argo CD's expression helpers; `now` fixes what time.Now() returns. */
export function timeHelpers(now: () => ExprTime): Record<string, ExprValue> {
  return {
    Parse: new ExprFunc('Parse', (args) => {
      const s = args[0];
      if (args.length !== 1 || typeof s !== 'string') throw new ExprRuntimeError('time.Parse takes one string');
      return parseRfc3339(s);
    }),
    Now: new ExprFunc('Now', () => now()),
    Nanosecond: new ExprDuration(1n),
    Microsecond: new ExprDuration(1000n),
    Millisecond: new ExprDuration(1_000_000n),
    Second: new ExprDuration(SECOND),
    Minute: new ExprDuration(60n * SECOND),
    Hour: new ExprDuration(3600n * SECOND),
    RFC3339: '2006-01-02T15:04:05Z07:00',
    RFC3339Nano: '2006-01-02T15:04:05.999999999Z07:00',
  };
}

function arg<T extends ExprValue>(args: readonly ExprValue[], is: (v: ExprValue) => v is T, method: string): T {
  const v = args[0];
  if (args.length !== 1 || v === undefined || !is(v)) throw new ExprRuntimeError(`wrong arguments for ${method}`);
  return v;
}

const isTime = (v: ExprValue): v is ExprTime => v instanceof ExprTime;
const isDuration = (v: ExprValue): v is ExprDuration => v instanceof ExprDuration;

/** A method of a time.Time value, bound to it; undefined for a name Go's time.Time does not have. */
export function timeMethod(t: ExprTime, name: string): ExprFunc | undefined {
  switch (name) {
    case 'Before':
      return new ExprFunc(name, (a) => t.ns < arg(a, isTime, name).ns);
    case 'After':
      return new ExprFunc(name, (a) => t.ns > arg(a, isTime, name).ns);
    case 'Equal':
      return new ExprFunc(name, (a) => t.ns === arg(a, isTime, name).ns);
    case 'Sub':
      return new ExprFunc(name, (a) => new ExprDuration(BigInt.asIntN(64, t.ns - arg(a, isTime, name).ns)));
    case 'Add':
      return new ExprFunc(name, (a) => new ExprTime(t.ns + arg(a, isDuration, name).ns));
    case 'Unix':
      return new ExprFunc(name, () => (t.ns >= 0n ? t.ns / SECOND : -((-t.ns + SECOND - 1n) / SECOND)));
    case 'UnixMilli':
      return new ExprFunc(name, () => (t.ns >= 0n ? t.ns / 1_000_000n : -((-t.ns + 999_999n) / 1_000_000n)));
    case 'UnixNano':
      return new ExprFunc(name, () => t.ns);
    case 'UTC':
      return new ExprFunc(name, () => t);
    default:
      return undefined;
  }
}

/** A method of a time.Duration value, bound to it; undefined for a name Go's time.Duration does not have. */
export function durationMethod(d: ExprDuration, name: string): ExprFunc | undefined {
  const whole = (unit: bigint): number => Number(d.ns / unit) + Number(d.ns % unit) / Number(unit);
  switch (name) {
    case 'Hours':
      return new ExprFunc(name, () => whole(3600n * SECOND));
    case 'Minutes':
      return new ExprFunc(name, () => whole(60n * SECOND));
    case 'Seconds':
      return new ExprFunc(name, () => whole(SECOND));
    case 'Milliseconds':
      return new ExprFunc(name, () => d.ns / 1_000_000n);
    case 'Microseconds':
      return new ExprFunc(name, () => d.ns / 1000n);
    case 'Nanoseconds':
      return new ExprFunc(name, () => d.ns);
    case 'Abs':
      return new ExprFunc(name, () => new ExprDuration(d.ns < 0n ? -d.ns : d.ns));
    default:
      return undefined;
  }
}

/** Go's time.ParseDuration for expr's duration() builtin ("1h30m", "300ms", "-1.5h"). */
export function parseDuration(s: string): ExprDuration {
  const units: Readonly<Record<string, number>> = { ns: 1, us: 1e3, 'µs': 1e3, 'μs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
  const m = /^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/.exec(s);
  if (s === '0') return new ExprDuration(0n);
  if (!m) throw new ExprRuntimeError(`time: invalid duration ${JSON.stringify(s)}`);
  let total = 0;
  for (const part of s.replace(/^[+-]/, '').matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) total += Number(part[1]) * units[part[2]!]!;
  return new ExprDuration(BigInt(Math.round(m[1] === '-' ? -total : total)));
}
