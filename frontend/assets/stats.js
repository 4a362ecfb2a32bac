// The stats window of one link: a bar chart of clicks per day (SVG drawn here, people and bots
// stacked), the same numbers as a table for screen readers, and the referrer, country, device and
// browser lists. It refreshes itself on the counts' rhythm while it is open.

import { Poller } from './poller.js';
import { el } from './ui.js';

const SVG = 'http://www.w3.org/2000/svg';
const DAY_MS = 24 * 60 * 60 * 1000;
const CHART = { height: 220, left: 44, right: 8, top: 12, bottom: 28 };
/** Drawn at the width it is shown (within these bounds), so its text stays readable on a phone. */
const CHART_WIDTH = { min: 300, max: 800, fallback: 640 };
const LISTS = /** @type {const} */ ([
  ['referrers', 'Referrers'],
  ['countries', 'Countries'],
  ['devices', 'Devices'],
  ['browsers', 'Browsers'],
]);

/**
 * @typedef {import('./api.js').Link} Link
 * @typedef {import('./api.js').LinksApi} LinksApi
 * @typedef {import('./api.js').Stats} Stats
 */

/** The last `days` UTC days ending today, as the stats API takes them. @param {number} days @param {number} [now] */
export function lastDays(days, now = Date.now()) {
  const iso = (/** @type {number} */ time) => new Date(time).toISOString().slice(0, 10);
  return { from: iso(now - (days - 1) * DAY_MS), to: iso(now) };
}

/** A round axis maximum at or above `value`: 1, 2, 5, 10, 20, 50… @param {number} value */
export function niceMax(value) {
  if (value <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 5, 10].find((factor) => factor * power >= value) ?? 10;
  return step * power;
}

/** @param {string} name @param {Record<string, string | number>} attributes @param {...Node} children */
function svg(name, attributes, ...children) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  node.append(...children);
  return node;
}

/** @param {string} text */
function svgText(text) {
  return document.createTextNode(text);
}

/**
 * The bar chart: one stacked bar per day (people below, bots above), a value axis and three dates.
 * @param {Stats['days']} days @param {string} labelledBy @param {number} [width] in CSS pixels
 */
export function barChart(days, labelledBy, width = CHART_WIDTH.fallback) {
  const { height, left, right, top, bottom } = CHART;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const max = niceMax(Math.max(0, ...days.map((day) => day.count + day.bots)));
  const slot = plotWidth / Math.max(days.length, 1);
  const barWidth = Math.max(slot * 0.75, 0.5);
  const y = (/** @type {number} */ value) => top + plotHeight - (value / max) * plotHeight;
  const chart = svg('svg', {
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-labelledby': labelledBy,
    class: 'bar-chart',
  });
  // A middle line only where it falls on a whole number of clicks.
  for (const tick of max % 2 === 0 ? [0, max / 2, max] : [0, max]) {
    chart.append(
      svg('line', { x1: left, x2: width - right, y1: y(tick), y2: y(tick), class: 'grid' }),
      svg('text', { x: left - 6, y: y(tick) + 4, class: 'axis', 'text-anchor': 'end' }, svgText(String(tick))),
    );
  }
  days.forEach((day, index) => {
    const x = left + index * slot + (slot - barWidth) / 2;
    const bar = svg(
      'g',
      { class: 'day' },
      svg('title', {}, svgText(`${day.date}: ${day.count} people, ${day.bots} bots`)),
    );
    if (day.count > 0)
      bar.append(svg('rect', { x, y: y(day.count), width: barWidth, height: y(0) - y(day.count), class: 'people' }));
    if (day.bots > 0)
      bar.append(
        svg('rect', {
          x,
          y: y(day.count + day.bots),
          width: barWidth,
          height: y(day.count) - y(day.count + day.bots),
          class: 'bots',
        }),
      );
    chart.append(bar);
  });
  const labelled = days.length > 2 ? [0, Math.floor(days.length / 2), days.length - 1] : days.map((_, index) => index);
  for (const index of labelled) {
    const day = days[index];
    if (!day) continue;
    // The first and last dates are anchored inside the chart, so neither is cut off at its edge.
    const anchor = index === 0 ? 'start' : index === days.length - 1 ? 'end' : 'middle';
    const x = anchor === 'start' ? left : anchor === 'end' ? width - right : left + index * slot + slot / 2;
    chart.append(svg('text', { x, y: height - 8, class: 'axis', 'text-anchor': anchor }, svgText(day.date.slice(5))));
  }
  chart.append(svg('line', { x1: left, x2: width - right, y1: y(0), y2: y(0), class: 'baseline' }));
  return chart;
}

/** @param {string} caption @param {string[]} headings @param {(string | number)[][]} rows */
function table(caption, headings, rows) {
  return el(
    'table',
    { class: 'stats-table' },
    el('caption', {}, caption),
    el(
      'thead',
      {},
      el('tr', {}, ...headings.map((heading, index) => el('th', { scope: 'col', class: index ? 'num' : '' }, heading))),
    ),
    el(
      'tbody',
      {},
      ...rows.map((cells) =>
        el(
          'tr',
          {},
          ...cells.map((cell, index) =>
            index === 0 ? el('th', { scope: 'row' }, String(cell)) : el('td', { class: 'num' }, String(cell)),
          ),
        ),
      ),
    ),
  );
}

