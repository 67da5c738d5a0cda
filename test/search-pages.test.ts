/** Only the pages pagefind indexes are sent to it: those whose body is marked, once any page is. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasMarkedBody } from '../src/publish/search-pages.ts';
import { useBuiltSite } from './helpers/site.ts';

const site = useBuiltSite();

describe('a marked search body', () => {
  it('is an element with the attribute, not the words in text or in another value', () => {
    expect(hasMarkedBody('<main id="content" data-pagefind-body>x</main>')).toBe(true);
    expect(hasMarkedBody('<main data-pagefind-body="">x</main>')).toBe(true);
    expect(hasMarkedBody('<div\ndata-pagefind-body/>')).toBe(true);
    expect(hasMarkedBody('<p>mark a page with data-pagefind-body</p>')).toBe(false);
    expect(hasMarkedBody('<p>&lt;main data-pagefind-body&gt;</p>')).toBe(false);
    expect(hasMarkedBody('<a title="data-pagefind-body">x</a>')).toBe(false);
    expect(hasMarkedBody('<a title="see data-pagefind-body here" href="/">x</a>')).toBe(false);
    expect(hasMarkedBody('<div data-pagefind-body-extra>x</div>')).toBe(false);
    expect(hasMarkedBody('<div xdata-pagefind-body>x</div>')).toBe(false);
    // a value with a quote written as an entity still closes where it should
    expect(hasMarkedBody('<a title="&quot;" data-pagefind-body>x</a>')).toBe(true);
  });

  it('is on the glossary metric pages of the built sample, and on no other page', () => {
    const pages = readdirSync(site.dist, { recursive: true, encoding: 'utf8' }).filter(
      (file) => file.endsWith('.html') && !file.startsWith('partners/'),
    );
    const marked = pages.filter((file) => hasMarkedBody(readFileSync(join(site.dist, file), 'utf8')));
    const metricPages = site.model.glossary.map((entry) => `glossary/${entry.metric_id}/index.html`);
    expect(marked.sort()).toEqual(metricPages.sort());
  });
});
