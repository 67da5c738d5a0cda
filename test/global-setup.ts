/**
 * Builds the bundled sample once for the whole run: test files that only read a built site share
 * it (`useBuiltSite()`), and tests that need a previous publication copy it (`copyBuiltSample()`).
 */
import { rmSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { buildSite } from './helpers/site.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** the workspace root of the shared sample build; its site is `<root>/dist` */
    sampleRoot: string;
  }
}

export default async function setup(project: TestProject) {
  const built = await buildSite();
  if (built.status !== 0) throw new Error(`the shared sample build failed:\n${built.stderr}`);
  project.provide('sampleRoot', built.root);
  return () => rmSync(built.root, { recursive: true, force: true });
}
