// Account care: a forgotten password (ForgotPassword, then ConfirmForgotPassword with the e-mailed
// code), changing the password while signed in (ChangePassword), and the operators' take-down form.

import { busy, clearErrors, field, setError, setNotice } from './forms.js';
import { passwordProblems } from './password.js';
import { showToast } from './ui.js';

/**
 * @typedef {import('./cognito.js').CognitoClient} CognitoClient
 * @typedef {import('./session.js').Session} Session
 * @typedef {import('./api.js').LinksApi} LinksApi
 */

/** @param {string} id */
const form = (id) => /** @type {HTMLFormElement} */ (document.getElementById(id));

/**
 * @param {CognitoClient} cognito
 * @param {{ onReset: (email: string) => void }} events the password was reset: show the sign-in form
 */
export function setupPasswordReset(cognito, events) {
  const reset = form('reset-form');
  /** @type {HTMLElement} */ (document.getElementById('send-reset-code')).addEventListener('click', () => {
    clearErrors(reset);
    setNotice(reset, '');
    const email = field(reset, 'email').value.trim();
    if (!/^[^\s@]+@[^\s@]+$/.test(email)) {
      setError(reset, 'form', 'Please enter the e-mail address of your account first.');
      field(reset, 'email').focus();
      return;
    }
    busy(reset, async () => {
      try {
        await cognito.forgotPassword(email);
        setNotice(reset, `If ${email} has an account, a code is on its way. Type it in below with a new password.`);
        field(reset, 'code').focus();
      } catch (error) {
        setError(reset, 'form', error.message);
      }
    });
  });

  reset.addEventListener('submit', (event) => {
    event.preventDefault();
    clearErrors(reset);
    const email = field(reset, 'email').value.trim();
    const code = field(reset, 'code').value.trim();
    const password = field(reset, 'password').value;
    if (!email || !code) {
      setError(reset, 'form', 'Please enter your e-mail address and the code from the e-mail.');
      return;
    }
    const problems = passwordProblems(password);
    if (problems.length > 0) {
      setError(reset, 'form', `Your new password still needs ${problems.join(', ')}.`);
      field(reset, 'password').focus();
      return;
    }
    busy(reset, async () => {
      try {
        await cognito.confirmForgotPassword(email, code, password);
        reset.reset();
        events.onReset(email);
      } catch (error) {
        setError(reset, 'form', error.message);
      }
    });
  });
}

/** @param {CognitoClient} cognito @param {Session} session */
export function setupChangePassword(cognito, session) {
  const dialog = /** @type {HTMLDialogElement} */ (document.getElementById('password-dialog'));
  const change = form('password-form');
  /** @type {HTMLElement} */ (document.getElementById('change-password')).addEventListener('click', () => {
    change.reset();
    clearErrors(change);
    for (const item of change.querySelectorAll('li.met')) item.classList.remove('met');
    dialog.showModal();
    field(change, 'current').focus();
  });
  /** @type {HTMLElement} */ (document.getElementById('password-cancel')).addEventListener('click', () =>
    dialog.close(),
  );
  change.addEventListener('submit', (event) => {
    event.preventDefault();
    clearErrors(change);
    const current = field(change, 'current').value;
    const proposed = field(change, 'password').value;
    if (!current) {
      setError(change, 'form', 'Please type your current password.');
      field(change, 'current').focus();
      return;
    }
    const problems = passwordProblems(proposed);
    if (problems.length > 0) {
      setError(change, 'form', `Your new password still needs ${problems.join(', ')}.`);
      field(change, 'password').focus();
      return;
    }
    busy(change, async () => {
      try {
        await cognito.changePassword(await session.accessToken(), current, proposed);
        change.reset();
        dialog.close();
        showToast('Your password is changed. Use the new one next time you sign in.');
      } catch (error) {
        setError(change, 'form', error.message);
      }
    });
  });
}

/** @param {LinksApi} api @param {{ onChanged: () => void }} events */
export function setupOperatorForm(api, events) {
  const takeDown = form('operator-form');
  takeDown.addEventListener('submit', (event) => {
    event.preventDefault();
    clearErrors(takeDown);
    setNotice(takeDown, '');
    const disable = /** @type {SubmitEvent} */ (event).submitter?.getAttribute('value') !== 'enable';
    const code = field(takeDown, 'code').value.trim().replace(/^.*\//, '');
    const reason = field(takeDown, 'reason').value.trim();
    if (!code || !reason) {
      setError(takeDown, 'form', 'Please give the short code and a reason: both are logged.');
      return;
    }
    busy(takeDown, async () => {
      try {
        await api.setDisabled(code, disable, reason);
        setNotice(takeDown, disable ? `/${code} is disabled: it now answers 410 Gone.` : `/${code} works again.`);
        events.onChanged();
      } catch (error) {
        setError(takeDown, 'form', error.status === 403 ? 'Only operators can do this.' : error.message);
      }
    });
  });
}
