/** `readback dictionary check|diff|release` (docs/reference/cli.md–§7). */
import { resolve } from 'node:path';
import { formatDiff } from '../core/diff-format.ts';
import { parseFormat } from './format.ts';
import { classifyDictionaryChange } from '../core/diff.ts';
import { checkDictionary } from '../core/governance.ts';
import { formatProblem } from '../core/problems.ts';
import { readHistoryIntegrity, writeRelease } from '../io/dictionary-history.ts';
import { compareSemver, CURRENT_DICTIONARY, loadDictionaryCatalog } from '../io/workspace.ts';
import { type Io, today, UsageError } from '../io/context.ts';

export interface DictionaryArgs {
  subcommand: string | undefined;
  positionals: string[];
  root: string | undefined;
  format: string | undefined;
}

export function dictionaryCommand(args: DictionaryArgs, io: Io): number {
  const root = resolve(io.cwd, args.root ?? '.');
  const format = parseFormat(args.format);
  const catalog = loadDictionaryCatalog(root);
  const invalid = () => {
    for (const p of catalog.problems) io.stderr.write(`${formatProblem(p)}\n`);
    return 2;
  };
  switch (args.subcommand) {
    case 'check': {
      if (args.positionals.length > 0)
        throw new UsageError(`dictionary check takes no arguments (got "${args.positionals[0]}")`);
      if (catalog.problems.length > 0 || !catalog.current) return invalid();
      const report = checkDictionary(catalog.current, catalog.history, readHistoryIntegrity(root), today());
      io.stdout.write(
        formatDiff(report, format, {
          file: CURRENT_DICTIONARY,
          metricLines: catalog.current.metricLines,
          command: 'check',
        }),
      );
      return report.ok ? 0 : 1;
    }
    case 'diff': {
      if (args.positionals.length > 2) throw new UsageError('dictionary diff takes at most two versions: FROM TO');
      if (catalog.problems.length > 0 || !catalog.current) return invalid();
      const [fromVersion, toVersion] = args.positionals;
      const pick = (version: string | undefined, fallback: typeof catalog.current) => {
        if (version === undefined) return fallback;
        const found = version === 'current' ? catalog.current : catalog.byVersion.get(version);
        if (!found)
          throw new UsageError(
            `no dictionary version "${version}" (known: ${[...catalog.byVersion.keys()].sort(compareSemver).join(', ')})`,
          );
        return found;
      };
      const from = pick(fromVersion, catalog.history.at(-1) ?? catalog.current);
      const to = pick(toVersion, catalog.current);
      const report = classifyDictionaryChange(from!, to!, {
        history: catalog.history.filter((h) => compareSemver(h.dictionary.version, to!.dictionary.version) < 0),
        today: today(),
      });
      io.stdout.write(formatDiff(report, format, { file: to!.file, metricLines: to!.metricLines, command: 'diff' }));
      return 0;
    }
    case 'release': {
      if (catalog.problems.length > 0 || !catalog.current) return invalid();
      const version = catalog.current.dictionary.version;
      if (catalog.history.some((h) => h.dictionary.version === version)) {
        io.stderr.write(
          `release refused: version ${version} is already released; raise version in ${CURRENT_DICTIONARY} first\n`,
        );
        return 1;
      }
      const report = checkDictionary(catalog.current, catalog.history, readHistoryIntegrity(root), today());
      if (!report.ok) {
        io.stderr.write(
          formatDiff(report, 'text', {
            file: CURRENT_DICTIONARY,
            metricLines: catalog.current.metricLines,
            command: 'check',
          }),
        );
        io.stderr.write(`release refused: dictionary check fails\n`);
        return 1;
      }
      const written = writeRelease(root, version);
      io.stderr.write(`released ${version}: ${written}\n`);
      return 0;
    }
    default:
      throw new UsageError(
        args.subcommand
          ? `unknown dictionary command "${args.subcommand}"`
          : 'dictionary needs a command: check, diff or release',
      );
  }
}
