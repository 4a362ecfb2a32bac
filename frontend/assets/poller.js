// A task that runs again and again while the tab is visible: the click counts and the stats window.
// Failures back off exponentially up to 2 minutes, and never sooner than the API's Retry-After
// (429 quota or 503 overload), so a busy service is not hammered by every open page.

/** Often enough that a click shows within seconds, rarely enough to be gentle on the API. */
export const REFRESH_INTERVAL_MS = 12 * 1000;
export const MAX_BACKOFF_MS = 2 * 60 * 1000;

export class Poller {
  /**
   * @param {() => Promise<void>} task
   * @param {{ interval?: () => number, note?: HTMLElement }} [options] `note` gets `data-next-refresh`
   *   (epoch ms of the next run), so tests and curious users can see the rhythm
   */
  constructor(task, { interval = () => REFRESH_INTERVAL_MS, note } = {}) {
    this.task = task;
    this.interval = interval;
    this.note = note;
    this.active = false;
    this.failures = 0;
    this.lastRun = 0;
    /** The delay planned after the last run: a tab coming back waits out a back-off too. */
    this.delay = 0;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.timer = undefined;
    document.addEventListener('visibilitychange', () => this.onVisibility());
  }

  /** Runs the task now, then on its rhythm. */
  start() {
    this.active = true;
    this.failures = 0;
    return this.run();
  }

  stop() {
    this.active = false;
    this.unschedule();
  }

  async run() {
    this.unschedule();
    if (!this.active || document.visibilityState !== 'visible') return;
    let delay;
    try {
      await this.task();
      this.failures = 0;
      delay = this.interval();
    } catch (error) {
      this.failures++;
      const backoff = Math.min(this.interval() * 2 ** this.failures, MAX_BACKOFF_MS);
      delay = Math.max(backoff, Math.min(error?.retryAfterMs ?? 0, 60 * 60 * 1000));
    }
    this.lastRun = Date.now();
    this.delay = delay;
    if (this.active) this.schedule(delay);
  }

  /** @param {number} delay */
  schedule(delay) {
    clearTimeout(this.timer);
    if (document.visibilityState !== 'visible') return;
    this.timer = setTimeout(() => this.run(), delay);
    if (this.note) this.note.dataset.nextRefresh = String(Date.now() + delay);
  }

  unschedule() {
    clearTimeout(this.timer);
    if (this.note) delete this.note.dataset.nextRefresh;
  }

  onVisibility() {
    if (!this.active) return;
    if (document.visibilityState === 'hidden') this.unschedule();
    else if (Date.now() - this.lastRun >= this.delay) this.run();
    else this.schedule(this.delay - (Date.now() - this.lastRun));
  }
}
