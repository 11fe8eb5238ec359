/**
 * Text from outside (log lines, recordings, drill scenarios, answers, API error messages) may
 * carry terminal control sequences: an OSC that sets the window title or the clipboard, a CSI
 * that moves the cursor or clears the screen. Everything badgate stores or shows goes through
 * this one function, which keeps newlines and tabs and drops every other control character.
 */
/* eslint-disable no-control-regex -- matching control characters is what this module is for */
// ESC-introduced sequences: CSI … final byte, OSC/DCS/SOS/PM/APC … BEL or ST, and two-byte escapes.
const ESCAPES = /\u001b(?:\[[0-?]*[ -/]*[@-~]|[\]PX^_][\s\S]*?(?:\u0007|\u001b\\|$)|[@-Z\\-_]?)/g;
// The 8-bit forms of the same (C1 CSI, OSC, …), then any other C0/C1 control and DEL.
const C1_STRINGS = /[\u009b][0-?]*[ -/]*[@-~]|[\u009d\u0090\u0098\u009e\u009f][\s\S]*?(?:\u0007|\u009c|$)/g;
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
/* eslint-enable no-control-regex */

export function sanitizeText(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(ESCAPES, '').replace(C1_STRINGS, '').replace(CONTROLS, '');
}

/** Every string in a JSON-like value, sanitized. */
export function sanitizeDeep<T>(value: T): T {
  if (typeof value === 'string') return sanitizeText(value) as T;
  if (Array.isArray(value)) return value.map(sanitizeDeep) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [sanitizeText(k), sanitizeDeep(v)])) as T;
  return value;
}
