// Argo CD's name helpers: SanitizeName (the `normalize` function, nameNormalized) and SlugifyName (the `slugify` function).

const MAX_DNS_NAME = 253;

/** Argo CD's SanitizeName: lower case, characters outside [-a-z0-9.] become '-', at most 253 bytes, no leading/trailing '-' or '.'. */
export function sanitizeName(name: string): string {
  let s = name.toLowerCase().replace(/[^-a-z0-9.]/gu, '-');
  if (s.length > MAX_DNS_NAME) s = s.slice(0, MAX_DNS_NAME);
  return s.replace(/^[-.]+/, '').replace(/[-.]+$/, '');
}

/** Argo CD's SlugifyName (gosimple/slug over the sanitized name): URL-safe, at most `maxSize` long, cut at a '-' when `enableSmartTruncate`. */
export function slugify(name: string, maxSize = 50, enableSmartTruncate = true): string {
  let slug = sanitizeName(name).trim();
  if (!enableSmartTruncate && maxSize > 0 && slug.length >= maxSize) slug = slug.slice(0, maxSize);
  slug = slug.replace(/[^a-zA-Z0-9\-_]/g, '-').replace(/-+/g, '-');
  slug = slug.replace(/^[-_]+/, '').replace(/[-_]+$/, '');
  if (maxSize > 0 && enableSmartTruncate && slug.length > maxSize) {
    let cut = -1;
    for (let i = maxSize; i >= 0; i--) {
      if (slug[i] === '-') {
        cut = i;
        break;
      }
    }
    slug = slug.slice(0, cut >= 0 ? cut : maxSize);
  }
  return slug;
}
