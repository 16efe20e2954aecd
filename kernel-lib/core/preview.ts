/**
 * A short, printable rendering of any value for error messages and logs: JSON where it can be,
 * cut to a length (a 5 MB value sent by a frontend must not be echoed whole). No tfjs here: the
 * kernel's protocol code uses it too.
 */

/** Default longest preview, in characters. */
export const PREVIEW_LENGTH = 200;

/**
 * `value` as JSON (NaN, ±Infinity, undefined, functions and bigints by name), at most `max`
 * characters: a longer one is cut and says how long it was.
 */
export function previewValue(value: unknown, max = PREVIEW_LENGTH): string {
  const text = render(value);
  return text.length <= max ? text : `${text.slice(0, max)}... (${text.length} characters)`;
}

function render(value: unknown): string {
  if (typeof value === 'number') return String(value); // NaN and Infinity, which JSON writes as null
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') {
    return typeof value === 'function' ? 'a function' : String(value);
  }
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${value.byteLength} bytes)`;
  try {
    return JSON.stringify(value, (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)) ?? typeof value;
  } catch {
    return Object.prototype.toString.call(value); // cyclic or otherwise not JSON
  }
}
