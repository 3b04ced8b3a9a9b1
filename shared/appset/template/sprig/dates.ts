// Go time.Time for Sprig's date functions: formatting and parsing with Go reference layouts, in UTC (the controller's usual zone).
import type { GoObject } from '../go/values';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** A Go time.Time (UTC, millisecond precision). */
export class GoTime implements GoObject {
  readonly goType = 'time.Time';

  constructor(readonly ms: number) {}

  /** Go's zero time, 0001-01-01 00:00:00 UTC. */
  static zero(): GoTime {
    const d = new Date(0);
    d.setUTCFullYear(1, 0, 1);
    d.setUTCHours(0, 0, 0, 0);
    return new GoTime(d.getTime());
  }

  /** Template field and method access: `.Year`, `.Unix`, `.Month` ... */
  goField(name: string): { readonly value: unknown } | undefined {
    const d = new Date(this.ms);
    switch (name) {
      case 'Year':
        return { value: BigInt(d.getUTCFullYear()) };
      case 'Day':
        return { value: BigInt(d.getUTCDate()) };
      case 'Hour':
        return { value: BigInt(d.getUTCHours()) };
      case 'Minute':
        return { value: BigInt(d.getUTCMinutes()) };
      case 'Second':
        return { value: BigInt(d.getUTCSeconds()) };
      case 'Unix':
        return { value: BigInt(Math.floor(this.ms / 1000)) };
      case 'UTC':
        return { value: this };
      case 'String':
        return { value: this.toString() };
    }
    return undefined;
  }

  toString(): string {
    return formatTime(this, '2006-01-02 15:04:05.999999999 -0700 MST');
  }

  toJSON(): string {
    return formatTime(this, '2006-01-02T15:04:05.999999999Z07:00');
  }
}

const TOKENS = [
  'January', 'Monday', '2006', '-07:00:00', '-07:00', 'Z07:00:00', 'Z07:00', '-0700', 'Z0700', '-07', 'Z07',
  'Jan', 'Mon', 'MST', '002', '__2', '_2', '01', '02', '03', '04', '05', '06', '15', 'PM', 'pm',
  '.000000000', '.999999999', '.000000', '.999999', '.000', '.999', ',000', ',999', '1', '2', '3', '4', '5',
];

function pad(n: number, w: number, c = '0'): string {
  return String(n).padStart(w, c);
}

/** time.Time.Format with a Go reference layout (zone is always UTC). */
export function formatTime(t: GoTime, layout: string): string {
  const d = new Date(t.ms);
  let out = '';
  let i = 0;
  while (i < layout.length) {
    const tok = TOKENS.find((k) => layout.startsWith(k, i));
    if (!tok) {
      out += layout[i];
      i++;
      continue;
    }
    i += tok.length;
    const h = d.getUTCHours();
    const ms = d.getUTCMilliseconds();
    switch (tok) {
      case 'January': out += MONTHS[d.getUTCMonth()]; break;
      case 'Jan': out += MONTHS[d.getUTCMonth()]!.slice(0, 3); break;
      case 'Monday': out += DAYS[d.getUTCDay()]; break;
      case 'Mon': out += DAYS[d.getUTCDay()]!.slice(0, 3); break;
      case '2006': out += pad(d.getUTCFullYear(), 4); break;
      case '06': out += pad(d.getUTCFullYear() % 100, 2); break;
      case '01': out += pad(d.getUTCMonth() + 1, 2); break;
      case '1': out += String(d.getUTCMonth() + 1); break;
      case '02': out += pad(d.getUTCDate(), 2); break;
      case '_2': out += pad(d.getUTCDate(), 2, ' '); break;
      case '2': out += String(d.getUTCDate()); break;
      case '002':
      case '__2': {
        const start = Date.UTC(d.getUTCFullYear(), 0, 1);
        const yday = Math.floor((t.ms - start) / 86400000) + 1;
        out += tok === '002' ? pad(yday, 3) : pad(yday, 3, ' ');
        break;
      }
      case '15': out += pad(h, 2); break;
      case '03': out += pad(h % 12 === 0 ? 12 : h % 12, 2); break;
      case '3': out += String(h % 12 === 0 ? 12 : h % 12); break;
      case '04': out += pad(d.getUTCMinutes(), 2); break;
      case '4': out += String(d.getUTCMinutes()); break;
      case '05': out += pad(d.getUTCSeconds(), 2); break;
      case '5': out += String(d.getUTCSeconds()); break;
      case 'PM': out += h >= 12 ? 'PM' : 'AM'; break;
      case 'pm': out += h >= 12 ? 'pm' : 'am'; break;
      case 'MST': out += 'UTC'; break;
      case 'Z07:00:00': case 'Z07:00': case 'Z0700': case 'Z07': out += 'Z'; break;
      case '-07:00:00': out += '+00:00:00'; break;
      case '-07:00': out += '+00:00'; break;
      case '-0700': out += '+0000'; break;
      case '-07': out += '+00'; break;
      default: {
        // fractional seconds
        const digits = tok.length - 1;
        const frac = pad(ms, 3) + '000000';
        let f = frac.slice(0, digits);
        if (tok[1] === '9') {
          f = f.replace(/0+$/, '');
          if (f) out += tok[0] + f;
        } else out += tok[0] + f;
      }
    }
  }
  return out;
}

