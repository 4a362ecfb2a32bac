// Types of link-files.js for TypeScript callers (the command-line client and the tests).

/** One link to create, as `POST /links` and `POST /links/bulk` take it. */
export interface LinkInput {
  url: string;
  alias?: string;
  expiresAt?: string;
}

/** A link as the API returns it, and as our export writes it. */
export interface ExportedLink {
  link: string;
  url: string;
  shortUrl: string;
  created: string;
  count: number;
  bots: number;
  expiresAt?: string;
}

/** One data row of an import file: `input` when it could be read, `error` otherwise. `index` is 0-based. */
export interface ImportRow {
  index: number;
  input?: LinkInput;
  error?: string;
}

export interface LinkFile {
  /** Whose export the file is: ours (or a plain url list), Bitly's, Shlink's or YOURLS'. */
  source: 'shortener' | 'bitly' | 'shlink' | 'yourls';
  kind: 'csv' | 'json';
  rows: ImportRow[];
}

/** One entry of `POST /links/bulk`'s `results`. */
export interface BulkResult {
  index: number;
  status: number;
  link?: ExportedLink;
  error?: string;
}

/** created 201 · exists 200 (already one of the user's links, or a repeat in the file) · invalid 400 · taken 409 · limited 429 · failed otherwise. */
export type ImportOutcome = 'created' | 'exists' | 'invalid' | 'taken' | 'limited' | 'failed';

export interface ImportResult {
  index: number;
  input?: LinkInput;
  status: number;
  outcome: ImportOutcome;
  link?: ExportedLink;
  error?: string;
}

export interface ImportPlan {
  /** Rows to send to the API, in file order. */
  send: { index: number; input: LinkInput }[];
  /** Rows decided without the API (already there, repeated, unreadable). */
  settled: ImportResult[];
}

export const BULK_MAX_ROWS: number;
export const BULK_MAX_BYTES: number;
export const EXPORT_COLUMNS: readonly ['link', 'url', 'shortUrl', 'created', 'expiresAt', 'count', 'bots'];

export class LinkFileError extends Error {
  constructor(message: string);
}

export function detectDelimiter(text: string): string;
export function parseCsv(text: string, delimiter?: string): string[][];
export function toCsv(records: readonly (readonly unknown[])[]): string;
export function linksToCsv(links: readonly ExportedLink[]): string;
export function linksToJson(links: readonly ExportedLink[]): string;
export function codeOf(value: string): string;
export function readLinkFile(text: string): LinkFile;
export function sameUrlKey(url: string): string;
export function planImport(rows: readonly ImportRow[], existing: readonly ExportedLink[]): ImportPlan;
export function chunkForBulk<T extends { input: LinkInput }>(
  items: readonly T[],
  limits?: { maxRows?: number; maxBytes?: number },
): T[][];
export function outcomeOf(status: number): ImportOutcome;
export function importReport(plan: ImportPlan, results: readonly BulkResult[]): ImportResult[];
export function summarise(report: readonly ImportResult[]): Record<ImportOutcome, number>;
