/** Paints board pages into one PDF with pdfkit; the Chinese font is embedded as a subset. */
import PDFDocument from 'pdfkit';
import type { BoardFonts } from './board-fonts.ts';
import { A4, type BoardPage, type DrawItem } from './board-draw.ts';

type Doc = PDFKit.PDFDocument;

function registerFonts(doc: Doc, fonts: BoardFonts): void {
  doc.registerFont('regular', fonts.regular.path, fonts.regular.postscriptName as string);
  doc.registerFont('bold', fonts.bold.path, fonts.bold.postscriptName as string);
}

function tracePath(doc: Doc, parts: [number, number][][], closed: boolean): void {
  for (const part of parts) {
    if (part.length < 2) continue;
    doc.moveTo(part[0]![0], part[0]![1]);
    for (let i = 1; i < part.length; i++) doc.lineTo(part[i]![0], part[i]![1]);
    if (closed) doc.closePath();
  }
}

function paintShape(doc: Doc, fill: string | undefined, stroke: string | undefined, lineWidth = 1): void {
  if (stroke) doc.lineWidth(lineWidth).lineJoin('round').lineCap('round');
  if (fill && stroke) doc.fillAndStroke(fill, stroke, 'even-odd');
  else if (fill) doc.fill(fill, 'even-odd');
  else if (stroke) doc.stroke(stroke);
}

function paint(doc: Doc, item: DrawItem): void {
  switch (item.t) {
    case 'rect':
      doc.rect(item.x, item.y, item.w, item.h);
      paintShape(doc, item.fill, item.stroke, item.lineWidth);
      return;
    case 'circle':
      doc.circle(item.cx, item.cy, item.r);
      paintShape(doc, item.fill, item.stroke, item.lineWidth);
      return;
    case 'path':
      tracePath(doc, item.parts, item.closed);
      if (item.dash) doc.dash(item.dash[0], { space: item.dash[1] });
      paintShape(doc, item.closed ? item.fill : undefined, item.stroke, item.lineWidth);
      if (item.dash) doc.undash();
      return;
    case 'text': {
      doc.save();
      if (item.rotate) doc.rotate(item.rotate, { origin: [item.x, item.y] });
      doc
        .font(item.bold ? 'bold' : 'regular')
        .fontSize(item.size)
        .fillColor(item.color ?? '#000000')
        .text(item.text, item.x, item.y, { lineBreak: false, baseline: 'alphabetic' });
      doc.restore();
      return;
    }
    case 'clip':
      doc.save();
      doc.rect(item.x, item.y, item.w, item.h).clip();
      for (const inner of item.items) paint(doc, inner);
      doc.restore();
      return;
  }
}

/** One PDF with a page per board. */
export function renderPdf(pages: BoardPage[], fonts: BoardFonts, title: string): Promise<Buffer> {
  const doc = new PDFDocument({
    size: [A4.width, A4.height],
    margin: 0,
    autoFirstPage: false,
    info: { Title: title, Creator: 'Wangge 网格', Producer: 'Wangge 网格 (pdfkit)' },
    lang: 'zh-CN',
  });
  registerFonts(doc, fonts);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  for (const page of pages) {
    doc.addPage({ size: [A4.width, A4.height], margin: 0 });
    for (const item of page.items) paint(doc, item);
  }
  doc.end();
  return done;
}
