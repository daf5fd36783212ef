/**
 * Text of a PDF, as a reader's copy-and-paste would see it, for assertions in tests.
 *
 * pdfjs-dist 4 ships only ES modules (`legacy/build/pdf.mjs`) and has no CommonJS entry; Jest (CommonJS, Node 20)
 * can neither `require()` nor `import()` them without experimental flags or a transform of node_modules. So the
 * extraction runs in a child Node process, where the module loads natively; the PDF goes in on stdin and the
 * result comes back as JSON on stdout. Each page's text has one line per text line pdf.js reports.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

const EXTRACT = `
const [pdfjsUrl, workerUrl, cMapDir, fontDir] = process.argv.slice(1);
const pdfjs = await import(pdfjsUrl);
pdfjs.GlobalWorkerOptions.workerSrc = workerUrl;
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const data = new Uint8Array(Buffer.concat(chunks));
const doc = await pdfjs.getDocument({
  data, verbosity: 0, cMapUrl: cMapDir, cMapPacked: true, standardFontDataUrl: fontDir,
  useSystemFonts: false, isEvalSupported: false,
}).promise;
const { info } = await doc.getMetadata();
const pages = [];
for (let n = 1; n <= doc.numPages; n++) {
  const page = await doc.getPage(n);
  const content = await page.getTextContent({ disableNormalization: true });
  pages.push(content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\\n' : '') : '')).join(''));
}
await doc.destroy();
process.stdout.write(JSON.stringify({ pages, info }));
`;

export interface PdfContent {
  /** The text of each page. */
  pages: string[];
  /** The document information dictionary as pdf.js reads it (`Title`, `Producer`, `Language`, ...). */
  info: Record<string, unknown>;
}

/** All text of the PDF, pages separated by a form feed (`\f`). */
export async function pdfText(buf: Buffer): Promise<string> {
  return (await pdfContent(buf)).pages.join('\f');
}

export async function pdfContent(buf: Buffer): Promise<PdfContent> {
  const pdfjsFile = require.resolve('pdfjs-dist/legacy/build/pdf.mjs');
  const root = path.resolve(path.dirname(pdfjsFile), '..', '..');
  const args = [
    '--input-type=module',
    '--eval',
    EXTRACT,
    pathToFileURL(pdfjsFile).href,
    pathToFileURL(path.join(root, 'legacy', 'build', 'pdf.worker.mjs')).href,
    path.join(root, 'cmaps') + path.sep,
    path.join(root, 'standard_fonts') + path.sep,
  ];
  return new Promise<PdfContent>((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(
          new Error(`pdf text extraction failed (exit ${code}): ${Buffer.concat(err).toString('utf8')}`),
        );
        return;
      }
      try {
        resolve(JSON.parse(Buffer.concat(out).toString('utf8')) as PdfContent);
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
    child.stdin.on('error', () => undefined); // a child that dies early reports through 'close'
    child.stdin.end(buf);
  });
}
