// "My links": the table with paging and delete, the hit counter, and the click counts that
// refresh on their own while the tab is visible.

import { copyText, el, formatDate, showToast } from './ui.js';

/** Often enough that a click shows within seconds, rarely enough to be gentle on the API. */
export const REFRESH_INTERVAL_MS = 12 * 1000;
const MAX_BACKOFF_MS = 2 * 60 * 1000;
const PAGE_SIZE = 20;
/** The hit counter sums over at most this many links (pages of 100). */
const TOTAL_PAGES_CAP = 5;

/**
 * @typedef {import('./api.js').Link} Link
 * @typedef {import('./api.js').LinksApi} LinksApi
 */

export class LinksView {
  /** @param {LinksApi} api */
  constructor(api) {
    this.api = api;
    this.body = /** @type {HTMLTableSectionElement} */ (document.getElementById('links-body'));
    this.empty = /** @type {HTMLElement} */ (document.getElementById('links-empty'));
    this.error = /** @type {HTMLElement} */ (document.getElementById('links-error'));
    this.nextButton = /** @type {HTMLButtonElement} */ (document.getElementById('next-page'));
    this.firstButton = /** @type {HTMLButtonElement} */ (document.getElementById('first-page'));
    this.note = /** @type {HTMLElement} */ (document.getElementById('refresh-note'));
    this.dialog = /** @type {HTMLDialogElement} */ (document.getElementById('delete-dialog'));
    /** Cursor of the page on screen (undefined = first page) and of the next one. */
    this.cursor = undefined;
    this.nextCursor = undefined;
    this.active = false;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.timer = undefined;
    this.failures = 0;
    this.lastRefresh = 0;

    this.nextButton.addEventListener('click', () => this.turnPage(this.nextCursor));
    this.firstButton.addEventListener('click', () => this.turnPage(undefined));
    document.addEventListener('visibilitychange', () => this.onVisibility());
  }

  /** Shows the first page, then starts the automatic refresh. */
  async start() {
    this.active = true;
    await this.showPage(undefined);
    // The hit counter follows in the background: the table is usable already.
    this.refreshCounts();
  }

  stop() {
    this.active = false;
    this.unschedule();
    this.body.replaceChildren();
    this.cursor = undefined;
    this.nextCursor = undefined;
    setCounter(0);
  }

  /** @param {string | undefined} cursor */
  async showPage(cursor) {
    try {
      const page = await this.api.list({ limit: PAGE_SIZE, cursor });
      this.cursor = cursor;
      this.nextCursor = page.nextCursor;
      this.body.replaceChildren(...page.items.map((link) => this.row(link)));
      this.error.textContent = '';
      this.updatePager();
    } catch (error) {
      this.error.textContent = error.message;
    }
  }

  /** Paging by button keeps keyboard focus on the table, as the button may disappear. @param {string | undefined} cursor */
  async turnPage(cursor) {
    await this.showPage(cursor);
    /** @type {HTMLElement | null} */ (this.body.closest('table'))?.focus();
  }

  updatePager() {
    const rows = this.body.rows.length;
    this.empty.hidden = rows > 0 || this.cursor !== undefined;
    this.nextButton.hidden = !this.nextCursor;
    this.firstButton.hidden = this.cursor === undefined;
  }

  /** Puts a link just created at the top of the first page. @param {Link} link */
  async prepend(link) {
    if (this.cursor !== undefined) await this.showPage(undefined);
    if (!this.body.querySelector(`tr[data-link="${CSS.escape(link.link)}"]`)) {
      const row = this.row(link);
      row.classList.add('fresh');
      this.body.prepend(row);
    }
    this.updatePager();
  }

  /** @param {Link} link */
  row(link) {
    const short = el('a', { href: link.shortUrl, target: '_blank', rel: 'noopener', class: 'short' }, link.shortUrl);
    const destination = el('span', { class: 'destination', title: link.url }, link.url);
    const copy = el('button', { type: 'button', class: 'bevel small' }, 'Copy');
    copy.setAttribute('aria-label', `Copy ${link.shortUrl}`);
    copy.addEventListener('click', () => copyText(link.shortUrl));
    const remove = el('button', { type: 'button', class: 'bevel small danger' }, 'Delete');
    remove.setAttribute('aria-label', `Delete ${link.link}`);
    remove.addEventListener('click', () => this.confirmDelete(link));
    const row = el(
      'tr',
      { 'data-link': link.link },
      el('td', { 'data-label': 'Short link' }, short),
      el('td', { 'data-label': 'Destination', class: 'destination-cell' }, destination),
      el('td', { 'data-label': 'Created' }, el('time', { datetime: link.created }, formatDate(link.created))),
      el('td', { 'data-label': 'Clicks', class: 'num clicks' }, String(link.count)),
      el('td', { class: 'actions' }, copy, remove),
    );
    return row;
  }

