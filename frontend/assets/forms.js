// Form helpers shared by the page's forms: errors next to fields, notices, and busy buttons.

/** @param {HTMLFormElement} form @param {string} name */
export const field = (form, name) => /** @type {HTMLInputElement} */ (form.elements.namedItem(name));

/** Shows `message` in the form's error slot for `slot` ("form" or a field name); marks the field invalid. */
export function setError(
  /** @type {HTMLFormElement} */ form,
  /** @type {string} */ slot,
  /** @type {string} */ message,
) {
  const target = form.querySelector(`[data-error-for="${slot}"]`);
  if (target) target.textContent = message;
  const input = slot === 'form' ? null : field(form, slot);
  if (input) {
    if (message) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }
}

/** @param {HTMLFormElement} form */
export function clearErrors(form) {
  for (const slot of form.querySelectorAll('[data-error-for]')) slot.textContent = '';
  for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
}

/** An error about a field goes once its value changes: it described what was there before. */
export function clearFieldErrorsOnInput(/** @type {HTMLFormElement} */ form) {
  form.addEventListener('input', (event) => {
    const input = /** @type {HTMLInputElement} */ (event.target);
    if (input.name && input.hasAttribute('aria-invalid')) setError(form, input.name, '');
  });
}

/** @param {HTMLFormElement} form @param {string} text */
export function setNotice(form, text) {
  const notice = form.querySelector('[data-notice]');
  if (notice) notice.textContent = text;
}

/** Disables the form's buttons while `work` runs, so a double click sends one request. */
export async function busy(/** @type {HTMLFormElement} */ form, /** @type {() => Promise<void>} */ work) {
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
