/**
 * The step log, made safe for text that someone else wrote. Every message a run logs can hold user input or text
 * from AWS (error messages, device statusDetails, a job's comment), and the runner reads `::command::` at the start
 * of any stdout line and `##[command]` anywhere in one. So every message becomes one line with both forms
 * neutralised, whatever called the log: a value with a line break can never start a line of its own, let alone
 * `::add-mask::`, `::error::` or `##[stop-commands]`.
 */
import { logLine } from '../plan/untrusted-text.js';
import type { ActionsCore } from './dependencies.js';

export function safeCore(core: ActionsCore): ActionsCore {
  const text = (message: string | Error): string =>
    logLine(message instanceof Error ? message.message : message);
  return {
    ...core,
    info: (message) => core.info(logLine(message)),
    debug: (message) => core.debug(logLine(message)),
    notice: (message, properties) => core.notice(text(message), properties),
    warning: (message, properties) => core.warning(text(message), properties),
    error: (message, properties) => core.error(text(message), properties && safeProperties(properties)),
  };
}

function safeProperties<T extends { title?: string }>(properties: T): T {
  return properties.title === undefined ? properties : { ...properties, title: logLine(properties.title) };
}
