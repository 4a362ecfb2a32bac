// Entry point: reads /config.json, restores the session and wires the forms.

import { LinksApi } from './api.js';
import { CognitoClient } from './cognito.js';
import { LinksView } from './links.js';
import { setupMotionToggle } from './motion.js';
import { passwordProblems, showPasswordRules } from './password.js';
import { Session } from './session.js';
import { copyText } from './ui.js';

/** @param {string} id */
const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/** @param {HTMLFormElement} form @param {string} name */
const field = (form, name) => /** @type {HTMLInputElement} */ (form.elements.namedItem(name));

/** Shows `message` in the form's error slot for `slot` ("form" or a field name); marks the field invalid. */
function setError(/** @type {HTMLFormElement} */ form, /** @type {string} */ slot, /** @type {string} */ message) {
  const target = form.querySelector(`[data-error-for="${slot}"]`);
  if (target) target.textContent = message;
  const input = slot === 'form' ? null : field(form, slot);
  if (input) {
    if (message) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }
}

/** @param {HTMLFormElement} form */
function clearErrors(form) {
  for (const slot of form.querySelectorAll('[data-error-for]')) slot.textContent = '';
  for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
}

/** @param {HTMLFormElement} form @param {string} text */
function setNotice(form, text) {
  const notice = form.querySelector('[data-notice]');
  if (notice) notice.textContent = text;
}

/** Disables the form's buttons while `work` runs, so a double click sends one request. */
async function busy(/** @type {HTMLFormElement} */ form, /** @type {() => Promise<void>} */ work) {
  const buttons = [...form.querySelectorAll('button')];
  const focused = document.activeElement;
  for (const button of buttons) button.disabled = true;
  form.setAttribute('aria-busy', 'true');
  try {
    await work();
  } finally {
    for (const button of buttons) button.disabled = false;
    form.removeAttribute('aria-busy');
    // Disabling the pressed button dropped the focus; give it back unless the work moved it on purpose.
    if (document.activeElement === document.body && focused instanceof HTMLElement && focused.isConnected) {
      focused.focus();
    }
  }
}

const PANELS = ['sign-in-panel', 'sign-up-panel', 'confirm-panel'];

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
  const session = new Session(cognito, { onSignedOut: (message) => showSignedOut(message) });
  const api = new LinksApi(session);
  const links = new LinksView(api);

  const signInForm = /** @type {HTMLFormElement} */ (byId('sign-in-form'));
  const signUpForm = /** @type {HTMLFormElement} */ (byId('sign-up-form'));
  const confirmForm = /** @type {HTMLFormElement} */ (byId('confirm-form'));
  const shortenForm = /** @type {HTMLFormElement} */ (byId('shorten-form'));

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
    await links.start();
  }

  for (const button of document.querySelectorAll('[data-show]')) {
    button.addEventListener('click', () => {
      const target = /** @type {HTMLElement} */ (button).dataset.show ?? 'sign-in-panel';
      // Carry the e-mail over, so nobody types it twice.
      const email = [signInForm, signUpForm, confirmForm].map((form) => field(form, 'email').value).find(Boolean);
      for (const form of [signInForm, signUpForm, confirmForm]) {
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
        session.start(await cognito.signIn(email, password));
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

  showPasswordRules(field(signUpForm, 'password'), byId('password-rules'));
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
    if (!url) {
      setError(shortenForm, 'url', 'Please paste the long URL you want to shorten.');
      field(shortenForm, 'url').focus();
      return;
    }
    busy(shortenForm, async () => {
      try {
        const link = await api.create(url, alias || undefined);
        // Keep anything typed while the request was on its way.
        if (field(shortenForm, 'url').value.trim() === url && field(shortenForm, 'alias').value.trim() === alias) {
          shortenForm.reset();
        }
        const anchor = /** @type {HTMLAnchorElement} */ (byId('new-link-url'));
        anchor.href = link.shortUrl;
        anchor.textContent = link.shortUrl;
        byId('new-link').hidden = false;
        await links.prepend(link);
        byId('new-link-copy').focus();
      } catch (error) {
        const slot = fieldForApiError(error, Boolean(alias));
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
  // An expired session has already shown its message on the sign-in form; keep it.
  else if (byId('signed-out').hidden) showSignedOut();
  bootStatus.hidden = true;
  document.documentElement.dataset.ready = 'true';
  performance.mark('interactive');
}

/**
 * Which field an API error belongs next to: a taken or invalid alias to the alias field, other
 * validation errors to the URL field, anything else (auth, server) to the whole form.
 * @param {{ status?: number, message: string }} error
 * @param {boolean} hasAlias
 */
function fieldForApiError(error, hasAlias) {
  if (error.status === 409) return 'alias';
  if (error.status === 400 || error.status === 413)
    return hasAlias && /alias|reserved/i.test(error.message) ? 'alias' : 'url';
  return 'form';
}

main();
