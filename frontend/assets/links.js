// "My links": every link of the user loaded page by page, searched, filtered, sorted and paged in the
// browser; the hit counter; the click counts that refresh on their own while the tab is visible;
// edit and delete.

import { clearErrors, setError } from './forms.js';
import { Poller, REFRESH_INTERVAL_MS } from './poller.js';
import { copyText, el, formatDate, localInputValue, showToast } from './ui.js';

export { REFRESH_INTERVAL_MS };

const PAGE_SIZE = 20;
/** One refresh reads every page of 100; past 500 links the rhythm slows by 12 s per 500 more. */
const LINKS_PER_INTERVAL = 500;

/**
 * @typedef {import('./api.js').Link} Link
 * @typedef {import('./api.js').LinksApi} LinksApi
 * @typedef {'active' | 'expired' | 'disabled'} LinkState
 */

/** @param {Link} link @param {number} [now] @returns {LinkState} */
export function linkState(link, now = Date.now()) {
  if (link.disabled) return 'disabled';
  if (link.expiresAt && Date.parse(link.expiresAt) <= now) return 'expired';
  return 'active';
}

/** @type {Record<string, (a: Link, b: Link) => number>} */
const SORTS = {
  newest: (a, b) => b.created.localeCompare(a.created),
  oldest: (a, b) => a.created.localeCompare(b.created),
  'most-clicks': (a, b) => b.count - a.count || b.created.localeCompare(a.created),
  'fewest-clicks': (a, b) => a.count - b.count || b.created.localeCompare(a.created),
  code: (a, b) => a.link.localeCompare(b.link),
  destination: (a, b) => a.url.localeCompare(b.url) || a.link.localeCompare(b.link),
};

/**
 * The links to show: those whose code or destination contains `query` (any case) and whose state
 * matches `state`, in the chosen order. Pure, so it is cheap to run on every keystroke.
 * @param {readonly Link[]} links
 * @param {{ query: string, state: string, sort: string }} view
 * @param {number} [now]
 */
export function selectLinks(links, { query, state, sort }, now = Date.now()) {
  const needle = query.trim().toLowerCase();
  const chosen = links.filter(
    (link) =>
      (state === 'all' || linkState(link, now) === state) &&
      (!needle || link.link.toLowerCase().includes(needle) || link.url.toLowerCase().includes(needle)),
  );
  return chosen.sort(SORTS[sort] ?? SORTS.newest);
}

export class LinksView {
  /** @param {LinksApi} api @param {{ onStats: (link: Link) => void, onQr: (link: Link) => void }} actions */
  constructor(api, actions) {
    this.api = api;
    this.actions = actions;
    const byId = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
    this.body = /** @type {HTMLTableSectionElement} */ (byId('links-body'));
    this.table = /** @type {HTMLTableElement} */ (this.body.closest('table'));
    this.empty = byId('links-empty');
    this.error = byId('links-error');
    this.summary = byId('links-summary');
    this.nextButton = /** @type {HTMLButtonElement} */ (byId('next-page'));
    this.previousButton = /** @type {HTMLButtonElement} */ (byId('previous-page'));
    this.firstButton = /** @type {HTMLButtonElement} */ (byId('first-page'));
    this.note = byId('refresh-note');
    this.deleteDialog = /** @type {HTMLDialogElement} */ (byId('delete-dialog'));
    this.editDialog = /** @type {HTMLDialogElement} */ (byId('edit-dialog'));
    this.editForm = /** @type {HTMLFormElement} */ (byId('edit-form'));
    this.search = /** @type {HTMLInputElement} */ (byId('links-search'));
    this.stateFilter = /** @type {HTMLSelectElement} */ (byId('links-state'));
    this.sort = /** @type {HTMLSelectElement} */ (byId('links-sort'));
    /** Every link of the user, newest first as the API lists them. @type {Link[]} */
    this.links = [];
    /** Whether `links` holds all of them (the first load is progressive). */
    this.complete = false;
    /** Index of the first row shown, in the selected links. */
    this.offset = 0;
    /** Codes just created here, highlighted until the next sign-in. */
    this.fresh = new Set();
    /** @type {Link | null} */
    this.editing = null;
    this.poller = new Poller(() => this.refresh(), {
      note: this.note,
      interval: () => REFRESH_INTERVAL_MS * Math.max(1, Math.ceil(this.links.length / LINKS_PER_INTERVAL)),
    });

    this.nextButton.addEventListener('click', () => this.turnPage(this.offset + PAGE_SIZE));
    this.previousButton.addEventListener('click', () => this.turnPage(this.offset - PAGE_SIZE));
    this.firstButton.addEventListener('click', () => this.turnPage(0));
    for (const control of [this.search, this.stateFilter, this.sort]) {
      control.addEventListener('input', () => {
        this.offset = 0;
        this.render();
      });
    }
    this.editForm.addEventListener('submit', (event) => {
      event.preventDefault();
      this.saveEdit();
    });
    const never = /** @type {HTMLInputElement} */ (this.editForm.elements.namedItem('never'));
    const expiry = /** @type {HTMLInputElement} */ (this.editForm.elements.namedItem('expiresAt'));
    never.addEventListener('change', () => {
      expiry.disabled = never.checked;
    });
    byId('edit-cancel').addEventListener('click', () => this.editDialog.close());
  }

