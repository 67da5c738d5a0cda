/**
 * What the site renders: the one site model the build wrote (the reconcile report plus the
 * dictionary versions). Pages read it and never recompute a number (STYLE: the site renders results).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseSiteModel, type SiteModel } from '../core/site-model.ts';

let cached: { path: string; model: SiteModel } | undefined;

export function siteModel(): SiteModel {
  const path = process.env.READBACK_SITE_MODEL ?? resolve('.readback/site/model.json');
  if (cached?.path !== path) cached = { path, model: parseSiteModel(JSON.parse(readFileSync(path, 'utf8')), path) };
  return cached.model;
}
