/**
 * A tiny layer over pdfkit for Chinese legal documents (调解协议书, 支付令申请书, ...): A4, 60pt margins, one
 * embedded CJK font (assets/fonts/NotoSansSC-Subset.otf, which pdfkit re-subsets per document so a PDF
 * carries only the glyphs it uses). Text flows top to bottom; every method continues below the previous one
 * and starts a new page when needed.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import PDFDocument from 'pdfkit';

export interface PdfTableColumn {
  header: string;
  /** Width in points. If the columns together are wider than the text area they are scaled down to fit. */
  width: number;
  align?: 'left' | 'right';
}

export interface PdfWriter {
  /** The document title: centred, large. */
  title(text: string): this;
  /** A section heading. */
  heading(text: string): this;
  /** Body text; the first line is indented by two characters, as Chinese prose is. `\n` starts a new paragraph. */
  paragraph(text: string): this;
  /** `label：value`, the value wrapping under itself rather than under the label. */
  keyValue(label: string, value: string): this;
  /** A ruled table; the header row repeats when the table runs onto a new page. */
  table(columns: readonly PdfTableColumn[], rows: readonly (readonly string[])[]): this;
  /**
   * One line per label: `label：  签名：____________  日期：______年____月____日`, with room above to sign. The
   * block is kept on one page if it fits on one.
   */
  signatureBlock(labels: readonly string[]): this;
  /** Vertical space of `lines` body lines (default 1). */
  spacer(lines?: number): this;
}

export const PDF_FONT_FILE = 'assets/fonts/NotoSansSC-Subset.otf';

const MARGIN = 60;
const BODY_SIZE = 12;
const LINE_GAP = 4;
const TITLE_SIZE = 20;
const HEADING_SIZE = 14;
const TABLE_SIZE = 10.5;
const CELL_PADDING = 4;
const RULE_WIDTH = 0.5;
const FONT_NAME = 'NotoSansSC';

let fontBytes: Promise<Buffer> | undefined;

/**
 * The font file, found by walking up from this file's folder to the first one holding `assets/fonts` (the
 * project root, whether this runs from `src/` or from `dist/src/`). Read once per process.
 */
function loadFont(): Promise<Buffer> {
  if (!fontBytes) {
    fontBytes = (async () => {
      let dir = __dirname;
      for (;;) {
        const candidate = path.join(dir, PDF_FONT_FILE);
        if (existsSync(candidate)) return readFile(candidate);
        const parent = path.dirname(dir);
        if (parent === dir) throw new Error(`${PDF_FONT_FILE} not found above ${__dirname}`);
        dir = parent;
      }
    })();
    // A failed look-up is retried on the next call rather than cached.
    fontBytes.catch(() => {
      fontBytes = undefined;
    });
  }
  return fontBytes;
}

class Writer implements PdfWriter {
  constructor(private readonly doc: PDFKit.PDFDocument) {
    doc.font(FONT_NAME).fontSize(BODY_SIZE).fillColor('black').strokeColor('black');
  }

  private get left(): number {
    return this.doc.page.margins.left;
  }

  private get contentWidth(): number {
    const { page } = this.doc;
    return page.width - page.margins.left - page.margins.right;
  }

  private get bottom(): number {
    return this.doc.page.maxY();
  }

  /** Starts a new page unless `height` more points fit on this one. */
  private ensureSpace(height: number): void {
    if (this.doc.y + height > this.bottom) this.doc.addPage();
  }

  private lineHeight(size: number): number {
    return this.doc.fontSize(size).currentLineHeight(true) + LINE_GAP;
  }

  title(text: string): this {
    const { doc } = this;
    doc.fontSize(TITLE_SIZE).text(text, this.left, doc.y, {
      width: this.contentWidth,
      align: 'center',
      lineGap: LINE_GAP,
    });
    doc.moveDown(0.6);
    doc.fontSize(BODY_SIZE);
    return this;
  }

  heading(text: string): this {
    const { doc } = this;
    doc.fontSize(BODY_SIZE).moveDown(0.5);
    // Keep a heading with at least one line of what follows it.
    this.ensureSpace(this.lineHeight(HEADING_SIZE) + this.lineHeight(BODY_SIZE));
    doc.fontSize(HEADING_SIZE).text(text, this.left, doc.y, { width: this.contentWidth, lineGap: LINE_GAP });
    doc.moveDown(0.3);
    doc.fontSize(BODY_SIZE);
    return this;
  }

  paragraph(text: string): this {
    const { doc } = this;
    this.ensureSpace(this.lineHeight(BODY_SIZE));
    doc.fontSize(BODY_SIZE).text(text, this.left, doc.y, {
      width: this.contentWidth,
      indent: 2 * BODY_SIZE,
      indentAllLines: false,
      lineGap: LINE_GAP,
      paragraphGap: LINE_GAP,
    });
    return this;
  }

