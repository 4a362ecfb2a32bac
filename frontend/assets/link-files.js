// Import and export files of links, shared by the page (served as is, no build step) and the
// command-line client (imported by Node). Pure functions only: no DOM, no fetch, no Node modules.
//
// Reads: our own export (CSV and JSON), Bitly's CSV export, Shlink's CSV export (and the CSV
// shlink-importer reads), YOURLS (table dump CSV, the Import/Export plugin's CSV, the API's JSON).
// Writes: our own CSV and JSON. Types live in link-files.d.ts next to this file.

/**
 * @typedef {import('./link-files.d.ts').LinkInput} LinkInput
 * @typedef {import('./link-files.d.ts').ImportRow} ImportRow
 * @typedef {import('./link-files.d.ts').LinkFile} LinkFile
 * @typedef {import('./link-files.d.ts').ExportedLink} ExportedLink
 * @typedef {import('./link-files.d.ts').ImportPlan} ImportPlan
 * @typedef {import('./link-files.d.ts').BulkResult} BulkResult
 * @typedef {import('./link-files.d.ts').ImportResult} ImportResult
 * @typedef {import('./link-files.d.ts').ImportOutcome} ImportOutcome
 */

/** The bulk route's limits: 1,000 rows and 1 MiB of body per request. */
export const BULK_MAX_ROWS = 1000;
/** Under the 1 MiB body limit with room for the envelope and multi-byte characters. */
export const BULK_MAX_BYTES = 900 * 1024;

/** Columns of our CSV export, in order. */
export const EXPORT_COLUMNS = /** @type {const} */ ([
  'link',
  'url',
  'shortUrl',
  'created',
  'expiresAt',
  'count',
  'bots',
]);

/** A file this module cannot read: `message` says why, in words for the person who chose it. */
export class LinkFileError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'LinkFileError';
  }
}

// ---------------------------------------------------------------------------------------------
// CSV (RFC 4180)

/**
 * The delimiter of a CSV text: the one of `,` `;` tab that occurs most often, outside quotes, in
 * its first record (spreadsheets in some locales write `;`). Defaults to `,`.
 * @param {string} text
 */
export function detectDelimiter(text) {
  /** @type {Record<string, number>} */
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const char of stripBom(text)) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && char in counts) counts[char] = (counts[char] ?? 0) + 1;
  }
  let best = ',';
  for (const [delimiter, count] of Object.entries(counts)) if (count > (counts[best] ?? 0)) best = delimiter;
  return best;
}

/**
 * Parses CSV into records of fields: quoted fields may hold delimiters, line breaks and `""` for a
 * quote; records end with CRLF, LF or CR; a byte-order mark and a final line break are ignored.
 * Blank lines are skipped. Throws LinkFileError on a quote left open.
 * @param {string} text
 * @param {string} [delimiter]
 * @returns {string[][]}
 */
