/**
 * Text metrics and outlines from the board's font files (fontkit, the font engine pdfkit uses):
 * the layout measures with them, and the PNG draws text as glyph outlines. resvg shaping a
 * 10 MB CJK font took ~200 ms per text element (17 s a board); outlines take milliseconds,
 * and the PNG cannot pick another font than the PDF embeds.
 */
import * as fontkit from 'fontkit';
import type { BoardFont, BoardFonts } from './board-fonts.ts';
import type { MeasureText } from './board-draw.ts';

const opened = new Map<string, fontkit.Font>();

function openFont(face: BoardFont): fontkit.Font {
  const key = `${face.path}#${face.postscriptName ?? ''}`;
  let font = opened.get(key);
  if (!font) {
    const f = fontkit.openSync(face.path, face.postscriptName);
    if (!('layout' in f)) throw new Error(`${face.path}: a font collection; name the face`);
    font = f;
    opened.set(key, font);
  }
  return font;
}

export function fontMeasure(fonts: BoardFonts): MeasureText {
  const regular = openFont(fonts.regular);
  const bold = openFont(fonts.bold);
  return (text, size, isBold) => {
    const font = isBold ? bold : regular;
    return (font.layout(text).advanceWidth * size) / font.unitsPerEm;
  };
}

const glyphPaths = new Map<string, string>();

/** SVG path data of a text at a baseline position, in page points (y down). */
export function textOutline(fonts: BoardFonts, text: string, x: number, y: number, size: number, bold = false): string {
  const font = openFont(bold ? fonts.bold : fonts.regular);
  const run = font.layout(text);
  const scale = size / font.unitsPerEm;
  let penX = 0;
  const parts: string[] = [];
  run.glyphs.forEach((glyph, i) => {
    const pos = run.positions[i]!;
    const gx = x + (penX + pos.xOffset) * scale;
    const gy = y - pos.yOffset * scale;
    penX += pos.xAdvance;
    // Each glyph's outline once in font units; placed by a transform of its own numbers.
    const key = `${bold ? 'b' : 'r'}${glyph.id}`;
    let d = glyphPaths.get(key);
    if (d === undefined) {
      d = glyph.path.toSVG();
      glyphPaths.set(key, d);
    }
    if (!d) return;
    parts.push(placePath(d, scale, gx, gy));
  });
  return parts.join('');
}

/** Rewrites absolute path data (fontkit emits M, L, Q, C, Z) scaled, y flipped and moved. */
function placePath(d: string, scale: number, dx: number, dy: number): string {
  const r = (v: number) => Math.round(v * 100) / 100;
  return d.replace(/([MLQCZ])([^MLQCZ]*)/g, (_, cmd: string, args: string) => {
    const nums = args.trim()
      ? args
          .trim()
          .split(/[\s,]+/)
          .map(Number)
      : [];
    const out: number[] = [];
    for (let i = 0; i + 1 < nums.length; i += 2) out.push(r(dx + nums[i]! * scale), r(dy - nums[i + 1]! * scale));
    return `${cmd}${out.join(' ')}`;
  });
}
