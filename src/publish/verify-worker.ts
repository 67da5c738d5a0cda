/**
 * A worker thread that verifies a staged site for the build (src/publish/publish.ts): at once, the
 * auditor's replay of every hash and shown value (src/io/verify.ts), while the build's thread reads
 * the site for links; then, told the site is complete, it writes each site's SHA256SUMS and checks
 * every file against it, and answers with what verify found, as `readback verify` would.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { type FileHashes, SITE_SUMS, siteSums, verifySiteThenSums, type VerifyResult } from '../io/verify.ts';

/** What the build sends once every file but the sums is written: the sites, bundles first. */
export interface SitesComplete {
  /** each site's folder in the staging folder, `''` for the internal site, which is listed last */
  folders: string[];
}

export type VerifyReply = { result: VerifyResult } | { error: string };

const dir = workerData as string;
// the sums written here are then checked here: a file unchanged since is not read again
const hashes: FileHashes = new Map();
try {
  const thenSums = verifySiteThenSums(dir, hashes);
  parentPort!.once('message', ({ folders }: SitesComplete) => {
    try {
      // a bundle's files are listed in its own SHA256SUMS and not in the site's around it
      for (const folder of folders) writeFileSync(join(dir, folder, SITE_SUMS), siteSums(join(dir, folder), hashes));
      parentPort!.postMessage({ result: thenSums() } satisfies VerifyReply);
    } catch (error) {
      parentPort!.postMessage({ error: String((error as Error).stack ?? error) } satisfies VerifyReply);
    }
  });
} catch (error) {
  parentPort!.postMessage({ error: String((error as Error).stack ?? error) } satisfies VerifyReply);
}