/** time.ParseInLocation (UTC) for numeric layouts and month/day names; throws on mismatch. */
export function parseTime(layout: string, value: string): GoTime {
  let re = '^';
  const fields: string[] = [];
  let i = 0;
  while (i < layout.length) {
    const tok = TOKENS.find((k) => layout.startsWith(k, i));
    if (!tok) {
      re += layout[i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      i++;
      continue;
    }
    i += tok.length;
    fields.push(tok);
    if (tok === 'January' || tok === 'Monday') re += '([A-Za-z]+)';
    else if (tok === 'Jan' || tok === 'Mon' || tok === 'MST') re += '([A-Za-z]{3})';
    else if (tok === 'PM' || tok === 'pm') re += '([AaPp][Mm])';
    else if (tok.startsWith('Z') || tok.startsWith('-07')) re += '(Z|[+-]\\d\\d(?::?\\d\\d)?(?::?\\d\\d)?)';
    else if (tok.startsWith('.') || tok.startsWith(',')) re += '(?:[.,](\\d+))?';
    else if (tok === '_2' || tok === '__2') re += ' *(\\d+)';
    else re += '(\\d+)';
  }
  const m = new RegExp(re + '$').exec(value);
  if (!m) throw new Error(`parsing time ${JSON.stringify(value)} as ${JSON.stringify(layout)}: cannot parse`);
  let year = 0, month = 1, day = 1, hour = 0, min = 0, sec = 0, frac = 0, pm: boolean | undefined, offset = 0;
  fields.forEach((f, k) => {
    const s = m[k + 1] ?? '';
    switch (f) {
      case '2006': year = Number(s); break;
      case '06': year = 2000 + Number(s) - (Number(s) >= 69 ? 100 : 0); break;
      case 'January': month = MONTHS.indexOf(s) + 1; break;
      case 'Jan': month = MONTHS.findIndex((x) => x.startsWith(s)) + 1; break;
      case '01': case '1': month = Number(s); break;
      case '02': case '2': case '_2': day = Number(s); break;
      case '15': hour = Number(s); break;
      case '03': case '3': hour = Number(s); break;
      case '04': case '4': min = Number(s); break;
      case '05': case '5': sec = Number(s); break;
      case 'PM': case 'pm': pm = s.toLowerCase() === 'pm'; break;
      default:
        if (f.startsWith('.') || f.startsWith(',')) frac = s ? Number('0.' + s) : 0;
        else if ((f.startsWith('Z') || f.startsWith('-07')) && s !== 'Z') {
          const z = /^([+-])(\d\d):?(\d\d)?:?(\d\d)?$/.exec(s)!;
          offset = (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 3600 + Number(z[3] ?? 0) * 60 + Number(z[4] ?? 0));
        }
    }
  });
  if (pm !== undefined) hour = (hour % 12) + (pm ? 12 : 0);
  if (month < 1 || month > 12) throw new Error(`parsing time ${JSON.stringify(value)}: month out of range`);
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, min, sec, 0);
  const ms = d.getTime() + Math.round(frac * 1000) - offset * 1000;
  return new GoTime(ms);
}

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000 };

/** time.ParseDuration, in milliseconds. */
export function parseDuration(s: string): number {
  const orig = s;
  let sign = 1;
  if (s[0] === '-' || s[0] === '+') {
    sign = s[0] === '-' ? -1 : 1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') throw new Error(`time: invalid duration ${JSON.stringify(orig)}`);
  let total = 0;
  const re = /([0-9]*\.?[0-9]*)(ns|us|µs|μs|ms|s|m|h)/y;
  let pos = 0;
  while (pos < s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m || m[1] === '' || m[1] === '.') throw new Error(`time: invalid duration ${JSON.stringify(orig)}`);
    total += Number(m[1]) * UNITS[m[2]!]!;
    pos = re.lastIndex;
  }
  return sign * total;
}

/** time.Duration.String for a whole number of nanoseconds. */
export function durationString(ns: bigint): string {
  if (ns === 0n) return '0s';
  const neg = ns < 0n;
  let u = neg ? -ns : ns;
  let out: string;
  if (u < 1000000000n) {
    if (u < 1000n) out = `${u}ns`;
    else if (u < 1000000n) out = trimFrac(u, 1000n) + 'µs';
    else out = trimFrac(u, 1000000n) + 'ms';
  } else {
    const h = u / 3600000000000n;
    u -= h * 3600000000000n;
    const m = u / 60000000000n;
    u -= m * 60000000000n;
    const sec = trimFrac(u, 1000000000n) + 's';
    out = h > 0n ? `${h}h${m}m${sec}` : m > 0n ? `${m}m${sec}` : sec;
  }
  return (neg ? '-' : '') + out;
}

function trimFrac(v: bigint, unit: bigint): string {
  const whole = v / unit;
  const frac = v % unit;
  if (frac === 0n) return String(whole);
  const digits = String(unit).length - 1;
  return `${whole}.${String(frac).padStart(digits, '0').replace(/0+$/, '')}`;
}
