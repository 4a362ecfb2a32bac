// The user pool's password policy (lib/stack/auth.ts, lib/local/provision.ts), shown up front and
// checked as the user types: 12+ characters, an upper- and a lowercase letter, a digit and a symbol.

export const MIN_PASSWORD_LENGTH = 12;

/** Cognito's list of symbols; a space counts too, but not at either end. */
const SYMBOLS = /[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+-]|\S \S/;

/** @type {Record<string, { test: (password: string) => boolean, need: string, shown: string }>} */
export const PASSWORD_RULES = {
  length: {
    test: (p) => p.length >= MIN_PASSWORD_LENGTH,
    need: `at least ${MIN_PASSWORD_LENGTH} characters`,
    shown: `at least ${MIN_PASSWORD_LENGTH} characters`,
  },
  upper: { test: (p) => /[A-Z]/.test(p), need: 'an uppercase letter', shown: 'an UPPERCASE letter' },
  lower: { test: (p) => /[a-z]/.test(p), need: 'a lowercase letter', shown: 'a lowercase letter' },
  digit: { test: (p) => /[0-9]/.test(p), need: 'a digit', shown: 'a digit (0–9)' },
  symbol: { test: (p) => SYMBOLS.test(p), need: 'a symbol', shown: 'a symbol, such as ! @ # $ % ^ & *' },
};

/** What the password still lacks, in words; empty when it meets the policy. @param {string} password */
export function passwordProblems(password) {
  const problems = Object.values(PASSWORD_RULES)
    .filter((rule) => !rule.test(password))
    .map((rule) => rule.need);
  if (password !== password.trim()) problems.push('no space at the start or end');
  return problems;
}

/**
 * Writes the rules into `list` and ticks each one as the password typed into `input` meets it.
 * @param {HTMLInputElement} input
 * @param {HTMLElement} list
 */
export function showPasswordRules(input, list) {
  const intro = document.createElement('p');
  intro.textContent = 'Your password needs:';
  const items = document.createElement('ul');
  for (const [name, rule] of Object.entries(PASSWORD_RULES)) {
    const item = document.createElement('li');
    item.dataset.rule = name;
    item.textContent = rule.shown;
    items.append(item);
  }
  list.replaceChildren(intro, items);
  const update = () => {
    for (const [name, rule] of Object.entries(PASSWORD_RULES)) {
      const item = list.querySelector(`[data-rule="${name}"]`);
      item?.classList.toggle('met', rule.test(input.value));
    }
  };
  input.addEventListener('input', update);
  update();
}

/** Shows the rules next to every new-password field of the page (`[data-rules-for]`). */
export function showAllPasswordRules() {
  for (const list of document.querySelectorAll('[data-rules-for]')) {
    const input = document.getElementById(/** @type {HTMLElement} */ (list).dataset.rulesFor ?? '');
    if (input instanceof HTMLInputElement) showPasswordRules(input, /** @type {HTMLElement} */ (list));
  }
}
