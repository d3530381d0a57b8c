// A QR code drawn in the browser (qrcode-generator), as one SVG path: the TOTP secret never leaves
// the page for an image service, and no inline image or script is needed under the CSP.

import qrcode from 'qrcode-generator';

/** Light modules around the code, as the QR specification asks for (4). */
export const QUIET_ZONE = 4;

/** The dark modules of {@code text} as rows of booleans (error correction M, smallest version). */
export function qrModules(text: string): boolean[][] {
  const code = qrcode(0, 'M');
  code.addData(text, 'Byte');
  code.make();
  const size = code.getModuleCount();
  return Array.from({ length: size }, (_, row) => Array.from({ length: size }, (_, col) => code.isDark(row, col)));
}

/** One SVG path drawing the dark modules as unit squares, offset by the quiet zone. */
export function qrPath(modules: boolean[][]): string {
  const parts: string[] = [];
  modules.forEach((row, y) =>
    row.forEach((dark, x) => {
      if (dark) parts.push(`M${x + QUIET_ZONE} ${y + QUIET_ZONE}h1v1h-1z`);
    }),
  );
  return parts.join('');
}

const SVG = 'http://www.w3.org/2000/svg';

/** An SVG image of the QR code of {@code text}, named {@code label} for screen readers. */
export function qrImage(text: string, label: string, pixels = 200): SVGSVGElement {
  const modules = qrModules(text);
  const side = modules.length + 2 * QUIET_ZONE;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${side} ${side}`);
  svg.setAttribute('width', String(pixels));
  svg.setAttribute('height', String(pixels));
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.setAttribute('shape-rendering', 'crispEdges');
  const background = document.createElementNS(SVG, 'rect');
  background.setAttribute('width', String(side));
  background.setAttribute('height', String(side));
  background.setAttribute('fill', '#fff');
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', qrPath(modules));
  path.setAttribute('fill', '#000');
  svg.append(background, path);
  return svg;
}
