// QR codes of short links: encoded by the vendored qrcode-generator (MIT, loaded on first use),
// drawn here as an SVG built from DOM nodes, downloadable as SVG and as PNG. The PNG is painted
// module by module on a canvas, so no image has to be loaded from a blob: or data: URL and the
// page's Content-Security-Policy stays as strict as it is.

import { download, el } from './ui.js';

const SVG = 'http://www.w3.org/2000/svg';
/** Light modules around the code, as the QR specification asks. */
const QUIET_ZONE = 4;
const PNG_MODULE_PIXELS = 10;

/** @typedef {import('./api.js').Link} Link */
/** @typedef {{ size: number, isDark: (row: number, column: number) => boolean }} QrMatrix */

/** @type {Promise<(text: string) => QrMatrix> | undefined} */
let encoder;

/** The QR modules of `text` (error correction M: survives a smudge, stays small). @param {string} text */
export async function qrMatrix(text) {
  encoder ??= import('./vendor/qrcode-generator.js').then(({ default: qrcode }) => (/** @type {string} */ value) => {
    const code = qrcode(0, 'M');
    code.addData(value);
    code.make();
    return { size: code.getModuleCount(), isDark: (row, column) => code.isDark(row, column) };
  });
  return (await encoder)(text);
}

/**
 * An SVG of the code: one path of unit squares on a white background, with the link as its title.
 * @param {QrMatrix} matrix @param {string} title
 */
export function qrSvg(matrix, title) {
  const side = matrix.size + 2 * QUIET_ZONE;
  let path = '';
  for (let row = 0; row < matrix.size; row++) {
    for (let column = 0; column < matrix.size; column++) {
      if (matrix.isDark(row, column)) path += `M${column + QUIET_ZONE} ${row + QUIET_ZONE}h1v1h-1z`;
    }
  }
  const node = document.createElementNS(SVG, 'svg');
  node.setAttribute('viewBox', `0 0 ${side} ${side}`);
  node.setAttribute('shape-rendering', 'crispEdges');
  node.setAttribute('role', 'img');
  const label = document.createElementNS(SVG, 'title');
  label.textContent = title;
  const background = document.createElementNS(SVG, 'rect');
  for (const [name, value] of Object.entries({ width: side, height: side, fill: '#ffffff' }))
    background.setAttribute(name, String(value));
  const modules = document.createElementNS(SVG, 'path');
  modules.setAttribute('d', path);
  modules.setAttribute('fill', '#000000');
  node.append(label, background, modules);
  return node;
}

/** A PNG of the code, `PNG_MODULE_PIXELS` per module. @param {QrMatrix} matrix @returns {Promise<Blob>} */
export function qrPng(matrix) {
  const side = (matrix.size + 2 * QUIET_ZONE) * PNG_MODULE_PIXELS;
  const canvas = el('canvas', { width: String(side), height: String(side) });
  const context = /** @type {CanvasRenderingContext2D} */ (/** @type {HTMLCanvasElement} */ (canvas).getContext('2d'));
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, side, side);
  context.fillStyle = '#000000';
  for (let row = 0; row < matrix.size; row++) {
    for (let column = 0; column < matrix.size; column++) {
      if (matrix.isDark(row, column)) {
        context.fillRect(
          (column + QUIET_ZONE) * PNG_MODULE_PIXELS,
          (row + QUIET_ZONE) * PNG_MODULE_PIXELS,
          PNG_MODULE_PIXELS,
          PNG_MODULE_PIXELS,
        );
      }
    }
  }
  return new Promise((resolve, reject) =>
    /** @type {HTMLCanvasElement} */ (canvas).toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error('PNG encoding failed'))),
      'image/png',
    ),
  );
}

export class QrWindow {
  constructor() {
    const byId = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
    this.dialog = /** @type {HTMLDialogElement} */ (byId('qr-dialog'));
    this.title = byId('qr-title');
    this.image = byId('qr-image');
    this.caption = byId('qr-caption');
    this.error = byId('qr-error');
    /** @type {{ link: Link, matrix: QrMatrix } | null} */
    this.shown = null;
    byId('qr-svg').addEventListener('click', () => {
      if (!this.shown) return;
      const { link, matrix } = this.shown;
      const text = new XMLSerializer().serializeToString(qrSvg(matrix, link.shortUrl));
      download(new Blob([text], { type: 'image/svg+xml' }), `${link.link}-qr.svg`);
    });
    byId('qr-png').addEventListener('click', async () => {
      if (!this.shown) return;
      const { link, matrix } = this.shown;
      download(await qrPng(matrix), `${link.link}-qr.png`);
    });
    byId('qr-close').addEventListener('click', () => this.dialog.close());
  }

  /** @param {Link} link */
  async open(link) {
    this.shown = null;
    this.title.textContent = `QR code for /${link.link}`;
    this.caption.textContent = link.shortUrl;
    this.image.replaceChildren();
    this.error.textContent = '';
    this.dialog.showModal();
    try {
      const matrix = await qrMatrix(link.shortUrl);
      this.shown = { link, matrix };
      this.image.replaceChildren(qrSvg(matrix, `QR code of ${link.shortUrl}`));
    } catch {
      this.error.textContent = 'Sorry, the QR code could not be drawn. Please reload the page and try again.';
    }
  }
}
