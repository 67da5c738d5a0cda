/**
 * What the site renders: the one site model the build wrote (the reconcile report plus the
 * dictionary versions). Pages read it and never recompute a number (STYLE: the site renders results).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseSiteModel, type SiteModel } from '../core/site-model.ts';

let cached: SiteModel | undefined;

export function siteModel(): SiteModel {
  if (!cached) {
    const path = process.env.READBACK_SITE_MODEL ?? resolve('.readback/site/model.json');
    cached = parseSiteModel(JSON.parse(readFileSync(path, 'utf8')), path);
  }
  return cached;
}

/** An absolute URL on the published site (SPEC §8: links are built from the site URL). */
export function siteUrl(path: string): string {
  return `${siteModel().site_url}${path}`;
}
