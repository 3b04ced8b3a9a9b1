import { age } from './badges';

/** One formatter for every date shown: `toLocaleString` with options builds a new one per call (~0.1 ms each). */
let format: Intl.DateTimeFormat | undefined;

/** A moment in the user's locale: its date and time, to the minute (e.g. "5 Dec 2026, 21:04"). */
export function localTime(iso: string): string {
  const d = new Date(iso);
  format ??= new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  return Number.isNaN(d.getTime()) ? iso : format.format(d);
}

/** A moment as people read it: how long ago ("12 min ago"), with the date and time in the user's locale beside it or on hover. */
export function When({ iso, full }: { readonly iso: string | undefined; readonly full?: boolean }) {
  if (!iso) return <span className="muted">never</span>;
  return (
    <time dateTime={iso} title={localTime(iso)}>
      {age(iso)}
      {full ? ` (${localTime(iso)})` : ''}
    </time>
  );
}

const ISO_TIME = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z\b/g;

/** A message from the engine with its ISO times (`2026-12-05T20:29:44.352Z`) shown in the user's locale. */
export function localizeTimes(text: string): string {
  return text.replace(ISO_TIME, (iso) => localTime(iso));
}
