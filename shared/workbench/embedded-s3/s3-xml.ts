import type { IncomingMessage } from 'node:http';
import { S3ApiError, malformedXml } from './s3-api-error.ts';

export const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/**
 * Text as an XML element's content. Control characters are written as character references: raw,
 * a `\r` would reach the client as `\n` (XML parsers normalize line ends), and the others are not
 * allowed in XML text at all (S3 writes them the same way; clients that cannot read them ask for
 * `encoding-type=url`).
 */
export function escapeXml(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[&<>"'\u0000-\u0008\u000b-\u001f\u007f\u0085\u2028]/g, (char) => ESCAPES[char] ?? `&#x${char.charCodeAt(0).toString(16).toUpperCase()};`);
}

/** An element's content: text, repeated elements (an array), or child elements; `undefined` leaves the element out. */
export type XmlValue = string | number | boolean | undefined | XmlValue[] | { [element: string]: XmlValue };

function writeElement(name: string, value: XmlValue): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map((item) => writeElement(name, item)).join('');
  if (typeof value === 'object') return `<${name}>${writeChildren(value)}</${name}>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

const writeChildren = (children: { [element: string]: XmlValue }) =>
  Object.entries(children)
    .map(([name, value]) => writeElement(name, value))
    .join('');

/** A response document: `<?xml ...?><Root xmlns="...">children</Root>`. */
export function xmlDocument(root: string, children: { [element: string]: XmlValue }, namespace = true): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root}${namespace ? ` xmlns="${S3_NAMESPACE}"` : ''}>${writeChildren(children)}</${root}>`;
}

export function errorDocument(error: S3ApiError, resource: string, requestId: string): string {
  return xmlDocument('Error', { Code: error.code, Message: error.message, ...error.detail, Resource: resource, RequestId: requestId }, false);
}

/** An element of a request body: its name (without a namespace prefix), its text, its child elements. */
export interface XmlElement {
  name: string;
  text: string;
  children: XmlElement[];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeText(text: string): string {
  return text.replace(/&(?:#x([0-9a-fA-F]{1,6})|#([0-9]{1,7})|([a-z]+));/g, (whole, hex: string | undefined, decimal: string | undefined, named: string | undefined) => {
    if (named !== undefined) {
      const char = ENTITIES[named];
      if (char === undefined) throw malformedXml();
      return char;
    }
    const code = parseInt(hex ?? decimal ?? '', hex ? 16 : 10);
    if (code > 0x10ffff) throw malformedXml();
    return String.fromCodePoint(code);
  });
}

/**
 * Reads the small XML documents S3 requests carry (DeleteObjects, CompleteMultipartUpload): element
 * text exactly as sent, entities and CDATA decoded, nothing trimmed or turned into numbers (a key
 * `007` or ` a ` is that key). Anything that is not well-formed is MalformedXML.
 */
export function parseXml(xml: string): XmlElement {
  let at = 0;
  const skipProlog = () => {
    for (;;) {
      while (at < xml.length && /\s/.test(xml[at]!)) at++;
      if (xml.startsWith('<?', at)) at = closing('?>');
      else if (xml.startsWith('<!--', at)) at = closing('-->');
      else return;
    }
  };
  const closing = (end: string) => {
    const found = xml.indexOf(end, at);
    if (found === -1) throw malformedXml();
    return found + end.length;
  };
  const parseElement = (): XmlElement => {
    const open = /^<([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/.exec(xml.slice(at, at + 4096));
    if (!open) throw malformedXml();
    at += open[0].length;
    const qualified = open[1]!;
    const element: XmlElement = { name: qualified.slice(qualified.indexOf(':') + 1), text: '', children: [] };
    if (open[3]) return element;
    for (;;) {
      if (at >= xml.length) throw malformedXml();
      if (xml.startsWith('</', at)) {
        const end = /^<\/([A-Za-z_][\w.:-]*)\s*>/.exec(xml.slice(at, at + 1024));
        if (!end || end[1] !== qualified) throw malformedXml();
        at += end[0].length;
        return element;
      }
      if (xml.startsWith('<![CDATA[', at)) {
        const start = at + 9;
        at = closing(']]>');
        element.text += xml.slice(start, at - 3);
      } else if (xml.startsWith('<!--', at)) at = closing('-->');
      else if (xml[at] === '<') element.children.push(parseElement());
      else {
        const next = xml.indexOf('<', at);
        const end = next === -1 ? xml.length : next;
        element.text += decodeText(xml.slice(at, end));
        at = end;
      }
    }
  };
  skipProlog();
  const root = parseElement();
  skipProlog();
  if (at !== xml.length) throw malformedXml();
  return root;
}

export const childrenNamed = (element: XmlElement, name: string) => element.children.filter((child) => child.name === name);
export const childText = (element: XmlElement, name: string) => childrenNamed(element, name)[0]?.text;

/** A request body of at most `limit` bytes, as text. */
export async function readTextBody(request: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new S3ApiError('MaxMessageLengthExceeded', 400, 'Your request was too big.');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
