import type { Progress } from '../../../shared/api/contract';

/** A long operation's progress with its counts, and a Cancel button when it can be cancelled. */
export function ProgressBar({ progress, onCancel }: { readonly progress: Progress | undefined; readonly onCancel?: () => void }) {
  const done = progress?.done ?? 0;
  const total = progress?.total ?? 0;
  return (
    <div className="progress" role="status" aria-live="polite">
      <span>{progress?.label ?? 'Working'}</span>
      <progress max={total || 1} value={total ? done : undefined} aria-label={progress?.label ?? 'Progress'} />
      <span className="muted">{total ? `${done} / ${total}` : 'starting…'}</span>
      {onCancel && (
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      )}
    </div>
  );
}
