// @ts-check
// A plain object, not defineConfig() from 'astro/config': the build imports this file for
// DEFAULT_SITE_URL, and 'astro/config' would load Astro's config machinery (about 2,000 modules,
// 0.3-0.4 s) into the build's own process, which never runs Astro itself.

// docs/reference/site.md: links in pages and PDFs are absolute, built from this URL.
export const DEFAULT_SITE_URL = 'https://readback.example.com';

/** @type {import('astro').AstroUserConfig} */
export default {
  site: process.env.READBACK_SITE_URL || DEFAULT_SITE_URL,
  trailingSlash: 'always',
  build: { format: 'directory' },
  devToolbar: { enabled: false },
};