const countryNames = (() => {
  try {
    return new Intl.DisplayNames(undefined, { type: 'region' });
  } catch {
    return null;
  }
})();

/** `DE` → `DE (Germany)`; `unknown` and `other` stay as they are. @param {string} code */
function countryLabel(code) {
  if (!/^[A-Z]{2}$/.test(code)) return code;
  const name = countryNames?.of(code);
  return name && name !== code ? `${code} (${name})` : code;
}

export class StatsWindow {
  /** @param {LinksApi} api */
  constructor(api) {
    this.api = api;
    const byId = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
    this.dialog = /** @type {HTMLDialogElement} */ (byId('stats-dialog'));
    this.title = byId('stats-title');
    this.range = /** @type {HTMLSelectElement} */ (byId('stats-range'));
    this.totals = byId('stats-totals');
    this.chart = byId('stats-chart');
    this.caption = byId('stats-caption');
    this.days = byId('stats-days');
    this.toggle = byId('stats-table-toggle');
    this.lists = byId('stats-lists');
    this.error = byId('stats-error');
    this.note = byId('stats-note');
    /** @type {Link | null} */
    this.link = null;
    /** The stats on screen, redrawn at the new width when the window is resized. @type {Stats | null} */
    this.shown = null;
    this.poller = new Poller(() => this.load(), { note: this.note });
    this.range.addEventListener('input', () => this.poller.start());
    this.toggle.addEventListener('click', () => {
      const show = this.toggle.getAttribute('aria-expanded') !== 'true';
      this.toggle.setAttribute('aria-expanded', String(show));
      this.toggle.textContent = show ? 'Hide the numbers' : 'Show the numbers';
      // Hidden only visually: screen readers always have the table.
      this.days.classList.toggle('visually-hidden', !show);
    });
    byId('stats-close').addEventListener('click', () => this.dialog.close());
    this.dialog.addEventListener('close', () => {
      this.poller.stop();
      this.link = null;
      this.shown = null;
    });
    window.addEventListener('resize', () => {
      if (this.shown) this.render(this.shown);
    });
  }

  /** @param {Link} link */
  open(link) {
    this.link = link;
    this.shown = null;
    this.title.textContent = `Stats for /${link.link}`;
    for (const part of [this.totals, this.chart, this.caption, this.days, this.lists, this.error])
      part.replaceChildren();
    this.totals.textContent = 'Loading…';
    this.dialog.showModal();
    this.poller.start();
  }

  async load() {
    const link = this.link;
    if (!link) return;
    let stats;
    try {
      stats = await this.api.stats(link.link, lastDays(Number(this.range.value)));
    } catch (error) {
      if (this.link === link) {
        this.error.textContent = error.message;
        if (this.chart.childElementCount === 0) this.totals.textContent = '';
      }
      throw error;
    }
    if (this.link !== link) return;
    this.error.textContent = '';
    this.render(stats);
  }

  /** @param {Stats} stats */
  render(stats) {
    this.shown = stats;
    this.totals.replaceChildren(
      el(
        'span',
        { class: 'total people' },
        el('strong', {}, String(stats.count)),
        ` ${stats.count === 1 ? 'person' : 'people'}`,
      ),
      el(
        'span',
        { class: 'total bots' },
        el('strong', {}, String(stats.bots)),
        ` ${stats.bots === 1 ? 'bot' : 'bots'}`,
      ),
    );
    this.caption.textContent = `Clicks per day from ${stats.from} to ${stats.to}: ${stats.count} by people, ${stats.bots} by bots (UTC days). The numbers for each day are in the table "Clicks per day".`;
    const shown = Math.round(this.chart.clientWidth) || CHART_WIDTH.fallback;
    const width = Math.min(Math.max(shown, CHART_WIDTH.min), CHART_WIDTH.max);
    this.chart.replaceChildren(barChart(stats.days, 'stats-caption', width));
    this.days.replaceChildren(
      table(
        'Clicks per day',
        ['Day (UTC)', 'People', 'Bots'],
        stats.days.map((day) => [day.date, day.count, day.bots]),
      ),
    );
    const share = (/** @type {number} */ count) => (stats.count ? `${Math.round((count / stats.count) * 100)}%` : '–');
    this.lists.replaceChildren(
      ...LISTS.map(([key, caption]) => {
        const entries = stats[key];
        if (entries.length === 0) return el('p', { class: 'stats-none' }, `${caption}: no visits by people yet.`);
        return table(
          caption,
          [
            key === 'referrers' ? 'From' : key === 'countries' ? 'Country' : key === 'devices' ? 'Device' : 'Browser',
            'People',
            'Share',
          ],
          entries.map((entry) => [
            key === 'countries' ? countryLabel(entry.name) : entry.name,
            entry.count,
            share(entry.count),
          ]),
        );
      }),
    );
    this.note.textContent = `Updates by itself. Last update: ${new Date().toLocaleTimeString()}.`;
  }
}
