// The error every template entry point throws.

/** A template failed to parse or execute; the message follows Argo CD's (and Go's) wording. */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
  /** Where in the rendered template the failing string is (keys and indexes, as written), filled in while unwinding. */
  fieldPath: (string | number)[] = [];
}
