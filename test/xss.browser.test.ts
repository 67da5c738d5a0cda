/**
 * Markdown in definitions, readback text, the FAQ and plain text fields is rendered inert:
 * a corpus of XSS payloads goes through a real build, then headless Chromium opens every page.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasChromium } from './helpers/browser.ts';
import { useBrowser, useBuiltSite } from './helpers/site.ts';
import { REPO_ROOT } from './helpers/workspace.ts';

const payloads = readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'xss', 'payloads.md'), 'utf8');
const inline = '<img src=x onerror="window.__xss=1"> <script>window.__xss=2</script>';
const site = useBuiltSite((root) => {
  // a pending dictionary version whose reworded definition carries the payloads
  const dictionary = join(root, 'dictionary', 'metrics.yaml');
  let text = readFileSync(dictionary, 'utf8').replace('version: 1.3.0', 'version: 1.4.0');
  text = text.replace(
    /changes:\n(  - .*\n)+/,
    'changes:\n  - { metric_id: m.orders.returned, note: "Definition reworded (security test)." }\n',
  );
  text = text.replace(
    'definition: Orders the end customer sent back during the period, counted when the return is scanned in.',
    `definition: ${JSON.stringify(payloads)}`,
  );
  writeFileSync(dictionary, text);
  const readback = join(root, 'content', 'tuples', 'acme-2026-q2', 'readback.md');
  writeFileSync(readback, `${readFileSync(readback, 'utf8')}\n${payloads}`);
  writeFileSync(
    join(root, 'content', 'faq.md'),
    `${readFileSync(join(root, 'content', 'faq.md'), 'utf8')}\n## Is this safe?\n\n${payloads}`,
  );
  const tuple = join(root, 'content', 'tuples', 'acme-2026-q2', 'tuple.yaml');
  writeFileSync(
    tuple,
    readFileSync(tuple, 'utf8')
      .replace('partner: Acme Logistics', `partner: ${JSON.stringify(`Acme ${inline}`)}`)
      .replace('"Payments API, eu-west only; rolled back within 2h"', JSON.stringify(`Payments API ${inline}`)),
  );
});

const PAGES = [
  '/glossary/',
  '/glossary/m.orders.returned/',
  '/glossary/diff/',
  '/glossary/diff/1.3.0...1.4.0/',
  '/annex/acme-2026-q2/',
  '/readback/acme-2026-q2/',
  '/',
];

describe('rendered HTML', () => {
  it('keeps no payload markup in the built pages', () => {
    for (const path of PAGES) {
      // attribute values (a meta description quoting a partner name) and escaped text are inert: check the markup itself
      const html = readFileSync(join(site.dist, path, 'index.html'), 'utf8').replace(/="[^"]*"/g, '=""');
      expect(html, path).not.toMatch(/<(iframe|object|embed|svg|math|details)\b/i);
      expect(html, path).not.toMatch(/<form[^>]*action=/i);
      expect(html, path).not.toMatch(/<[a-z][^>]*\son[a-z]+=/i);
      expect(readFileSync(join(site.dist, path, 'index.html'), 'utf8'), path).not.toMatch(
        /(href|src|action|data)="\s*javascript:/i,
      );
      expect(html, path).not.toContain('<script>window.__xss');
    }
  });
});

describe.skipIf(!hasChromium)('in a browser', () => {
  const chromium = useBrowser(() => site.dist);

  it.each(PAGES)('no script runs and no dangerous attribute survives on %s', async (path) => {
    const page = await chromium.browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', async (dialog) => {
      dialogs.push(dialog.message());
      await dialog.dismiss();
    });
    await page.goto(`${chromium.url}${path}`);
    await page.mouse.move(200, 200);
    await page.waitForTimeout(200);
    const findings = await page.evaluate(() => {
      const bad: string[] = [];
      if ((window as unknown as { __xss?: unknown }).__xss !== undefined)
        bad.push(`ran: ${String((window as unknown as { __xss?: unknown }).__xss)}`);
      // the Pagefind search box is the site's own widget (it uses action="javascript:void(0)"), not content
      const content = [...document.querySelectorAll('*')].filter((element) => !element.closest('#search'));
      for (const element of content) {
        for (const attribute of element.attributes) {
          if (/^on/i.test(attribute.name)) bad.push(`${element.tagName} ${attribute.name}`);
          if (/^\s*javascript:/i.test(attribute.value))
            bad.push(`${element.tagName} ${attribute.name}=${attribute.value}`);
        }
      }
      for (const tag of ['iframe', 'object', 'embed', 'svg', 'math', 'details'])
        if (content.some((element) => element.localName === tag)) bad.push(`<${tag}>`);
      for (const form of content.filter((element) => element.localName === 'form'))
        if (form.id !== 'filters') bad.push('<form> from content');
      for (const script of document.querySelectorAll('script'))
        if (script.textContent?.includes('__xss')) bad.push('payload <script>');
      return bad;
    });
    expect(findings).toEqual([]);
    expect(dialogs).toEqual([]);
    await page.close();
  });
});
