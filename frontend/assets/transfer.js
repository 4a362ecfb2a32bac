// Import and export. An import reads the file in the browser (link-files.js, shared with the
// command-line client), settles the rows already there, asks the API for a dry run, shows what
// would happen to every row, and writes only when the user confirms. Export downloads every link
// with its counts as CSV or JSON.

import { download, el, showToast } from './ui.js';

/** The file formats, loaded on the first import or export: most visits need neither. */
const linkFiles = () => import('./link-files.js');

/**
 * @typedef {import('./api.js').LinksApi} LinksApi
 * @typedef {import('./api.js').Link} Link
 * @typedef {import('./links.js').LinksView} LinksView
 * @typedef {import('./link-files.d.ts').ImportPlan} ImportPlan
 * @typedef {import('./link-files.d.ts').ImportResult} ImportResult
 * @typedef {import('./link-files.d.ts').BulkResult} BulkResult
 */

const SOURCES = {
  shortener: 'a Retro Shortener export or a list of URLs',
  bitly: 'a Bitly export',
  shlink: 'a Shlink export',
  yourls: 'a YOURLS export',
};

/** What happens to a row, in words: before (dry run) and after the import. @param {ImportResult} entry @param {boolean} dryRun */
export function describeOutcome(entry, dryRun) {
  const reason = entry.error ? `: ${entry.error}` : '';
  switch (entry.outcome) {
    case 'created':
      return dryRun ? 'Will be created' : `Created /${entry.link?.link ?? ''}`;
    case 'exists':
      return entry.error ? `Skipped: ${entry.error}` : `Already in your links as /${entry.link?.link ?? ''}`;
    case 'invalid':
      return `Not valid${reason}`;
    case 'taken':
      return `Alias taken${reason}`;
    case 'limited':
      return `Over your quota${reason}`;
    default:
      return `Failed${reason}`;
  }
}

export class TransferWindow {
  /** @param {LinksApi} api @param {LinksView} links */
  constructor(api, links) {
    this.api = api;
    this.links = links;
    const byId = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
    this.file = /** @type {HTMLInputElement} */ (byId('import-file'));
    this.status = byId('import-status');
    this.error = byId('import-error');
    this.report = byId('import-report');
    this.reportTitle = byId('import-report-title');
    this.summary = byId('import-summary');
    this.rows = byId('import-rows');
    this.confirm = /** @type {HTMLButtonElement} */ (byId('import-confirm'));
    this.cancel = /** @type {HTMLButtonElement} */ (byId('import-cancel'));
    /** The checked import waiting for confirmation. @type {{ plan: ImportPlan, report: ImportResult[] } | null} */
    this.pending = null;

    this.file.addEventListener('change', () => this.check());
    this.confirm.addEventListener('click', () => this.run());
    this.cancel.addEventListener('click', () => this.reset('Import cancelled: nothing was created.'));
    byId('export-csv').addEventListener('click', () => this.exportAs('csv'));
    byId('export-json').addEventListener('click', () => this.exportAs('json'));
  }

  /** @param {string} [message] */
  reset(message = '') {
    this.pending = null;
    this.report.hidden = true;
    this.rows.replaceChildren();
    this.file.value = '';
    this.status.textContent = message;
    this.error.textContent = '';
  }

  /** Reads the chosen file and shows the dry run's report. */
  async check() {
    const file = this.file.files?.[0];
    this.pending = null;
    this.report.hidden = true;
    this.error.textContent = '';
    if (!file) return;
    if (!this.links.complete) {
      this.error.textContent = 'Your links are still loading. Please choose the file again in a moment.';
      this.file.value = '';
      return;
    }
    this.status.textContent = `Checking ${file.name}…`;
    try {
      const { chunkForBulk, importReport, planImport, readLinkFile, summarise } = await linkFiles();
      const parsed = readLinkFile(await file.text());
      const plan = planImport(parsed.rows, this.links.allLinks().map(exported));
      /** @type {BulkResult[]} */
      const results = [];
      for (const chunk of chunkForBulk(plan.send)) {
        const answer = await this.api.bulk(
          chunk.map((row) => row.input),
          true,
        );
        results.push(...answer.results);
      }
      const report = importReport(plan, results);
      this.pending = { plan, report };
      const counts = summarise(report);
      this.status.textContent = '';
      this.show(
        report,
        true,
        `${file.name} is ${SOURCES[parsed.source]} with ${report.length} ${report.length === 1 ? 'row' : 'rows'}. Nothing has been created yet.`,
        counts,
      );
      this.confirm.hidden = counts.created === 0;
      this.confirm.textContent = `Import ${counts.created} ${counts.created === 1 ? 'link' : 'links'}`;
      this.cancel.textContent = counts.created === 0 ? 'Close' : 'Cancel';
    } catch (error) {
      this.status.textContent = '';
      this.error.textContent =
        error?.name === 'LinkFileError' ? `Cannot read ${file.name}: ${error.message}` : error.message;
      this.file.value = '';
    }
  }

