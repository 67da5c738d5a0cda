#!/usr/bin/env node
/** The `readback` command line (docs/reference/cli.md). Parses arguments, calls io + core, prints, picks the exit code. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { EXIT_SOFTWARE, EXIT_USAGE, type Io, unexpectedFailure, UsageError } from '../io/context.ts';
import { HELP } from './help.ts';

// each command's module is loaded when that command runs: `readback --help` loads nothing else
export { HELP };

function parse<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O) {
  try {
    return parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' } } as O & { help: { type: 'boolean'; short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Resolves on the first Ctrl-C (SIGINT) or SIGTERM: a command that runs until stopped ends cleanly. */
function interrupted(): Promise<void> {
  return new Promise((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  /** A command's help text, asked for with --help: printed, and the command ends well. */
  const help = (name: keyof typeof HELP) => {
    io.stdout.write(`${HELP[name]}\n`);
    return 0;
  };
  try {
    switch (command) {
      case 'reconcile': {
        const { values, positionals } = parse(rest, {
          root: { type: 'string' },
          tuple: { type: 'string', multiple: true },
          json: { type: 'boolean' },
          format: { type: 'string' },
        } as const);
        if (values.help) return help('reconcile');
        if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
        const { reconcileCommand } = await import('./reconcile.ts');
        return await reconcileCommand(values, io);
      }
      case 'dictionary': {
        const { values, positionals } = parse(rest, { root: { type: 'string' }, format: { type: 'string' } } as const);
        if (values.help) return help('dictionary');
        const [subcommand, ...more] = positionals;
        const { dictionaryCommand } = await import('./dictionary.ts');
        return dictionaryCommand({ subcommand, positionals: more, root: values.root, format: values.format }, io);
      }
      case 'manifest': {
        const { values, positionals } = parse(rest, {
          audience: { type: 'string' },
          tuple: { type: 'string' },
          run: { type: 'string' },
          start: { type: 'string' },
          end: { type: 'string' },
          dictionary: { type: 'string' },
          'generated-at': { type: 'string' },
        } as const);
        if (values.help) return help('manifest');
        const { manifestCommand } = await import('./manifest.ts');
        return await manifestCommand(
          { ...values, generatedAt: values['generated-at'], positionals, now: new Date() },
          io,
        );
      }
      case 'init': {
        const { values, positionals } = parse(rest, {} as const);
        if (values.help) return help('init');
        const { initCommand } = await import('./init.ts');
        return initCommand(positionals, io);
      }
      case 'build': {
        const { values, positionals } = parse(rest, {
          root: { type: 'string' },
          out: { type: 'string' },
          tuple: { type: 'string', multiple: true },
          json: { type: 'boolean' },
        } as const);
        if (values.help) return help('build');
        if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
        const { buildCommand } = await import('./build.ts');
        return await buildCommand({ ...values, env: io.env ?? process.env }, io);
      }
      case 'preview': {
        const { values, positionals } = parse(rest, { port: { type: 'string' } } as const);
        if (values.help) return help('preview');
        const { previewCommand } = await import('./preview.ts');
        return await previewCommand({ positionals, port: values.port }, io, io.stopped ?? interrupted());
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h': {
        const topic = rest[0] && HELP[rest[0]] ? rest[0] : 'main';
        io.stdout.write(`${HELP[topic]}\n`);
        return command === undefined ? EXIT_USAGE : 0;
      }
      case 'verify': {
        const { values, positionals } = parse(rest, {} as const);
        if (values.help) return help('verify');
        if (positionals.length !== 1)
          throw new UsageError('verify takes one argument: the built site folder, e.g. dist/');
        const { verifyCommand } = await import('./verify.ts');
        return await verifyCommand(positionals[0]!, io);
      }
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`readback: ${error.message}\nRun "readback --help" for usage.\n`);
      return EXIT_USAGE;
    }
    io.stderr.write(unexpectedFailure(error));
    return EXIT_SOFTWARE;
  }
}

if (import.meta.main) {
  process.exitCode = await main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
  });
}
