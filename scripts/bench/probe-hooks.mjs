/** Loader hooks of probe.mjs: appends the URL of every file module loaded to the list file, synchronously. */
import { appendFileSync } from 'node:fs';

let esmList;

export function initialize(data) {
  esmList = data.esmList;
}

export async function load(url, context, nextLoad) {
  if (url.startsWith('file:')) appendFileSync(esmList, `${url}\n`);
  return nextLoad(url, context);
}
