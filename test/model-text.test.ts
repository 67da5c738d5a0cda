/**
 * The site model's file text and its pages' keys (src/core/model-text.ts): the text is what
 * `JSON.stringify` writes, byte for byte, and each key moves exactly when what its pages read does.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { batched, siteModelText } from '../src/core/model-text.ts';

const textOf = (model: SiteModel) => siteModelText(model).chunks.join('');
import { partnerModelPath } from '../src/core/partner-bundles.ts';
import type { SiteModel } from '../src/core/site-model.ts';
import { itemOf, lazyModel, tupleNames } from '../src/site/data.ts';
import { useBuiltSite } from './helpers/site.ts';

const site = useBuiltSite();
const modelPath = () => join(site.root, '.readback/site/model.json');
/** a fresh copy of the model the build wrote, safe to change */
const written = (path = modelPath()): SiteModel => JSON.parse(readFileSync(path, 'utf8'));

describe('site model text and page keys', () => {
  it('writes the text JSON.stringify writes, for the internal model and every bundle', () => {
    const internal = written();
    expect(textOf(internal)).toBe(JSON.stringify(internal));
    // the file the build wrote is that text, written in batches
    expect(readFileSync(modelPath(), 'utf8')).toBe(`${textOf(internal)}\n`);
    const chunks = siteModelText(internal).chunks;
    const batches = [...batched([...chunks], 4096)];
    expect(batches.length).toBeGreaterThan(2);
    expect(batches.join('')).toBe(chunks.join(''));
    expect(batches.slice(0, -1).every((batch) => batch.length >= 4096)).toBe(true);
    expect(internal.partners.length).toBeGreaterThan(1);
    for (const bundle of internal.partners) {
      const model = written(partnerModelPath(modelPath(), bundle.partner_id));
      expect(textOf(model)).toBe(JSON.stringify(model));
    }
  });

  it('lists every page the model has', () => {
    const model = written();
    const { pages } = siteModelText(model);
    expect(pages.tuples.map(([id]) => id)).toEqual(model.tuples.map((t) => t.tuple_id));
    expect(pages.leadership.map(([id]) => id)).toEqual(model.leadership.map((p) => p.tuple_id));
    expect(pages.glossary).toEqual(model.glossary.map((g) => g.metric_id));
    expect(pages.diffs).toEqual(model.diffs.map((d) => `${d.from}...${d.to}`));
    expect(new Set(pages.tuples.map(([, key]) => key)).size).toBe(model.tuples.length);
  });

  it("moves one tuple's key, and the whole model's, when that tuple's part changes", () => {
    const before = siteModelText(written()).pages;
    const model = written();
    model.tuples[1]!.title += ' (changed)';
    const after = siteModelText(model).pages;
    expect(after.frame).toBe(before.frame);
    expect(after.whole).not.toBe(before.whole);
    expect(after.tuples.filter(([, key], i) => key !== before.tuples[i]![1]).map(([id]) => id)).toEqual([
      model.tuples[1]!.tuple_id,
    ]);
    expect(after.leadership).toEqual(before.leadership);
  });

  it.each([
    ['a leadership page', (m: SiteModel) => (m.leadership[0]!.title += ' (changed)'), 'leadership'],
    ["a report entry (the index's part)", (m: SiteModel) => (m.report.tuples[0]!.run_id += 'x'), 'report'],
    ['the glossary (the frame)', (m: SiteModel) => (m.glossary[0]!.label += ' (changed)'), 'frame'],
    ["the report's own fields (the frame)", (m: SiteModel) => (m.report.dictionary_version += 'x'), 'frame'],
  ])('keys a change of %s where it belongs', (_name, change, where) => {
    const before = siteModelText(written()).pages;
    const model = written();
    change(model);
    const after = siteModelText(model).pages;
    expect(after.whole).not.toBe(before.whole);
    expect(after.frame === before.frame).toBe(where !== 'frame');
    expect(after.tuples).toEqual(before.tuples);
    expect(JSON.stringify(after.leadership) === JSON.stringify(before.leadership)).toBe(where !== 'leadership');
  });

  it('writes a model whose own text holds the stand-in for a part the plain way, keys and all', () => {
    const model = written();
    model.glossary[0]!.definition_html = '\u0000readback:tuples';
    const { chunks, pages } = siteModelText(model);
    expect(chunks.join('')).toBe(JSON.stringify(model));
    expect(pages.tuples.length).toBe(model.tuples.length);
  });

  describe('layout: a model read part by part', () => {
    /** the file's bytes as the build writes them, and the model read lazily from them */
    const laidOut = (model: SiteModel) => {
      const { chunks, layout } = siteModelText(model);
      const bytes = Buffer.from(`${chunks.join('')}\n`);
      return { bytes, layout: layout!, lazy: lazyModel(bytes, layout!) };
    };
    /** the indices of `list` not yet parsed (still read through a getter) */
    const unread = (list: readonly object[]) =>
      Array.from({ length: list.length }, (_, i) => i).filter((i) => Object.getOwnPropertyDescriptor(list, i)?.get);

    it('reads the model JSON.parse reads of the whole file, for the internal model and every bundle', () => {
      const models = [
        written(),
        ...written().partners.map((b) => written(partnerModelPath(modelPath(), b.partner_id))),
      ];
      for (const model of models) {
        const { bytes, lazy } = laidOut(model);
        expect(lazy).toEqual(JSON.parse(bytes.toString('utf8')));
        expect(JSON.stringify(lazy)).toBe(JSON.stringify(model));
      }
    });

    it('counts bytes, not characters: text beyond ASCII before and inside the parts', () => {
      const model = written();
      model.look.title = 'Zürich — KPI ✓ 📈';
      model.tuples[0]!.title = 'Café «Q2» 📊';
      model.leadership.at(-1)!.partner = 'Łódź 株式会社';
      model.report.tuples[1]!.run_id = 'run-€-1';
      const { lazy } = laidOut(model);
      expect(lazy.tuples[0]!.title).toBe('Café «Q2» 📊');
      expect(lazy.leadership.at(-1)!.partner).toBe('Łódź 株式会社');
      expect(lazy).toEqual(model);
    });

    it('parses a part only when it is read: one tuple page by its id, and names without the pages', () => {
      const model = written();
      const { lazy } = laidOut(model);
      expect(unread(lazy.tuples)).toHaveLength(model.tuples.length);
      expect(unread(lazy.leadership)).toHaveLength(model.leadership.length);
      // what the pages listing every tuple show of each, without reading one
      expect([...tupleNames(lazy)]).toEqual(
        model.tuples.map((t) => [t.tuple_id, { title: t.title, partner: t.partner }]),
      );
      expect([...tupleNames(lazy)]).toEqual([...tupleNames(model)]);
      const id = model.tuples[2]!.tuple_id;
      expect(itemOf(lazy.tuples, 'tuple_id', id)).toEqual(model.tuples[2]);
      expect(unread(lazy.tuples)).toEqual(model.tuples.map((_, i) => i).filter((i) => i !== 2));
      expect(() => itemOf(lazy.tuples, 'tuple_id', 'no-such-tuple')).toThrow(/no tuple_id no-such-tuple/);
      // a part read is the same object the next time
      expect(lazy.tuples[2]).toBe(lazy.tuples[2]);
    });

    it('refuses a layout that does not fit its file', () => {
      const { bytes, layout } = laidOut(written());
      const shifted = structuredClone(layout);
      shifted.tuples.items[0]![1] += 1;
      expect(() => lazyModel(bytes, shifted)).toThrow(/layout does not fit its file/);
      const moved = structuredClone(layout);
      moved.report_tuples.start -= 1;
      expect(() => lazyModel(bytes, moved)).toThrow(/layout does not fit its file/);
    });

    it('has no layout for a model written the plain way', () => {
      const model = written();
      model.glossary[0]!.definition_html = '\u0000readback:tuples';
      expect(siteModelText(model).layout).toBeUndefined();
    });
  });
});