  keyValue(label: string, value: string): this {
    const { doc } = this;
    doc.fontSize(BODY_SIZE);
    const labelText = /[:：]$/.test(label) ? label : `${label}：`;
    const labelWidth = Math.min(doc.widthOfString(labelText), this.contentWidth / 2);
    const valueWidth = this.contentWidth - labelWidth;
    const options = { lineGap: LINE_GAP };
    const height = Math.max(
      doc.heightOfString(labelText, { ...options, width: labelWidth }),
      doc.heightOfString(value || ' ', { ...options, width: valueWidth }),
    );
    this.ensureSpace(Math.min(height, this.bottom - doc.page.margins.top));
    const top = doc.y;
    doc.text(labelText, this.left, top, { ...options, width: labelWidth });
    const afterLabel = doc.y;
    doc.text(value, this.left + labelWidth, top, { ...options, width: valueWidth });
    // If the value ran onto a new page, carry on from where it ended there.
    doc.x = this.left;
    doc.y = doc.y < top ? doc.y : Math.max(doc.y, afterLabel);
    doc.y += LINE_GAP / 2;
    return this;
  }

  table(columns: readonly PdfTableColumn[], rows: readonly (readonly string[])[]): this {
    const { doc } = this;
    if (columns.length === 0) throw new RangeError('A table needs at least one column');
    rows.forEach((row, i) => {
      if (row.length > columns.length) {
        throw new RangeError(
          `Table row ${i} has ${row.length} cells but there are ${columns.length} columns`,
        );
      }
    });
    const total = columns.reduce((sum, c) => sum + c.width, 0);
    const scale = total > this.contentWidth ? this.contentWidth / total : 1;
    const widths = columns.map((c) => c.width * scale);
    const tableWidth = widths.reduce((a, b) => a + b, 0);
    const left = this.left;

    doc.fontSize(TABLE_SIZE);
    const cellOptions = (i: number): PDFKit.Mixins.TextOptions => ({
      width: widths[i] - 2 * CELL_PADDING,
      align: columns[i].align ?? 'left',
      lineGap: 2,
    });
    const rowHeight = (cells: readonly string[]): number =>
      Math.max(...columns.map((_, i) => doc.heightOfString(cells[i] || ' ', cellOptions(i)))) +
      2 * CELL_PADDING;

    const drawRow = (cells: readonly string[], height: number, shaded: boolean): void => {
      const top = doc.y;
      if (shaded) doc.rect(left, top, tableWidth, height).fillColor('#eeeeee').fill().fillColor('black');
      let x = left;
      columns.forEach((_, i) => {
        if (cells[i]) doc.text(cells[i], x + CELL_PADDING, top + CELL_PADDING, cellOptions(i));
        x += widths[i];
      });
      // Simple rules: a box around every cell.
      doc.lineWidth(RULE_WIDTH);
      x = left;
      for (const w of widths) {
        doc.rect(x, top, w, height).stroke();
        x += w;
      }
      doc.x = left;
      doc.y = top + height;
    };

    const headers = columns.map((c) => c.header);
    const headerHeight = rowHeight(headers);
    const drawHeader = (): void => drawRow(headers, headerHeight, true);

    const firstHeight = rows.length > 0 ? rowHeight(rows[0]) : 0;
    this.ensureSpace(headerHeight + firstHeight);
    drawHeader();
    for (const row of rows) {
      const height = rowHeight(row);
      if (doc.y + height > this.bottom) {
        doc.addPage();
        doc.fontSize(TABLE_SIZE);
        drawHeader();
      }
      drawRow(row, height, false);
    }
    doc.fontSize(BODY_SIZE);
    doc.x = left;
    doc.moveDown(0.5);
    return this;
  }

  signatureBlock(labels: readonly string[]): this {
    const { doc } = this;
    doc.fontSize(BODY_SIZE);
    const withColon = labels.map((l) => (/[:：]$/.test(l) ? l : `${l}：`));
    const labelWidth = Math.max(0, ...withColon.map((l) => doc.widthOfString(l))) + BODY_SIZE;
    const sign = '签名：________________';
    const date = '日期：______年____月____日';
    const signWidth = doc.widthOfString(sign) + 2 * BODY_SIZE;
    const line = this.lineHeight(BODY_SIZE);
    // Labels too long to share a line with the signature and date go on a line of their own above them.
    const ownLine = labelWidth + signWidth + doc.widthOfString(date) > this.contentWidth;
    const fieldsX = this.left + (ownLine ? 2 * BODY_SIZE : labelWidth);
    // Two lines of room above each signature line for the handwriting.
    const rowHeight = (ownLine ? 4 : 3) * line;
    // Keep the block on one page when it fits on one.
    const blockHeight = rowHeight * withColon.length;
    if (blockHeight <= this.bottom - this.doc.page.margins.top) this.ensureSpace(blockHeight);
    for (const label of withColon) {
      this.ensureSpace(rowHeight);
      const y = doc.y + rowHeight - line;
      doc.text(label, this.left, ownLine ? y - 2 * line : y, { lineBreak: false });
      doc.text(sign, fieldsX, y, { lineBreak: false });
      doc.text(date, fieldsX + signWidth, y, { lineBreak: false });
      doc.x = this.left;
      doc.y = y + line;
    }
    return this;
  }

  spacer(lines = 1): this {
    this.doc.fontSize(BODY_SIZE).moveDown(lines);
    return this;
  }
}

/** Builds a PDF in memory. `build` lays the document out synchronously through the writer. */
export async function renderPdf(build: (doc: PdfWriter) => void, meta: { title: string }): Promise<Buffer> {
  const font = await loadFont();
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    pdfVersion: '1.7',
    lang: 'zh-CN',
    displayTitle: true,
    info: { Title: meta.title },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont(FONT_NAME, font);
  build(new Writer(doc));
  doc.end();
  return done;
}