  /** Creates the rows the dry run said would be created, then shows what happened. */
  async run() {
    if (!this.pending) return;
    const { chunkForBulk, importReport, summarise } = await linkFiles();
    const { plan, report } = this.pending;
    const creatable = new Set(report.filter((entry) => entry.outcome === 'created').map((entry) => entry.index));
    const toSend = { ...plan, send: plan.send.filter((row) => creatable.has(row.index)) };
    // Rows the dry run refused keep their verdict; they are not sent again.
    const kept = { send: [], settled: report.filter((entry) => !creatable.has(entry.index)) };
    this.confirm.disabled = true;
    this.cancel.disabled = true;
    this.status.textContent = `Importing ${toSend.send.length} links…`;
    /** @type {BulkResult[]} */
    const results = [];
    try {
      for (const chunk of chunkForBulk(toSend.send)) {
        const answer = await this.api.bulk(
          chunk.map((row) => row.input),
          false,
        );
        results.push(...answer.results);
      }
    } catch (error) {
      this.error.textContent = `${error.message} The rows listed as created below were created; the others were not.`;
    } finally {
      this.confirm.disabled = false;
      this.cancel.disabled = false;
    }
    const final = [...importReport({ send: toSend.send, settled: [] }, results), ...importReport(kept, [])].sort(
      (a, b) => a.index - b.index,
    );
    const created = final.flatMap((entry) =>
      entry.outcome === 'created' && entry.link ? [/** @type {Link} */ (entry.link)] : [],
    );
    this.links.add(created.reverse());
    this.pending = null;
    this.status.textContent = '';
    this.show(
      final,
      false,
      `Import finished: ${created.length} ${created.length === 1 ? 'link' : 'links'} created.`,
      summarise(final),
    );
    this.confirm.hidden = true;
    this.cancel.textContent = 'Close';
    this.file.value = '';
    showToast(`Imported ${created.length} ${created.length === 1 ? 'link' : 'links'}.`);
    this.links.refreshNow();
  }

  /**
   * @param {ImportResult[]} report @param {boolean} dryRun @param {string} heading
   * @param {Record<string, number>} counts outcomes counted by `summarise`
   */
  show(report, dryRun, heading, counts) {
    const parts = [
      [counts.created, dryRun ? 'will be created' : 'created'],
      [counts.exists, 'already there'],
      [counts.invalid, 'not valid'],
      [counts.taken, 'alias taken'],
      [counts.limited, 'over quota'],
      [counts.failed, 'failed'],
    ].filter(([count]) => Number(count) > 0);
    this.reportTitle.textContent = dryRun ? 'Dry run: what the import would do' : 'Import report';
    this.summary.replaceChildren(
      el('span', {}, heading),
      ' ',
      el('strong', {}, parts.map(([count, what]) => `${count} ${what}`).join(', ') || 'No rows.'),
    );
    this.rows.replaceChildren(
      ...report.map((entry) =>
        el(
          'tr',
          { 'data-outcome': entry.outcome },
          el('td', { class: 'num', 'data-label': 'Row' }, String(entry.index + 1)),
          el(
            'td',
            { 'data-label': 'Destination' },
            el('span', { class: 'destination', title: entry.input?.url ?? '' }, entry.input?.url ?? '–'),
          ),
          el('td', { 'data-label': 'Alias' }, entry.input?.alias ?? ''),
          el('td', { class: 'outcome', 'data-label': 'What happens' }, describeOutcome(entry, dryRun)),
        ),
      ),
    );
    this.report.hidden = false;
    this.reportTitle.focus();
  }

  /** @param {'csv' | 'json'} format */
  async exportAs(format) {
    if (!this.links.complete) {
      this.error.textContent = 'Your links are still loading. Please try again in a moment.';
      return;
    }
    const links = this.links.allLinks().map(exported);
    const { linksToCsv, linksToJson } = await linkFiles();
    const day = new Date().toISOString().slice(0, 10);
    download(
      format === 'csv'
        ? new Blob([linksToCsv(links)], { type: 'text/csv' })
        : new Blob([linksToJson(links)], { type: 'application/json' }),
      `short-links-${day}.${format}`,
    );
    showToast(`Exported ${links.length} ${links.length === 1 ? 'link' : 'links'} as ${format.toUpperCase()}.`);
  }
}

/** A link in the export's shape (bots 0 where the API has not sent it). @param {Link} link */
function exported(link) {
  /** @type {import('./link-files.d.ts').ExportedLink} */
  const out = {
    link: link.link,
    url: link.url,
    shortUrl: link.shortUrl,
    created: link.created,
    count: link.count,
    bots: link.bots ?? 0,
  };
  if (link.expiresAt) out.expiresAt = link.expiresAt;
  return out;
}