  /** Loads every link (the first 100 show at once, the rest follow), then keeps the counts fresh. */
  async start() {
    this.poller.active = true;
    try {
      /** @type {Link[]} */
      const loaded = [];
      for await (const items of this.api.all()) {
        if (!this.poller.active) return;
        loaded.push(...items);
        this.links = [...loaded];
        this.render();
      }
      this.complete = true;
      this.error.textContent = '';
    } catch (error) {
      this.error.textContent = error.message;
    }
    this.render();
    setCounter(this.links);
    this.poller.lastRun = Date.now();
    this.poller.delay = this.poller.interval();
    this.poller.schedule(this.poller.delay);
  }

  stop() {
    this.poller.stop();
    this.links = [];
    this.complete = false;
    this.offset = 0;
    this.fresh.clear();
    this.search.value = '';
    this.body.replaceChildren();
    setCounter([]);
  }

  /** Every link, as shown in the table (for the export). */
  allLinks() {
    return this.links;
  }

  /** Re-reads every link: new counts, and links created or deleted elsewhere. Throws to back off. */
  async refresh() {
    /** @type {Link[]} */
    const loaded = [];
    for await (const items of this.api.all()) loaded.push(...items);
    if (!this.poller.active) return;
    this.links = loaded;
    this.complete = true;
    this.error.textContent = '';
    const before = [...this.body.rows].map((row) => row.dataset.link);
    const shown = this.visible().map((link) => link.link);
    if (before.join('\n') === shown.join('\n')) {
      // Same rows: update in place, so focus and reading position stay where they are.
      for (const link of this.visible()) this.updateRow(link);
      this.updateSummary();
    } else {
      const hadFocus = this.table.contains(document.activeElement);
      this.render();
      if (hadFocus && !this.table.contains(document.activeElement)) this.table.focus();
    }
    setCounter(this.links);
    this.note.textContent = `Click counts update by themselves. Last update: ${new Date().toLocaleTimeString()}.`;
  }

  /** Runs a refresh now (after an import, say) without waiting for the rhythm. */
  refreshNow() {
    return this.poller.run();
  }

  selected() {
    return selectLinks(this.links, { query: this.search.value, state: this.stateFilter.value, sort: this.sort.value });
  }

  visible() {
    return this.selected().slice(this.offset, this.offset + PAGE_SIZE);
  }

  render() {
    const selected = this.selected();
    if (this.offset >= selected.length)
      this.offset = Math.max(0, Math.floor((selected.length - 1) / PAGE_SIZE) * PAGE_SIZE);
    this.body.replaceChildren(...selected.slice(this.offset, this.offset + PAGE_SIZE).map((link) => this.row(link)));
    this.empty.hidden = this.links.length > 0 || !this.complete;
    this.nextButton.hidden = this.offset + PAGE_SIZE >= selected.length;
    this.previousButton.hidden = this.offset === 0;
    this.firstButton.hidden = this.offset < 2 * PAGE_SIZE;
    this.updateSummary(selected.length);
  }