export function parseCsv(text, delimiter = detectDelimiter(text)) {
  const source = stripBom(text);
  /** @type {string[][]} */
  const records = [];
  /** @type {string[]} */
  let record = [];
  let field = '';
  let quoted = false;
  let fieldStarted = false;
  const endRecord = () => {
    record.push(field);
    if (record.length > 1 || record[0] !== '') records.push(record);
    record = [];
    field = '';
    fieldStarted = false;
  };
  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    if (quoted) {
      if (char === '"') {
        if (source[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += char;
    } else if (char === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
    } else if (char === delimiter) {
      record.push(field);
      field = '';
      fieldStarted = false;
    } else if (char === '\r' || char === '\n') {
      if (char === '\r' && source[i + 1] === '\n') i++;
      endRecord();
    } else {
      field += char;
      fieldStarted = true;
    }
  }
  if (quoted) throw new LinkFileError('The CSV file ends inside a quoted field (a " is missing).');
  if (field !== '' || record.length > 0) endRecord();
  return records;
}

/**
 * Writes records as CSV with CRLF line ends, quoting fields that hold a delimiter, a quote, a line
 * break or surrounding spaces.
 * @param {readonly (readonly unknown[])[]} records
 */
export function toCsv(records) {
  return records.map((record) => record.map(csvField).join(',')).join('\r\n') + (records.length ? '\r\n' : '');
}

/** @param {unknown} value */
function csvField(value) {
  const text = value === undefined || value === null ? '' : String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** @param {string} text */
function stripBom(text) {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

// ---------------------------------------------------------------------------------------------
// Export

/**
 * Our CSV export: one header line (EXPORT_COLUMNS), then one line per link.
 * @param {readonly ExportedLink[]} links
 */
export function linksToCsv(links) {
  return toCsv([EXPORT_COLUMNS, ...links.map((link) => EXPORT_COLUMNS.map((column) => link[column] ?? ''))]);
}

/**
 * Our JSON export: an array of links exactly as the API returns them.
 * @param {readonly ExportedLink[]} links
 */
export function linksToJson(links) {
  return `${JSON.stringify(links, null, 2)}\n`;
}

// ---------------------------------------------------------------------------------------------
// Import: recognising a file and mapping its rows to {url, alias?, expiresAt?}

/** Lower case without spaces, `_` or `-`: "Destination URL", "long_url" and "longUrl" all match. */
const columnKey = (/** @type {string} */ name) => name.toLowerCase().replace(/[\s_-]/g, '');

/**
 * The last non-empty path segment of a short URL, `bit.ly/abc`, `/abc/` or a bare code.
 * @param {string} value
 */
export function codeOf(value) {
  const path =
    value
      .trim()
      .replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '')
      .split(/[?#]/)[0] ?? '';
  const last = path.split('/').filter(Boolean).at(-1) ?? '';
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

/**
 * How each known CSV layout is told apart (all `needs` columns present) and read. Checked in order;
 * `alias` and `expiresAt` may be absent from a file.
 * @type {{ source: LinkFile['source'], needs: string[], url: string[], alias: string[], aliasFromUrl?: boolean, expiresAt?: string[] }[]}
 */
const CSV_LAYOUTS = [
  // Shlink web client export: createdAt,domain,shortCode,shortUrl,longUrl,title,tags,visits;
  // shlink-importer's CSV: Long URL, Short code, Domain, Title, Tags.
  { source: 'shlink', needs: ['longurl', 'shortcode'], url: ['longurl'], alias: ['shortcode'] },
  // Bitly's export: Title, Link, Custom Link, Destination URL, Date Created, … (API field names
  // long_url, link, custom_bitlinks also accepted). Only a custom back-half becomes the alias:
  // a random bit.ly hash lives on Bitly's domain and means nothing here.
  {
    source: 'bitly',
    needs: ['destinationurl'],
    url: ['destinationurl'],
    alias: ['customlink', 'custombitlinks', 'custombackhalf'],
    aliasFromUrl: true,
  },
  {
    source: 'bitly',
    needs: ['longurl', 'link'],
    url: ['longurl'],
    alias: ['customlink', 'custombitlinks', 'custombackhalf'],
    aliasFromUrl: true,
  },
  // YOURLS: its `yourls_url` table as dumped (keyword,url,title,timestamp,ip,clicks) and the
  // YOURLS Import/Export plugin's CSV (source,target,hits with source = /keyword/).
  { source: 'yourls', needs: ['keyword', 'url'], url: ['url'], alias: ['keyword'] },
  { source: 'yourls', needs: ['source', 'target'], url: ['target'], alias: ['source'], aliasFromUrl: true },
  // Ours: link,url,shortUrl,created,expiresAt,count,bots — or a hand-made url[,alias][,expiresAt].
  { source: 'shortener', needs: ['url'], url: ['url'], alias: ['alias', 'link', 'code'], expiresAt: ['expiresat'] },
];

/**
 * Reads an import file (CSV or JSON, told apart by its first character) and maps each row to a
 * link to create. Throws LinkFileError when the file is not one of the known layouts.
 * @param {string} text
 * @returns {LinkFile}
 */
export function readLinkFile(text) {
  const content = stripBom(text).trim();
  if (content === '') throw new LinkFileError('The file is empty.');
  if (content.startsWith('[') || content.startsWith('{')) return readJson(content);
  return readCsv(content);
}

/** @param {string} content @returns {LinkFile} */
function readCsv(content) {
  const [header, ...records] = parseCsv(content);
  const keys = (header ?? []).map((name) => columnKey(name.trim()));
  const layout = CSV_LAYOUTS.find((candidate) => candidate.needs.every((key) => keys.includes(key)));
  if (!layout) {
    throw new LinkFileError(
      `Unknown CSV columns (${(header ?? []).join(', ')}). Expected our export (link, url, shortUrl, …), ` +
        'a "url" column, or an export of Bitly (Destination URL), Shlink (longUrl, shortCode) or YOURLS (keyword, url).',
    );
  }
  const column = (/** @type {string[]} */ names) => {
    for (const name of names) {
      const index = keys.indexOf(name);
      if (index >= 0) return index;
    }
    return -1;
  };
  const urlAt = column(layout.url);
  const aliasAt = column(layout.alias);
  const expiresAt = column(layout.expiresAt ?? []);
  const rows = records.map((record, index) => {
    const field = (/** @type {number} */ at) => (at >= 0 ? (record[at] ?? '').trim() : '');
    let alias = field(aliasAt);
    // Bitly may list several custom back-halves in one field; the first one is kept.
    if (layout.source === 'bitly') alias = alias.split(/[\s,|]+/)[0] ?? '';
    if (layout.aliasFromUrl) alias = codeOf(alias);
    return toRow(index, field(urlAt), alias, field(expiresAt));
  });
  return { source: layout.source, kind: 'csv', rows };
}

/** @param {string} content @returns {LinkFile} */
function readJson(content) {
  /** @type {unknown} */
  let data;
  try {
    data = JSON.parse(content);
  } catch {
    throw new LinkFileError('The file starts like JSON but is not valid JSON.');
  }
  // Ours: an array of links; also a saved page of GET /links ({items}) or {links: [...]}.
  const list = Array.isArray(data) ? data : isObject(data) && Array.isArray(data.items) ? data.items : undefined;
  if (list) return { source: 'shortener', kind: 'json', rows: list.map((item, index) => jsonRow(index, item, 'link')) };
  // YOURLS API `action=stats&format=json`: {links: {link_1: {shorturl, url, title, timestamp, ip, clicks}}}.
  if (isObject(data) && isObject(data.links)) {
    const items = Object.values(data.links);
    return { source: 'yourls', kind: 'json', rows: items.map((item, index) => jsonRow(index, item, 'shorturl')) };
  }
  if (isObject(data) && Array.isArray(data.links)) {
    return { source: 'shortener', kind: 'json', rows: data.links.map((item, index) => jsonRow(index, item, 'link')) };
  }
  throw new LinkFileError(
    'Unknown JSON layout. Expected an array of links (our export) or a YOURLS export ({"links": {...}}).',
  );
}

/**
 * @param {number} index
 * @param {unknown} item
 * @param {'link' | 'shorturl'} codeField
 * @returns {ImportRow}
 */
function jsonRow(index, item, codeField) {
  if (!isObject(item)) return { index, error: 'not an object' };
  const text = (/** @type {unknown} */ value) => (typeof value === 'string' ? value.trim() : '');
  const alias =
    codeField === 'shorturl'
      ? text(item.keyword) || codeOf(text(item.shorturl))
      : text(item.alias) || text(item.link) || text(item.code);
  return toRow(index, text(item.url), alias, text(item.expiresAt));
}

/**
 * @param {number} index @param {string} url @param {string} alias @param {string} expiresAt
 * @returns {ImportRow}
 */
function toRow(index, url, alias, expiresAt) {
  if (url === '') return { index, error: 'no destination URL in this row' };
  /** @type {LinkInput} */
  const input = { url };
  if (alias !== '') input.alias = alias;
  if (expiresAt !== '') input.expiresAt = expiresAt;
  return { index, input };
}

/** @param {unknown} value @returns {value is Record<string, unknown>} */
function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------
// Import: what to send, in chunks, and the per-row report

/**
 * The form a destination is stored in (WHATWG serialisation), so `https://Example.com` in a file
 * matches the stored `https://example.com/`. Unparseable URLs compare as written.
 * @param {string} url
 */
export function sameUrlKey(url) {
  try {
    return new URL(url).href;
  } catch {
    return url;
  }
}

/**
 * Decides which rows to send so that importing the same file twice creates nothing the second time:
 * - a row with an alias that already is one of the user's links with the same URL: "exists";
 * - a row without alias whose URL one of the user's links already has: "exists";
 * - a row repeating an earlier row of the file (same alias and URL, or same URL without alias): "exists";
 * - a row without a URL: "invalid", not sent;
 * - everything else is sent; the API decides (a taken alias → 409, a bad URL → 400).
 * @param {readonly ImportRow[]} rows
 * @param {readonly ExportedLink[]} existing the user's links (all pages)
 * @returns {ImportPlan}
 */
export function planImport(rows, existing) {
  const byCode = new Map(existing.map((link) => [link.link, link]));
  const byUrl = new Map();
  for (const link of existing) if (!byUrl.has(sameUrlKey(link.url))) byUrl.set(sameUrlKey(link.url), link);
  const seenInFile = new Set();
  /** @type {ImportPlan} */
  const plan = { send: [], settled: [] };
  for (const row of rows) {
    if (!row.input) {
      plan.settled.push({ index: row.index, status: 400, outcome: 'invalid', error: row.error ?? 'unreadable row' });
      continue;
    }
    const { input } = row;
    const urlKey = sameUrlKey(input.url);
    const owned = input.alias === undefined ? byUrl.get(urlKey) : byCode.get(input.alias);
    const fileKey = `${input.alias ?? ''}\n${urlKey}`;
    if (owned && sameUrlKey(owned.url) === urlKey) {
      plan.settled.push({ index: row.index, input, status: 200, outcome: 'exists', link: owned });
    } else if (seenInFile.has(fileKey)) {
      plan.settled.push({ index: row.index, input, status: 200, outcome: 'exists', error: 'repeats an earlier row' });
    } else {
      seenInFile.add(fileKey);
      plan.send.push({ index: row.index, input });
    }
  }
  return plan;
}

/**
 * Splits rows for `POST /links/bulk`: at most `maxRows` per request and a JSON body under `maxBytes`.
 * @template {{ input: LinkInput }} T
 * @param {readonly T[]} items
 * @param {{ maxRows?: number, maxBytes?: number }} [limits]
 * @returns {T[][]}
 */
export function chunkForBulk(items, { maxRows = BULK_MAX_ROWS, maxBytes = BULK_MAX_BYTES } = {}) {
  const encoder = new TextEncoder();
  /** @type {T[][]} */
  const chunks = [];
  /** @type {T[]} */
  let chunk = [];
  let bytes = 0;
  for (const item of items) {
    const size = encoder.encode(JSON.stringify(item.input)).length + 1;
    if (chunk.length > 0 && (chunk.length >= maxRows || bytes + size > maxBytes)) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(item);
    bytes += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

/** @param {number} status @returns {ImportOutcome} */
export function outcomeOf(status) {
  if (status === 201) return 'created';
  if (status === 200) return 'exists';
  if (status === 400) return 'invalid';
  if (status === 409) return 'taken';
  if (status === 429) return 'limited';
  return 'failed';
}

/**
 * The report of an import, one entry per row in file order: the rows the plan settled, and the
 * rows sent with the bulk results (concatenated across chunks, in the order of `plan.send`).
 * @param {ImportPlan} plan
 * @param {readonly BulkResult[]} results
 * @returns {ImportResult[]}
 */
export function importReport(plan, results) {
  const sent = plan.send.map(({ index, input }, position) => {
    const result = results[position];
    if (!result) return { index, input, status: 0, outcome: /** @type {const} */ ('failed'), error: 'not sent' };
    /** @type {ImportResult} */
    const entry = { index, input, status: result.status, outcome: outcomeOf(result.status) };
    if (result.link) entry.link = result.link;
    if (result.error) entry.error = result.error;
    return entry;
  });
  return [...plan.settled, ...sent].sort((a, b) => a.index - b.index);
}

/**
 * How many rows ended in each outcome.
 * @param {readonly ImportResult[]} report
 * @returns {Record<ImportOutcome, number>}
 */
export function summarise(report) {
  /** @type {Record<ImportOutcome, number>} */
  const counts = { created: 0, exists: 0, invalid: 0, taken: 0, limited: 0, failed: 0 };
  for (const entry of report) counts[entry.outcome]++;
  return counts;
}
