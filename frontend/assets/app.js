// Entry point: reads /config.json, restores the session and wires the forms.

import { setupChangePassword, setupOperatorForm, setupPasswordReset } from './account.js';
import { LinksApi } from './api.js';
import { CognitoClient } from './cognito.js';
import { busy, clearErrors, clearFieldErrorsOnInput, field, setError, setNotice } from './forms.js';
import { LinksView } from './links.js';
import { setupMotionToggle } from './motion.js';
import { passwordProblems, showAllPasswordRules } from './password.js';
import { QrWindow } from './qr.js';
import { Session } from './session.js';
import { StatsWindow } from './stats.js';
import { TransferWindow } from './transfer.js';
import { copyText } from './ui.js';

/** Members of this Cognito group may disable and re-enable anyone's link. */
const OPERATORS_GROUP = 'operators';

/** @param {string} id */
const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

const PANELS = ['sign-in-panel', 'sign-up-panel', 'confirm-panel', 'reset-panel'];

/** @param {string} id  @param {{ focus?: boolean }} [options] */
function showPanel(id, { focus = true } = {}) {
  for (const panel of PANELS) byId(panel).hidden = panel !== id;
  // Focus the first field still to fill in, so keyboard users land where they need to type.
  const inputs = [...byId(id).querySelectorAll('input')];
  if (focus) (inputs.find((input) => !input.value) ?? inputs[0])?.focus();
}

async function loadConfig() {
  // Default cache mode, so the preloaded response in index.html is used; the server sends no-cache.
  const response = await fetch('/config.json');
  if (!response.ok) throw new Error(`config.json answered ${response.status}`);
  const config = await response.json();
  if (!config?.cognito?.endpoint || !config.cognito.clientId) throw new Error('config.json has no Cognito settings');
  return config;
}

