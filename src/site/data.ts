/**
 * What the site renders: the one reconcile report the build produced. Pages read it and
 * never recompute a number (STYLE: the site renders results).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type ReconcileReport, ReconcileReportSchema } from '../core/schemas.ts';

let cached: ReconcileReport | undefined;

export function siteReport(): ReconcileReport {
  if (!cached) {
    const path = process.env.READBACK_REPORT ?? resolve('.readback/reconcile/report.json');
    cached = ReconcileReportSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  }
  return cached;
}