  updateSummary(matching = this.selected().length) {
    const total = this.links.length;
    const filtered = this.search.value.trim() !== '' || this.stateFilter.value !== 'all';
    const range = matching === 0 ? 'none' : `${this.offset + 1}–${Math.min(this.offset + PAGE_SIZE, matching)}`;
    const loading = this.complete ? '' : ' (still loading…)';
    this.summary.textContent =
      total === 0
        ? `No links${loading}`
        : filtered
          ? `Showing ${range} of ${matching} matching links (${total} in all)${loading}`
          : `Showing ${range} of ${total} links${loading}`;
  }

  /** Paging by button keeps keyboard focus on the table, as the button may disappear. @param {number} offset */
  turnPage(offset) {
    this.offset = Math.max(0, offset);
    this.render();
    this.table.focus();
  }

  /** Puts a link just created at the top. @param {Link} link */
  prepend(link) {
    this.links = [link, ...this.links.filter((other) => other.link !== link.link)];
    this.fresh.add(link.link);
    this.offset = 0;
    this.render();
    setCounter(this.links);
  }

  /** @param {Link[]} created links created elsewhere on the page (the import) */
  add(created) {
    const codes = new Set(created.map((link) => link.link));
    this.links = [...created, ...this.links.filter((link) => !codes.has(link.link))];
    this.render();
  }

  /** @param {Link} link */
  row(link) {
    const short = el('a', { href: link.shortUrl, target: '_blank', rel: 'noopener', class: 'short' }, link.shortUrl);
    const destination = el('span', { class: 'destination', title: link.url }, link.url);
    const button = (/** @type {string} */ text, /** @type {string} */ label, /** @type {() => void} */ act) => {
      const node = el('button', { type: 'button', class: 'bevel small', 'aria-label': label }, text);
      node.addEventListener('click', act);
      return node;
    };
    const remove = button('Delete', `Delete ${link.link}`, () => this.confirmDelete(link));
    remove.classList.add('danger');
    const row = el(
      'tr',
      { 'data-link': link.link },
      el('td', { 'data-label': 'Short link' }, short),
      el('td', { 'data-label': 'Destination', class: 'destination-cell' }, destination),
      el('td', { 'data-label': 'Created' }, el('time', { datetime: link.created }, formatDate(link.created))),
      el('td', { 'data-label': 'Status', class: 'state' }),
      el(
        'td',
        { 'data-label': 'Clicks', class: 'num' },
        el('span', { class: 'clicks' }, String(link.count)),
        el('span', { class: 'bot-count' }),
      ),
      el(
        'td',
        { class: 'actions' },
        button('Stats', `Stats for ${link.link}`, () => this.actions.onStats(this.current(link))),
        button('QR', `QR code for ${link.link}`, () => this.actions.onQr(this.current(link))),
        button('Edit', `Edit ${link.link}`, () => this.openEdit(this.current(link))),
        button('Copy', `Copy ${link.shortUrl}`, () => copyText(link.shortUrl)),
        remove,
      ),
    );
    if (this.fresh.has(link.link)) row.classList.add('fresh');
    this.updateRow(link, row);
    return row;
  }

  /** The latest copy of a link (the row's closure holds the one it was drawn with). @param {Link} link */
  current(link) {
    return this.links.find((other) => other.link === link.link) ?? link;
  }

  /** Counts and state of a row on screen. @param {Link} link @param {HTMLElement | null} [found] */
  updateRow(link, found) {
    const row = found ?? this.body.querySelector(`tr[data-link="${CSS.escape(link.link)}"]`);
    if (!row) return;
    const cell = /** @type {HTMLElement} */ (row.querySelector('.clicks'));
    if (cell.textContent !== String(link.count)) {
      const first = cell.textContent === '';
      cell.textContent = String(link.count);
      if (!first) {
        cell.classList.remove('bumped');
        // Reflow so the highlight animation restarts on every change.
        void cell.offsetWidth;
        cell.classList.add('bumped');
      }
    }
    const bots = /** @type {HTMLElement} */ (row.querySelector('.bot-count'));
    bots.textContent = link.bots ? `+${link.bots} ${link.bots === 1 ? 'bot' : 'bots'}` : '';
    const state = linkState(link);
    const stateCell = /** @type {HTMLElement} */ (row.querySelector('.state'));
    const text =
      state === 'disabled'
        ? `Disabled by an operator${link.disabled?.reason ? `: ${link.disabled.reason}` : ''}`
        : state === 'expired'
          ? 'Expired'
          : link.expiresAt
            ? `Expires ${formatDate(link.expiresAt)}`
            : 'Active';
    if (stateCell.textContent !== text) stateCell.textContent = text;
    row.dataset.state = state;
    const destination = /** @type {HTMLElement} */ (row.querySelector('.destination'));
    if (destination.textContent !== link.url) {
      destination.textContent = link.url;
      destination.title = link.url;
    }
  }

