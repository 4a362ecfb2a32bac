// The user pool's password policy (lib/stack/auth.ts, lib/local/provision.ts), shown up front and
// checked as the user types: 12+ characters, an upper- and a lowercase letter, a digit and a symbol.

export const MIN_PASSWORD_LENGTH = 12;

/** Cognito's list of symbols; a space counts too, but not at either end. */
const SYMBOLS = /[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+-]|\S \S/;

/** @type {Record<string, { test: (password: string) => boolean, need: string }>} */
export const PASSWORD_RULES = {
  length: { test: (p) => p.length >= MIN_PASSWORD_LENGTH, need: `at least ${MIN_PASSWORD_LENGTH} characters` },
  upper: { test: (p) => /[A-Z]/.test(p), need: 'an uppercase letter' },
  lower: { test: (p) => /[a-z]/.test(p), need: 'a lowercase letter' },
  digit: { test: (p) => /[0-9]/.test(p), need: 'a digit' },
  symbol: { test: (p) => SYMBOLS.test(p), need: 'a symbol' },
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
 * Ticks each rule in the list as it is met.
 * @param {HTMLInputElement} input
 * @param {HTMLElement} list
 */
export function showPasswordRules(input, list) {
  const update = () => {
    for (const [name, rule] of Object.entries(PASSWORD_RULES)) {
      const item = list.querySelector(`[data-rule="${name}"]`);
      item?.classList.toggle('met', rule.test(input.value));
    }
  };
  input.addEventListener('input', update);
  update();
}
