/** `readback verify DIR`: every hash and every number a built site shows, replayed from its files. */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatProblem } from '../core/problems.ts';
import { type Io, UsageError } from '../io/context.ts';
import { type PdfTextReader, verifyPdfNumbers, verifySite, type VerifyResult } from '../io/verify.ts';

/** The one-pagers' numbers, read with pdfjs-dist (a dependency); null where an installation lacks it. */
async function verifyPdfs(dir: string): Promise<VerifyResult | null> {
  let pdfText: PdfTextReader;
  try {
    ({ pdfText } = await import('../pdf/links.ts'));
  } catch {
    return null;
  }
  return verifyPdfNumbers(dir, pdfText);
}

export async function verifyCommand(dirArg: string, io: Io): Promise<number> {
  const dir = resolve(io.cwd, dirArg);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`${dirArg}: no such folder (${dir})`);
  const result = verifySite(dir);
  const pdf = await verifyPdfs(dir);
  const problems = [...result.problems, ...(pdf?.problems ?? [])];
  const checked = result.checked.length + (pdf?.checked.length ?? 0);
  for (const p of problems) io.stdout.write(`${formatProblem(p)}\n`);
  const failed = problems.length;
  if (!pdf)
    io.stderr.write(
      "readback: the PDFs' numbers were not checked: reading a PDF needs pdfjs-dist, which this installation lacks (npm install pdfjs-dist)\n",
    );
  io.stderr.write(`${checked} checks passed, ${failed} mismatch${failed === 1 ? '' : 'es'}\n`);
  return failed === 0 ? 0 : 1;
}
