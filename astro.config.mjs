// @ts-check
import { defineConfig } from 'astro/config';

// SPEC §8: links in pages and PDFs are absolute, built from this URL.
export const DEFAULT_SITE_URL = 'https://readback.example.com';

export default defineConfig({
  site: process.env.READBACK_SITE_URL || DEFAULT_SITE_URL,
  trailingSlash: 'always',
  build: { format: 'directory' },
  devToolbar: { enabled: false },
});
