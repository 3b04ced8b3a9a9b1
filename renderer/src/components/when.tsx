import { age } from './badges';

/** A moment in the user's locale: its date and time, to the minute (e.g. "5 Dec 2026, 21:04"). */
export function localTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
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