  /** @param {Link} link */
  confirmDelete(link) {
    const code = /** @type {HTMLElement} */ (document.getElementById('delete-code'));
    code.textContent = `/${link.link}`;
    this.dialog.returnValue = '';
    this.dialog.addEventListener(
      'close',
      () => {
        if (this.dialog.returnValue === 'delete') this.remove(link);
      },
      { once: true },
    );
    this.dialog.showModal();
  }

  /** @param {Link} link */
  async remove(link) {
    try {
      await this.api.remove(link.link);
      showToast(`Deleted /${link.link}.`);
    } catch (error) {
      // Someone (another tab) already deleted it: the goal is reached.
      if (error.status !== 404) {
        this.error.textContent = error.message;
        return;
      }
    }
    this.body.querySelector(`tr[data-link="${CSS.escape(link.link)}"]`)?.remove();
    if (this.body.rows.length === 0 && this.cursor !== undefined) await this.showPage(undefined);
    this.updatePager();
    // The focused Delete button is gone with its row: keep keyboard users in the table.
    /** @type {HTMLElement | null} */ (this.body.closest('table'))?.focus();
    this.refreshCounts();
  }

  /**
   * Re-reads the user's links (pages of 100, capped), updates the counts shown and the hit counter,
   * then schedules the next round. Failures back off exponentially; a hidden tab is not polled.
   */
  async refreshCounts() {
    this.unschedule();
    if (!this.active) return;
    if (document.visibilityState !== 'visible') return;
    try {
      let total = 0;
      let complete = false;
      /** @type {string | undefined} */
      let cursor;
      for (let pages = 0; pages < TOTAL_PAGES_CAP; pages++) {
        const page = await this.api.list({ limit: 100, cursor });
        for (const link of page.items) {
          total += link.count;
          this.updateCount(link);
        }
        cursor = page.nextCursor;
        if (!cursor) {
          complete = true;
          break;
        }
      }
      if (!this.active) return;
      setCounter(total);
      this.failures = 0;
      this.lastRefresh = Date.now();
      this.note.textContent = `Click counts update by themselves${complete ? '' : ' (total of your newest 500 links)'}. Last update: ${new Date().toLocaleTimeString()}.`;
    } catch {
      this.failures++;
    }
    if (!this.active) return;
    const delay = Math.min(REFRESH_INTERVAL_MS * 2 ** this.failures, MAX_BACKOFF_MS);
    this.schedule(delay);
  }

  /** @param {number} delay */
  schedule(delay) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refreshCounts(), delay);
    // When the next update is due (epoch ms): lets tests and curious users see the polling rhythm.
    this.note.dataset.nextRefresh = String(Date.now() + delay);
  }

  unschedule() {
    clearTimeout(this.timer);
    delete this.note.dataset.nextRefresh;
  }

  /** @param {Link} link */
  updateCount(link) {
    const cell = this.body.querySelector(`tr[data-link="${CSS.escape(link.link)}"] .clicks`);
    if (cell && cell.textContent !== String(link.count)) {
      cell.textContent = String(link.count);
      cell.classList.remove('bumped');
      // Reflow so the highlight animation restarts on every change.
      void (/** @type {HTMLElement} */ (cell).offsetWidth);
      cell.classList.add('bumped');
    }
  }

  onVisibility() {
    if (!this.active) return;
    if (document.visibilityState === 'hidden') {
      this.unschedule();
    } else if (Date.now() - this.lastRefresh >= REFRESH_INTERVAL_MS) {
      this.refreshCounts();
    } else {
      this.schedule(REFRESH_INTERVAL_MS - (Date.now() - this.lastRefresh));
    }
  }
}

/** The odometer: six digit wheels, more when the user is that popular. @param {number} total */
function setCounter(total) {
  const digits = /** @type {HTMLElement} */ (document.getElementById('hit-counter-digits'));
  const text = /** @type {HTMLElement} */ (document.getElementById('hit-counter-total'));
  digits.replaceChildren(...[...String(total).padStart(6, '0')].map((digit) => el('span', {}, digit)));
  text.textContent = `${total} ${total === 1 ? 'time' : 'times'}`;
}
