/**
 * Text that someone else wrote (a device's statusDetails, a job's reasonCode and comment, thing names) made safe
 * to show: on one line, never a workflow command in a log line, and escaped for the job summary's HTML.
 */

/** Line breaks, tabs and other control or separator characters become single spaces; the ends are trimmed. */
export function oneLine(text: string): string {
  return text
    .replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
}

/**
 * One line that the runner cannot read as a workflow command: it would take `::name::` at the start of a line
 * (after leading whitespace) and `##[name]` anywhere in it.
 */
export function logSafe(text: string): string {
  return oneLine(text).replace(/^::/, ': :').replace(/##\[/g, '# #[');
}

/**
 * A log line as the runner reads it, whatever it holds: line breaks and other control characters become spaces
 * (so nothing can start a line of its own), `::` at its start (after whitespace) and `##[` anywhere are broken up.
 * Leading indentation stays, so pretty-printed JSON keeps its shape line by line.
 */
export function logLine(text: string): string {
  return text
    .replace(/[\p{Cc}\p{Zl}\p{Zp}]/gu, ' ')
    .replace(/^(\s*)::/, '$1: :')
    .replace(/##\[/g, '# #[');
}

/** For the job summary (HTML inside Markdown): one line, `& < > " '` escaped. */
export function htmlSafe(text: string): string {
  return oneLine(text).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

/** `"text"`, on one line: for quoting someone else's words inside our own sentence. */
export function quoted(text: string): string {
  return `"${oneLine(text)}"`;
}
