/** Just enough XML for awsQuery (STS) and S3: building replies, and reading the two small documents S3 accepts. */

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(x?)([0-9a-fA-F]+);/g, (_m, hex: string, digits: string) =>
      String.fromCodePoint(parseInt(digits, hex ? 16 : 10)),
    )
    .replace(/&amp;/g, '&');
}

/** A child element; strings are escaped text, arrays are nested elements (undefined members are left out). */
export type XmlContent = string | number | boolean | (string | undefined)[];

export function el(name: string, content: XmlContent | undefined, attributes = ''): string {
  if (content === undefined) return '';
  const inner = Array.isArray(content)
    ? content.filter((c) => c !== undefined).join('')
    : escapeXml(String(content));
  return `<${name}${attributes}>${inner}</${name}>`;
}

export function xmlDocument(root: string, namespace: string, children: (string | undefined)[]): string {
  return `${XML_DECLARATION}\n${el(root, children, ` xmlns="${namespace}"`)}`;
}

/** The inner XML of every `<name>` element (not nested in one another). */
export function childBlocks(xml: string, name: string): string[] {
  const re = new RegExp(`<${name}(?:\\s[^>]*)?>([\\s\\S]*?)</${name}>`, 'g');
  return [...xml.matchAll(re)].map((m) => m[1] ?? '');
}

/** The unescaped text of the first `<name>` element, or undefined. */
export function childText(xml: string, name: string): string | undefined {
  const block = childBlocks(xml, name)[0];
  return block === undefined ? undefined : unescapeXml(block.trim());
}
