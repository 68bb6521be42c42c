/**
 * Safe readers for untyped JSON: a FHIR resource as it arrives may hold any JSON value anywhere, so the
 * engine's readers narrow every value they touch through these and never throw on a wrong type.
 * Whether a wrong type is an error is decided by shape.ts; these only read.
 */
import { isJsonObject, type JsonObject } from '../../fhir/json';

export { strings } from '../../fhir/json';

/** A JSON object (not null, not an array), read-only: the engine never mutates its input. */
export type JsonRecord = Readonly<JsonObject>;

export function isRecord(value: unknown): value is JsonRecord {
  return isJsonObject(value);
}

/** The value when it is a JSON object, else undefined. */
export function asRecord(value: unknown): JsonRecord | undefined {
  return isRecord(value) ? value : undefined;
}

const EMPTY: readonly unknown[] = Object.freeze([]);

/** The value when it is an array, else an empty array (absent and malformed lists read as empty). */
export function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : EMPTY;
}

/** The JSON objects of a list, each with its index in the list (other items are left out). */
export function records(value: unknown): { item: JsonRecord; index: number }[] {
  const out: { item: JsonRecord; index: number }[] = [];
  asArray(value).forEach((item, index) => {
    if (isRecord(item)) out.push({ item, index });
  });
  return out;
}

/** The value when it is a string, else undefined. */
export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The value when it is a finite number, else undefined. */
export function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** The value when it is a boolean, else undefined. */
export function asBoolean(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}


/** `object.key` read safely: undefined unless `object` is a JSON object. */
export function field(object: unknown, key: string): unknown {
  return isRecord(object) ? object[key] : undefined;
}
