// @ts-check
import { defineConfig } from 'astro/config';

// docs/reference/site.md: links in pages and PDFs are absolute, built from this URL.
export const DEFAULT_SITE_URL = 'https://readback.example.com';

export default defineConfig({
  site: process.env.READBACK_SITE_URL || DEFAULT_SITE_URL,
  trailingSlash: 'always',
  build: { format: 'directory' },
  devToolbar: { enabled: false },
});