async function main() {
  setupMotionToggle();
  const bootStatus = byId('boot-status');
  let config;
  try {
    config = await loadConfig();
  } catch {
    bootStatus.textContent = 'Sorry, the page could not load its settings. Please reload in a minute.';
    return;
  }

  const cognito = new CognitoClient(config.cognito);
  const session = new Session(cognito, {
    onSignedOut: (message) => showSignedOut(message),
    onSignedInElsewhere: () => {
      if (byId('signed-in').hidden) showSignedIn();
    },
  });
  const api = new LinksApi(session);
  const stats = new StatsWindow(api);
  const qr = new QrWindow();
  const links = new LinksView(api, { onStats: (link) => stats.open(link), onQr: (link) => qr.open(link) });
  new TransferWindow(api, links);

  const signInForm = /** @type {HTMLFormElement} */ (byId('sign-in-form'));
  const signUpForm = /** @type {HTMLFormElement} */ (byId('sign-up-form'));
  const confirmForm = /** @type {HTMLFormElement} */ (byId('confirm-form'));
  const resetForm = /** @type {HTMLFormElement} */ (byId('reset-form'));
  const shortenForm = /** @type {HTMLFormElement} */ (byId('shorten-form'));
  const accountForms = [signInForm, signUpForm, confirmForm, resetForm];
  for (const form of [...accountForms, shortenForm]) clearFieldErrorsOnInput(form);

  /** @param {string} [message] */
  function showSignedOut(message = '') {
    links.stop();
    byId('signed-in').hidden = true;
    byId('signed-out').hidden = false;
    byId('new-link').hidden = true;
    clearErrors(signInForm);
    setError(signInForm, 'form', message);
    setNotice(signInForm, '');
    showPanel('sign-in-panel', { focus: Boolean(message) });
  }

  async function showSignedIn() {
    byId('signed-out').hidden = true;
    byId('signed-in').hidden = false;
    byId('user-email').textContent = session.email;
    byId('operator-window').hidden = !session.groups.includes(OPERATORS_GROUP);
    await links.start();
  }

  for (const button of document.querySelectorAll('[data-show]')) {
    button.addEventListener('click', () => {
      const target = /** @type {HTMLElement} */ (button).dataset.show ?? 'sign-in-panel';
      // Carry the e-mail over, so nobody types it twice.
      const email = accountForms.map((form) => field(form, 'email').value).find(Boolean);
      for (const form of accountForms) {
        if (email && !field(form, 'email').value) field(form, 'email').value = email;
      }
      showPanel(target);
    });
  }

  signInForm.addEventListener('submit', (event) => {
    event.preventDefault();
    clearErrors(signInForm);
    setNotice(signInForm, '');
    const email = field(signInForm, 'email').value.trim();
    const password = field(signInForm, 'password').value;
    if (!email || !password) {
      setError(signInForm, 'form', 'Please enter your e-mail address and password.');
      return;
    }
    busy(signInForm, async () => {
      try {
        session.start(await cognito.signIn(email, password), field(signInForm, 'keep').checked);
        field(signInForm, 'password').value = '';
        const shown = showSignedIn();
        byId('shorten-url').focus();
        await shown;
      } catch (error) {
        if (error.code === 'UserNotConfirmedException') {
          field(confirmForm, 'email').value = email;
          showPanel('confirm-panel');
          setError(confirmForm, 'form', error.message);
          return;
        }
        setError(signInForm, 'form', error.message);
        field(signInForm, 'password').focus();
      }
    });
  });

  showAllPasswordRules();
  setupPasswordReset(cognito, {
    onReset: (email) => {
      field(signInForm, 'email').value = email;
      showPanel('sign-in-panel');
      setNotice(signInForm, 'Your password is reset. Sign in with the new one.');
    },
  });
  setupChangePassword(cognito, session);
  setupOperatorForm(api, { onChanged: () => links.refreshNow() });
  signUpForm.addEventListener('submit', (event) => {
    event.preventDefault();
    clearErrors(signUpForm);
    const email = field(signUpForm, 'email').value.trim();
    const password = field(signUpForm, 'password').value;
    if (!/^[^\s@]+@[^\s@]+$/.test(email)) {
      setError(signUpForm, 'form', 'Please enter a valid e-mail address.');
      field(signUpForm, 'email').focus();
      return;
    }
    const problems = passwordProblems(password);
    if (problems.length > 0) {
      setError(signUpForm, 'form', `Your password still needs ${problems.join(', ')}.`);
      field(signUpForm, 'password').focus();
      return;
    }
    busy(signUpForm, async () => {
      try {
        await cognito.signUp(email, password);
        field(confirmForm, 'email').value = email;
        field(signInForm, 'email').value = email;
        field(signUpForm, 'password').value = '';
        clearErrors(confirmForm);
        setNotice(confirmForm, `We sent a confirmation code to ${email}. Type it in below.`);
        showPanel('confirm-panel');
      } catch (error) {
        setError(signUpForm, 'form', error.message);
      }
    });
  });

  confirmForm.addEventListener('submit', (event) => {
    event.preventDefault();
    clearErrors(confirmForm);
    const email = field(confirmForm, 'email').value.trim();
    const code = field(confirmForm, 'code').value.trim();
    if (!email || !code) {
      setError(confirmForm, 'form', 'Please enter your e-mail address and the code from the e-mail.');
      return;
    }
    busy(confirmForm, async () => {
      try {
        await cognito.confirmSignUp(email, code);
        field(confirmForm, 'code').value = '';
        field(signInForm, 'email').value = email;
        showPanel('sign-in-panel');
        setNotice(signInForm, 'Your account is confirmed. Welcome aboard! Now sign in.');
      } catch (error) {
        setError(confirmForm, 'form', error.message);
      }
    });
  });

  byId('resend-code').addEventListener('click', () => {
    clearErrors(confirmForm);
    setNotice(confirmForm, '');
    const email = field(confirmForm, 'email').value.trim();
    if (!email) {
      setError(confirmForm, 'form', 'Please enter your e-mail address first.');
      return;
    }
    busy(confirmForm, async () => {
      try {
        await cognito.resendCode(email);
        setNotice(confirmForm, `A new code is on its way to ${email}.`);
      } catch (error) {
        setError(confirmForm, 'form', error.message);
      }
    });
  });

  shortenForm.addEventListener('submit', (event) => {
    event.preventDefault();
    clearErrors(shortenForm);
    const url = field(shortenForm, 'url').value.trim();
    const alias = field(shortenForm, 'alias').value.trim();
    const expires = field(shortenForm, 'expiresAt').value;
    if (!url) {
      setError(shortenForm, 'url', 'Please paste the long URL you want to shorten.');
      field(shortenForm, 'url').focus();
      return;
    }
    const expiresAt = expires ? new Date(expires) : undefined;
    if (expiresAt && Number.isNaN(expiresAt.getTime())) {
      setError(shortenForm, 'expiresAt', 'Please pick a complete date and time, or leave the field empty.');
      field(shortenForm, 'expiresAt').focus();
      return;
    }
    busy(shortenForm, async () => {
      try {
        const link = await api.create(url, alias || undefined, expiresAt?.toISOString());
        // Keep anything typed while the request was on its way.
        if (field(shortenForm, 'url').value.trim() === url && field(shortenForm, 'alias').value.trim() === alias) {
          shortenForm.reset();
        }
        const anchor = /** @type {HTMLAnchorElement} */ (byId('new-link-url'));
        anchor.href = link.shortUrl;
        anchor.textContent = link.shortUrl;
        byId('new-link').hidden = false;
        links.prepend(link);
        byId('new-link-copy').focus();
      } catch (error) {
        const slot = fieldForApiError(error, Boolean(alias), Boolean(expires));
        setError(shortenForm, slot, error.message);
        if (slot !== 'form') field(shortenForm, slot).focus();
      }
    });
  });

  byId('new-link-copy').addEventListener('click', () => copyText(byId('new-link-url').textContent ?? ''));

  byId('sign-out').addEventListener('click', () => {
    // The tokens are gone at once; the revoke at Cognito finishes in the background.
    session.signOut();
    showSignedOut();
    setNotice(signInForm, 'You are signed out. See you on the information superhighway!');
    field(signInForm, 'email').focus();
  });

  if (await session.restore()) await showSignedIn();
  else {
    // An expired session has already shown its message on the sign-in form; keep it.
    if (byId('signed-out').hidden) showSignedOut();
    // Signed in in another tab of this page? It hands its session over (onSignedInElsewhere).
    if (!session.lapsed) session.askOtherTabs();
  }
  bootStatus.hidden = true;
  document.documentElement.dataset.ready = 'true';
  performance.mark('interactive');
}

/**
 * Which field an API error belongs next to: a taken or invalid alias to the alias field, a bad
 * expiry to the expiry field, other validation errors to the URL field, anything else (auth,
 * quota, server) to the whole form.
 * @param {{ status?: number, message: string }} error
 * @param {boolean} hasAlias
 * @param {boolean} hasExpiry
 */
function fieldForApiError(error, hasAlias, hasExpiry) {
  if (error.status === 409) return 'alias';
  if (error.status === 400 || error.status === 413) {
    if (hasAlias && /alias|reserved/i.test(error.message)) return 'alias';
    if (hasExpiry && /expir/i.test(error.message)) return 'expiresAt';
    return 'url';
  }
  return 'form';
}

main();
