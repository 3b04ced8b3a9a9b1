/**
 * Why something could not be loaded, announced at once (role alert): an optional lead sentence, then the error as the
 * engine formatted it (file, line and column; cluster and resource), kept verbatim in a code span.
 */
export function LoadError({ message, lead }: { readonly message: string; readonly lead?: string }) {
  return (
    <div role="alert" className="load-error">
      {lead !== undefined && (
        <>
          <strong>{lead}</strong>{' '}
        </>
      )}
      <code>{message}</code>
    </div>
  );
}
