/**
 * Literal references: `Type/id`, with or without a base URL in front and a version behind.
 * See: https://hl7.org/fhir/R4/references.html#literal
 */
const LITERAL = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/([A-Za-z0-9\-.]{1,64}))?$/;

/** `Type/id` of a literal reference (relative, absolute or versioned), when it has that shape. */
export function referenceKey(reference: string | undefined): string | undefined {
  const m = reference === undefined ? null : LITERAL.exec(reference);
  return m ? `${m[1]}/${m[2]}` : undefined;
}

/** `Type/id` or `Type/id/_history/vid` (the version kept) of a literal reference or response location. */
export function versionedKey(reference: string | undefined): string | undefined {
  const m = reference === undefined ? null : LITERAL.exec(reference);
  if (!m) return undefined;
  return m[3] !== undefined ? `${m[1]}/${m[2]}/_history/${m[3]}` : `${m[1]}/${m[2]}`;
}

const RESTFUL = /^(?:(https?:\/\/.+)\/)?([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/;

/** The parts of a RESTful resource URL (`[base/]Type/id`, no version); `base` only when absolute. */
export function restfulUrl(url: string | undefined): { base?: string; type: string; id: string } | undefined {
  const m = url === undefined ? null : RESTFUL.exec(url);
  if (!m?.[2] || !m[3]) return undefined;
  return { ...(m[1] !== undefined ? { base: m[1] } : {}), type: m[2], id: m[3] };
}
