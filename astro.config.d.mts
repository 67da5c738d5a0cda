import type { AstroUserConfig } from 'astro';
export declare const DEFAULT_SITE_URL: string;
declare const config: AstroUserConfig;
export default config;
