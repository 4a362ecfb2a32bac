// The off switch for the marquee and the blinking. Starts off for people who asked their system
// for reduced motion; the choice is remembered.

const STORAGE_KEY = 'retro-shortener.motion';

export function setupMotionToggle() {
  const button = /** @type {HTMLButtonElement} */ (document.getElementById('motion-toggle'));
  const stored = localStorage.getItem(STORAGE_KEY);
  const reduced = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  apply(stored ? stored === 'still' : reduced);
  button.addEventListener('click', () => {
    const still = document.documentElement.classList.contains('moving');
    localStorage.setItem(STORAGE_KEY, still ? 'still' : 'moving');
    apply(still);
  });

  /** @param {boolean} still */
  function apply(still) {
    // Animations only run under html.moving, so nothing moves before this module has decided.
    document.documentElement.classList.toggle('moving', !still);
    // A toggle button keeps its name; aria-pressed (and the sunken look) carries the state.
    button.setAttribute('aria-pressed', String(still));
  }
}