  /** @param {Link} link */
  openEdit(link) {
    this.editing = link;
    const form = this.editForm;
    clearErrors(form);
    /** @type {HTMLElement} */ (document.getElementById('edit-code')).textContent = `/${link.link}`;
    const url = /** @type {HTMLInputElement} */ (form.elements.namedItem('url'));
    const expiry = /** @type {HTMLInputElement} */ (form.elements.namedItem('expiresAt'));
    const never = /** @type {HTMLInputElement} */ (form.elements.namedItem('never'));
    url.value = link.url;
    expiry.value = link.expiresAt ? localInputValue(link.expiresAt) : '';
    never.checked = !link.expiresAt;
    expiry.disabled = never.checked;
    this.editDialog.showModal();
    url.focus();
  }

  async saveEdit() {
    const link = this.editing;
    if (!link) return;
    const form = this.editForm;
    const url = /** @type {HTMLInputElement} */ (form.elements.namedItem('url'));
    const expiry = /** @type {HTMLInputElement} */ (form.elements.namedItem('expiresAt'));
    const never = /** @type {HTMLInputElement} */ (form.elements.namedItem('never'));
    const say = (/** @type {string} */ slot, /** @type {string} */ message) => setError(form, slot, message);
    clearErrors(form);
    /** @type {{ url?: string, expiresAt?: string | null }} */
    const changes = {};
    if (url.value.trim() !== link.url) changes.url = url.value.trim();
    if (never.checked) {
      if (link.expiresAt) changes.expiresAt = null;
    } else {
      const when = new Date(expiry.value);
      if (!expiry.value || Number.isNaN(when.getTime())) {
        say('expiresAt', 'Please pick the date and time the link should stop working, or tick "Never expires".');
        expiry.focus();
        return;
      }
      if (when.toISOString() !== link.expiresAt) changes.expiresAt = when.toISOString();
    }
    if (Object.keys(changes).length === 0) {
      this.editDialog.close();
      return;
    }
    const buttons = [...form.querySelectorAll('button')];
    for (const button of buttons) button.disabled = true;
    try {
      const updated = await this.api.update(link.link, changes);
      this.links = this.links.map((other) => (other.link === updated.link ? updated : other));
      this.editDialog.close();
      this.render();
      showToast(`Saved /${updated.link}.`);
      /** @type {HTMLElement | null} */ (
        this.body.querySelector(`tr[data-link="${CSS.escape(updated.link)}"] [aria-label^="Edit"]`)
      )?.focus();
    } catch (error) {
      const slot = error.status === 400 ? (/expir/i.test(error.message) ? 'expiresAt' : 'url') : 'form';
      say(slot, error.message);
    } finally {
      for (const button of buttons) button.disabled = false;
    }
  }

  /** @param {Link} link */
  confirmDelete(link) {
    const code = /** @type {HTMLElement} */ (document.getElementById('delete-code'));
    code.textContent = `/${link.link}`;
    this.deleteDialog.returnValue = '';
    this.deleteDialog.addEventListener(
      'close',
      () => {
        if (this.deleteDialog.returnValue === 'delete') this.remove(link);
      },
      { once: true },
    );
    this.deleteDialog.showModal();
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
    this.links = this.links.filter((other) => other.link !== link.link);
    this.render();
    setCounter(this.links);
    // The focused Delete button is gone with its row: keep keyboard users in the table.
    this.table.focus();
  }
}

/** The odometer: six digit wheels, more when the user is that popular. @param {readonly Link[]} links */
function setCounter(links) {
  const total = links.reduce((sum, link) => sum + link.count, 0);
  const digits = /** @type {HTMLElement} */ (document.getElementById('hit-counter-digits'));
  const text = /** @type {HTMLElement} */ (document.getElementById('hit-counter-total'));
  digits.replaceChildren(...[...String(total).padStart(6, '0')].map((digit) => el('span', {}, digit)));
  text.textContent = `${total} ${total === 1 ? 'time' : 'times'}`;
}
