/** The site model's zod schema: what the build writes parses whole, and a malformed model is refused. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { partnerModelPath } from '../src/core/partner-bundles.ts';
import { parseSiteModel, type SiteModel } from '../src/core/site-model.ts';
import { useBuiltSite } from './helpers/site.ts';

const site = useBuiltSite();
/** a fresh copy of the model JSON the build wrote, safe to break */
const written = () => JSON.parse(readFileSync(join(site.root, '.readback/site/model.json'), 'utf8'));

describe('site model schema', () => {
  it('parses the models the build wrote without dropping a field (so its pages read them unchecked)', () => {
    const raw = written();
    expect(parseSiteModel(raw, 'model.json')).toEqual(raw);
    // every partner bundle's model too
    const bundles = (raw as SiteModel).partners.map((bundle) =>
      JSON.parse(
        readFileSync(partnerModelPath(join(site.root, '.readback/site/model.json'), bundle.partner_id), 'utf8'),
      ),
    );
    expect(bundles.length).toBeGreaterThan(2);
    for (const bundle of bundles) expect(parseSiteModel(bundle, 'bundle model.json')).toEqual(bundle);
  });

  it.each([
    ['a tuple without its hash document', (m: any) => delete m.tuples[0].hash_document, /tuples\[0\]\.hash_document/],
    ['a carve-out anchor that is not a string or null', (m: any) => (m.tuples[0].carve_outs[0].anchor = 7), /anchor/],
    ['a glossary entry without its unit name', (m: any) => delete m.glossary[0].unit_name, /glossary\[0\]\.unit_name/],
    ['a displayed metric with an unknown unit', (m: any) => (m.tuples[0].metrics[0].unit = 'ms'), /metrics\[0\]\.unit/],
    ['a diff finding without its anchor', (m: any) => delete m.diffs[0].findings[0].anchor, /findings\[0\]\.anchor/],
    ['another schema version', (m: any) => (m.schema = 'readback.site-model/2'), /schema/],
  ])('refuses %s, naming the file and the field', (_name, breakIt, field) => {
    const model = written();
    breakIt(model);
    expect(() => parseSiteModel(model, 'model.json')).toThrow(/^model\.json is not a readback site model/);
    expect(() => parseSiteModel(model, 'model.json')).toThrow(field);
  });
});
