// Small DOM helpers shared by the page's modules.

/**
 * Creates an element; text children become text nodes, so API data is never parsed as HTML.
 * @param {string} tag
 * @param {Record<string, string>} attributes
 * @param {...(Node | string)} children
 */
export function el(tag, attributes, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

/** @param {string} iso */
export function formatDate(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });
}

/** @type {ReturnType<typeof setTimeout> | undefined} */
let toastTimer;

/** A short message in the polite live region at the bottom of the page. @param {string} message */
export function showToast(message) {
  const toast = /** @type {HTMLElement} */ (document.getElementById('toast'));
  toast.textContent = message;
  toast.classList.add('visible');
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => toast.classList.remove('visible'), 4000);
}

/** Copies to the clipboard, with the old select-and-copy path for browsers that refuse. @param {string} text */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const area = /** @type {HTMLTextAreaElement} */ (el('textarea', { readonly: '', class: 'visually-hidden' }));
    area.value = text;
    document.body.append(area);
    area.select();
    const copied = document.execCommand('copy');
    area.remove();
    if (!copied) {
      showToast('Could not copy. Select the link and press Ctrl+C.');
      return;
    }
  }
  showToast(`Copied ${text} to the clipboard.`);
}

/** An ISO instant as the local `YYYY-MM-DDTHH:mm` a datetime-local input takes. @param {string} iso */
export function localInputValue(iso) {
  const date = new Date(iso);
  const pad = (/** @type {number} */ n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** Offers `blob` as a download named `name`. @param {Blob} blob @param {string} name */
export function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const anchor = el('a', { href: url, download: name, class: 'visually-hidden' });
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  // The browser has taken the file by the next task; the URL is no longer needed.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
