/** The one JSON-object type guard the validator and the engine narrow untyped input with. */

/** A JSON object: property name to any JSON value. */
export type JsonObject = Record<string, unknown>;

/** True for a JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
