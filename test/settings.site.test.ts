import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSettings, SETTINGS_FILE } from '../src/core/settings.ts';
import { pdfLinkTargets as pdfLinks } from '../src/pdf/links.ts';
import { buildSite } from './helpers/site.ts';
import { copyWorkspace, MINIMAL_EXAMPLE } from './helpers/workspace.ts';

const LOGO =
  '<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24"><rect width="24" height="24" fill="#0a7"/></svg>\n';

describe('readback.config.yaml', () => {
  it('is checked like every input: unknown keys with a suggestion, bad values at their line and column', () => {
    const read = parseSettings('title: Acme KPI\naccent: blue\ntitel: x\nlogo: ../logo.svg\n');
    expect(read.problems.map((p) => [p.code, p.line, p.column])).toEqual([
      ['BAD_SETTING', 2, 9],
      ['BAD_SETTING', 3, 1],
    ]);
    expect(read.problems[1]!.message).toContain('title');
    const logo = parseSettings('logo: ../logo.svg\n');
    expect(logo.problems.map((p) => [p.line, p.column])).toEqual([[1, 7]]);
    expect(parseSettings('logo: logo.exe\n').problems[0]!.message).toContain('.svg');
    expect(parseSettings('').problems).toEqual([]);
    expect(parseSettings('title: Acme KPI\naccent: "#aa3300"\n').settings).toEqual({
      title: 'Acme KPI',
      accent: '#aa3300',
    });
  });

  it("sets the title, logo and accent of every page, the internal site's URL and the bundles' template", async () => {
    const root = copyWorkspace(MINIMAL_EXAMPLE);
    writeFileSync(join(root, 'logo.svg'), LOGO);
    writeFileSync(
      join(root, SETTINGS_FILE),
      [
        'title: Globex KPI program',
        'accent: "#aa3300"',
        'logo: logo.svg',
        'site_url: https://kpi.globex.example',
        'partner_site_url: https://{partner_id}.partners.globex.example',
        '',
      ].join('\n'),
    );
    const built = await buildSite(root);
    expect(built.status, built.stderr).toBe(0);
    expect(built.stderr).not.toContain('the site URL is the example');
    const home = readFileSync(join(built.dist, 'index.html'), 'utf8');
    expect(home).toContain('style="--accent: #aa3300"');
    expect(home).toMatch(
      /<a class="brand" href="\/"><img src="\/logo\.svg" alt="" height="24"[^>]*>Globex KPI program<\/a>/,
    );
    expect(home).toContain('<title>Tuples · Globex KPI program</title>');
    expect(readFileSync(join(built.dist, 'logo.svg'), 'utf8')).toBe(LOGO);
    // the bundle carries its own copy, linked from its own root
    const bundle = join(built.dist, 'partners', 'globex');
    expect(readFileSync(join(bundle, 'logo.svg'), 'utf8')).toBe(LOGO);
    expect(readFileSync(join(bundle, 'index.html'), 'utf8')).toContain('<img src="/logo.svg"');
    // the one-pagers link on the configured URLs
    const internalLinks = await pdfLinks(
      new Uint8Array(readFileSync(join(built.dist, 'readback', 'globex-2026-w27.pdf'))),
    );
    expect(internalLinks.every((link) => link.startsWith('https://kpi.globex.example/'))).toBe(true);
    const bundleLinks = await pdfLinks(new Uint8Array(readFileSync(join(bundle, 'readback', 'globex-2026-w27.pdf'))));
    expect(bundleLinks.every((link) => link.startsWith('https://globex.partners.globex.example/'))).toBe(true);
    // the environment overrides the file
    const overridden = await buildSite(root, { READBACK_SITE_URL: 'https://other.example' });
    expect(overridden.status, overridden.stderr).toBe(0);
    const links = await pdfLinks(
      new Uint8Array(readFileSync(join(overridden.dist, 'readback', 'globex-2026-w27.pdf'))),
    );
    expect(links.every((link) => link.startsWith('https://other.example/'))).toBe(true);
  }, 120_000);

  it('refuses a logo that is a symlink, an export, or an SVG that could run in the site', async () => {
    const root = copyWorkspace(MINIMAL_EXAMPLE);
    const { symlinkSync } = await import('node:fs');
    writeFileSync(join(root, 'secret.txt'), 'not for partners\n');
    symlinkSync(join(root, 'secret.txt'), join(root, 'logo.png'));
    writeFileSync(
      join(root, 'script.svg'),
      '<svg xmlns="http://www.w3.org/2000/svg"><script>fetch("/reconcile-report.json")</script></svg>',
    );
    writeFileSync(join(root, 'handler.svg'), '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>');
    const cases: [string, RegExp][] = [
      ['logo.png', /symbolic link/],
      ['content/tuples/globex-2026-w27/leadership.csv', /must be an image|holds exports/],
      ['script.svg', /<script>/],
      ['handler.svg', /event handler/],
    ];
    for (const [logo, why] of cases) {
      writeFileSync(join(root, SETTINGS_FILE), `logo: ${logo}\n`);
      const refused = await buildSite(root);
      expect(refused.status, logo).toBe(2);
      expect(refused.result.problems).toEqual([expect.objectContaining({ code: 'BAD_SETTING', line: 1, column: 7 })]);
      expect(refused.result.problems[0]!.message).toMatch(why);
      expect(existsSync(join(root, 'dist')), logo).toBe(false);
    }
  });

  it('refuses a bad setting before anything is built, located in the file; warns on the example URL', async () => {
    const root = copyWorkspace(MINIMAL_EXAMPLE);
    writeFileSync(join(root, SETTINGS_FILE), 'title: Globex\nsite_url: https://kpi.globex.example/readback\n');
    const refused = await buildSite(root);
    expect(refused.status).toBe(2);
    expect(refused.result.problems).toEqual([
      expect.objectContaining({ code: 'SITE_URL_NOT_ORIGIN', file: SETTINGS_FILE, line: 2, column: 11 }),
    ]);
    expect(refused.result.problems[0]!.message).toMatch(/^site_url in readback\.config\.yaml must be/);
    expect(existsSync(join(root, 'dist'))).toBe(false);
    writeFileSync(join(root, SETTINGS_FILE), 'logo: missing.png\n');
    const noLogo = await buildSite(root);
    expect(noLogo.result.problems).toEqual([expect.objectContaining({ code: 'BAD_SETTING', line: 1, column: 7 })]);
    writeFileSync(join(root, SETTINGS_FILE), 'title: Globex\n');
    const example = await buildSite(root);
    expect(example.status).toBe(0);
    expect(example.stderr).toContain('the site URL is the example https://readback.example.com');
  }, 120_000);
});
