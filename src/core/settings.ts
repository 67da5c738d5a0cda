/**
 * The site settings a program sets once, in `readback.config.yaml` at the workspace root: its
 * name, logo and accent colour, and where the internal site and the partner bundles are deployed.
 */
import { z } from 'zod';
import { isInsideFolder } from './manifest.ts';
import { parseYaml, validate } from './located.ts';
import { problem, type Problem, type SourceLocation } from './problems.ts';

export const SETTINGS_FILE = 'readback.config.yaml';

/** Image types a logo may be: shown with <img>, so an SVG's scripts never run. */
export const LOGO_TYPES: Record<string, string> = {
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
};

export const SiteSettingsSchema = z.strictObject({
  /**
   * The program's name: every page's header and title, and the one-pager's heading.
   * @example "Acme KPI program"
   */
  title: z.string().trim().min(1).max(80).optional(),
  /**
   * The internal site's address, an http(s) origin; READBACK_SITE_URL overrides it.
   * @example "https://kpi.example.org"
   */
  site_url: z.string().optional(),
  /**
   * Where each partner bundle is deployed, holding `{partner_id}`; READBACK_PARTNER_SITE_URL overrides it.
   * @example "https://{partner_id}.partners.example.org"
   */
  partner_site_url: z.string().optional(),
  /**
   * The colour of links and marks, `#rrggbb`.
   * @example "#0b5cad"
   */
  accent: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'a colour written #rrggbb, such as "#0b5cad"')
    .optional(),
  /**
   * An image file in the workspace (svg, png, jpg or webp), shown in every page's header.
   * @example "content/logo.svg"
   */
  logo: z.string().optional(),
});
export type SiteSettings = z.infer<typeof SiteSettingsSchema>;

export interface SettingsRead {
  settings: SiteSettings;
  problems: Problem[];
  /** where each key is written, for problems about its value */
  at: (key: keyof SiteSettings) => SourceLocation;
}

export function parseSettings(text: string, file = SETTINGS_FILE): SettingsRead {
  const parsed = parseYaml(text, file, 'BAD_SETTING');
  const at = (key: keyof SiteSettings) => ({ file, ...(parsed.locate([key]) ?? {}) });
  // an empty file is no settings
  if (parsed.value === null && parsed.problems.length === 0) return { settings: {}, problems: [], at };
  const checked = validate(SiteSettingsSchema, parsed, file, 'BAD_SETTING', 'the site settings');
  const settings = checked.value ?? {};
  const problems = [...checked.problems];
  const logo = settings.logo;
  if (logo !== undefined) {
    const extension = /\.[A-Za-z]+$/.exec(logo)?.[0].toLowerCase() ?? '';
    if (!isInsideFolder(logo))
      problems.push(
        problem('BAD_SETTING', `logo "${logo}" must be a file inside the workspace (a relative path)`, at('logo')),
      );
    else if (!(extension in LOGO_TYPES))
      problems.push(
        problem('BAD_SETTING', `logo "${logo}" must be an image: ${Object.keys(LOGO_TYPES).join(', ')}`, at('logo')),
      );
  }
  return { settings: problems.length === 0 ? settings : {}, problems, at };
}

/**
 * Why an SVG logo is refused, or null. The logo is published at each site's root, where a browser
 * opening it directly would run its scripts in the site's origin: no script, event handler,
 * foreign content, entity, or link out of the file.
 */
export function svgLogoProblem(svg: string): string | null {
  const active = [
    [/<script\b/i, 'a <script> element'],
    [/\son[a-z]+\s*=/i, 'an event handler attribute (on…=)'],
    [/<foreignObject\b/i, 'a <foreignObject> element'],
    [/javascript:/i, 'a javascript: link'],
    [/<!ENTITY\b/i, 'an entity declaration'],
    [/(?:xlink:)?href\s*=\s*["'](?!#)/i, 'a link out of the file (href other than #…)'],
  ] as const;
  const found = active.find(([pattern]) => pattern.test(svg));
  return found ? `holds ${found[1]}; a logo must be a plain drawing` : null;
}
