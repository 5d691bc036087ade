// Parser for web-server directory listings ("autoindex" pages), the directory source of the
// http(s):// connector (WebUFS). Pure: takes the HTML and the listing's own URL.
//
// Understood formats (detected per row, so mixed or slightly customised pages still work):
//   nginx autoindex:  <a href="f">f</a>   23-Nov-2026 03:22   12345      ("-" for directories)
//   Apache table:     <tr><td><a href="f">f</a></td><td align="right">2021-05-20 10:00  </td><td align="right">263M</td>
//   Apache <pre>:     <img alt="[   ]"> <a href="f">f</a>   2021-05-20 10:00  1.1M
//   fancyindex table: <td><a href="f">f</a></td><td class="size">1.1 MiB</td><td class="date">2021-05-20 10:00</td>
// Sizes may be exact bytes ("12345") or human-rounded ("1.1M", "652K", "1.1 MiB"); a rounded
// size is reported with sizeExact=false so the caller can HEAD the file for the exact length.
// Only direct children of the listing URL are returned: parent links, sort links ("?C=N;O=D"),
// fragments and links to other directories or hosts are skipped.

export interface AutoindexEntry {
  /** URL-decoded base name, no slashes. */
  readonly name: string;
  /** "directory" iff the link ends with "/". */
  readonly kind: 'file' | 'directory';
  /** Bytes as listed (rounded when sizeExact is false); undefined when the row shows none ("-"). */
  readonly size: number | undefined;
  readonly sizeExact: boolean;
  /** Listed modification time, ms since the epoch, read as UTC; undefined when absent. */
  readonly mtimeMs: number | undefined;
}

const ANCHOR = /<a\s[^>]*?href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))[^>]*>([\s\S]*?)<\/a\s*>/gi;
const ROW_END = /<a\s|<\/tr\s*>|<\/pre\s*>|<\/table\s*>|<tr[\s>]/i;
const MONTHS: Record<string, number> = {
  jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11,
};
const DATE_NGINX = /(\d{1,2})-([A-Za-z]{3})-(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?/;
const DATE_ISO = /(\d{4})-(\d{2})-(\d{2})[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?/;
const SIZE = /^(\d+(?:\.\d+)?)\s*([KMGTPE]?)(i?B)?$/i;

/**
 * Parses one listing page. `listingUrl` is the absolute URL the page was fetched from (a
 * directory URL ending with "/"); hrefs are resolved against it. Duplicate names (icon link and
 * name link to the same target) are merged, keeping the row that carries a date or size.
 */
export function parseAutoindex(html: string, listingUrl: string): AutoindexEntry[] {
  const base = new URL(listingUrl);
  base.search = '';
  base.hash = '';
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  const byName = new Map<string, AutoindexEntry>();
  for (const m of html.matchAll(ANCHOR)) {
    const rawHref = decodeEntities(m[1] ?? m[2] ?? m[3] ?? '').trim();
    const child = childOf(base, rawHref);
    if (!child) continue;
    const after = html.slice((m.index ?? 0) + m[0].length);
    const end = after.search(ROW_END);
    const tail = normaliseSpace(decodeEntities(stripTags(end < 0 ? after : after.slice(0, end))));
    const { mtimeMs, before, rest } = parseDate(tail);
    // Size usually follows the date (nginx, Apache); fancyindex-style tables put it first.
    const size = child.kind === 'file' ? parseSize(rest) ?? parseSize(before) : undefined;
    const entry: AutoindexEntry = {
      name: child.name,
      kind: child.kind,
      size: size?.bytes,
      sizeExact: size?.exact ?? false,
      mtimeMs,
    };
    const prev = byName.get(entry.name);
    if (!prev || score(entry) > score(prev)) byName.set(entry.name, entry);
  }
  return [...byName.values()];
}

function score(e: AutoindexEntry): number {
  return (e.mtimeMs !== undefined ? 1 : 0) + (e.size !== undefined ? 1 : 0);
}

/** Resolves `href` and returns the direct child it names, or undefined for any other link. */
function childOf(base: URL, href: string): { name: string; kind: 'file' | 'directory' } | undefined {
  if (href === '' || href.startsWith('?') || href.startsWith('#')) return undefined;
  let url: URL;
  try {
    url = new URL(href, base);
  } catch {
    return undefined;
  }
  if (url.origin !== base.origin || url.search !== '') return undefined;
  if (!url.pathname.startsWith(base.pathname)) return undefined;
  let rel = url.pathname.slice(base.pathname.length);
  const isDir = rel.endsWith('/');
  if (isDir) rel = rel.slice(0, -1);
  if (rel === '' || rel.includes('/')) return undefined;
  let name: string;
  try {
    name = decodeURIComponent(rel);
  } catch {
    return undefined;
  }
  if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) return undefined;
  return { name, kind: isDir ? 'directory' : 'file' };
}

function parseDate(tail: string): { mtimeMs: number | undefined; before: string; rest: string } {
  const n = DATE_NGINX.exec(tail);
  if (n) {
    const month = MONTHS[(n[2] ?? '').toLowerCase()];
    if (month !== undefined) {
      const ms = Date.UTC(Number(n[3]), month, Number(n[1]), Number(n[4]), Number(n[5]), Number(n[6] ?? 0));
      return { mtimeMs: ms, before: tail.slice(0, n.index), rest: tail.slice(n.index + n[0].length) };
    }
  }
  const i = DATE_ISO.exec(tail);
  if (i) {
    const ms = Date.UTC(Number(i[1]), Number(i[2]) - 1, Number(i[3]), Number(i[4]), Number(i[5]), Number(i[6] ?? 0));
    return { mtimeMs: ms, before: tail.slice(0, i.index), rest: tail.slice(i.index + i[0].length) };
  }
  return { mtimeMs: undefined, before: '', rest: tail };
}

/**
 * First size-looking token of `text`: "12345" (exact bytes), "1.1M" / "652K" / "1.1 MiB" /
 * "3 KB" (binary multiples, rounded). "-" or nothing => undefined.
 */
export function parseSize(text: string): { bytes: number; exact: boolean } | undefined {
  const tokens = text.split(' ').filter((t) => t !== '');
  for (let k = 0; k < tokens.length; k++) {
    const tok = tokens[k] ?? '';
    if (tok === '-') return undefined;
    // "1.1 MiB": number and unit as separate tokens.
    const joined = /^\d+(?:\.\d+)?$/.test(tok) && /^[KMGTPE]i?B?$|^B$/i.test(tokens[k + 1] ?? '') ? `${tok}${tokens[k + 1]}` : tok;
    const m = SIZE.exec(joined);
    if (!m) continue;
    const value = Number(m[1]);
    const unit = (m[2] ?? '').toUpperCase();
    if (unit === '') {
      if (!Number.isInteger(value)) continue;
      return { bytes: value, exact: true };
    }
    const power = 'KMGTPE'.indexOf(unit) + 1;
    return { bytes: Math.round(value * 1024 ** power), exact: false };
  }
  return undefined;
}

function stripTags(s: string): string {
  return s.replace(/<[^>]*>/g, ' ');
}

function normaliseSpace(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ent: string) => {
    const e = ent.toLowerCase();
    if (e.startsWith('#')) {
      const cp = e.startsWith('#x') ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : whole;
    }
    switch (e) {
      case 'amp': return '&';
      case 'lt': return '<';
      case 'gt': return '>';
      case 'quot': return '"';
      case 'apos': return '\'';
      case 'nbsp': return ' ';
      default: return whole;
    }
  });
}
