/** The help texts of every command: a module of its own, so `readback --help` loads nothing else. */

/** Every `readback help COMMAND` text, by command (`main`: `readback --help`). */
export const HELP: Record<string, string> = {
  main: `readback — reconcile leadership and partner KPI exports, then publish what agrees.

Usage:
  readback init [DIR]
  readback reconcile [--root DIR] [--tuple ID]... [--json | --format F]
  readback dictionary check|diff|release [--root DIR] [--format F]
  readback build [--root DIR] [--out DIR] [--tuple ID]... [--json]
  readback manifest write --audience A --tuple ID --run ID --start T --end T --dictionary V FILE
  readback verify DIR
  readback preview [DIR] [--port N]
  readback help [COMMAND]

Commands:
  init        write a new workspace that reconciles green and builds at once
  reconcile   check every tuple's two exports against the metric dictionary
  dictionary  classify dictionary changes, check them, release a version
  build       check, reconcile, then publish the site and the one-pagers into dist/
  manifest    write an export's manifest with its SHA-256, right after the export
  verify      recompute every hash of a built site (dist/) from its published files
  preview     serve a built site on 127.0.0.1 for a look before publishing

Exit codes: 0 green, 1 red (exports disagree), 2 invalid input, 64 usage error,
70 a fault in Readback itself (said in one line; READBACK_DEBUG=1 shows where).
Run "readback COMMAND --help" for a command's options.`,
  reconcile: `readback reconcile — reconcile each tuple's leadership and partner exports.

Usage:
  readback reconcile [--root DIR] [--tuple ID]... [--json | --format F]

Options:
  --root DIR    the workspace (default: the current directory); reads dictionary/ and content/tuples/
  --tuple ID    only this tuple (repeatable)
  --json        print the reconcile report (readback.reconcile-report/1) on stdout
  --format F    print the result on stdout as F:
                  text      the summary below
                  json      the report (as --json)
                  markdown  a summary for a pull request: tuples, then every problem
                  junit     a test suite per tuple, a test case per metric
                  github    a workflow annotation per problem, on the file, line and column it names
  -h, --help    this text

A summary always goes to stderr.

Writes .readback/reconcile/report.json; a red or invalid tuple also gets
.readback/reconcile/failures/<tuple_id>.json and one owner ticket per failing metric in
.readback/reconcile/tickets/<tuple_id>--<metric_id>.md, addressed to the metric's owner. Red
problems that are no metric's (windows, runs, bypass audit ids) go to the owner named in the
tuple's tuple.yaml, in .readback/reconcile/tickets/<tuple_id>--_tuple.md.

Exit codes: 0 every tuple green, 1 some tuple red, 2 some input invalid, 64 usage error.`,
  dictionary: `readback dictionary — govern the metric dictionary.

Usage:
  readback dictionary check   [--root DIR] [--format F]
  readback dictionary diff    [FROM] [TO] [--root DIR] [--format F]
  readback dictionary release [--root DIR]

check     classifies every change from the newest file in dictionary/history/ to
          dictionary/metrics.yaml and verifies the history files are unedited.
          Exit 0 ok, 1 violations (forbidden change, missing intent note, insufficient
          version bump, edited history), 2 unreadable dictionary.
diff      the classified diff of two versions (default: newest history → current). Exit 0.
release   after a passing check, freezes dictionary/metrics.yaml into
          dictionary/history/<version>.yaml and records its SHA-256. Exit 0, or 1 if refused.

Options:
  --root DIR    the workspace (default: the current directory)
  --format F    text (default), json, markdown, junit or github
  -h, --help    this text

Removals are judged against today's UTC date; set READBACK_TODAY=YYYY-MM-DD to pin it.`,
  manifest: `readback manifest write — write an export's manifest (its sidecar) with the file's SHA-256.

Usage:
  readback manifest write --audience leadership|partner --tuple ID --run ID
                          --start T --end T --dictionary VERSION [--generated-at T] FILE

FILE is the export just written: content/tuples/<ID>/leadership.csv or partner.csv (a subfolder
of the tuple folder is allowed). The manifest is written beside the tuple folder's other files as
content/tuples/<ID>/<audience>.manifest.json, replacing an earlier one.

Options:
  --audience A        leadership or partner; FILE must be named <audience>.csv
  --tuple ID          the tuple id; FILE must be inside a folder of that name
  --run ID            the export run's id; both exports of a tuple carry the same one
  --start T           the window's first instant, UTC with a Z suffix (2026-04-06T00:00:00Z)
  --end T             the instant the window ends, excluded; later than --start
  --dictionary V      the dictionary version the export was computed with (2.1.0)
  --generated-at T    when the export was written (default: now, to the second)
  -h, --help          this text

Refuses what reconcile would refuse: an offset instead of Z, an empty window, a file outside the
tuple folder or named for the other audience.

Exit codes: 0 written, 2 refused (each reason is listed), 64 usage error.`,
  build: `readback build — check, reconcile and publish a workspace's site.

Usage:
  readback build [--root DIR] [--out DIR] [--tuple ID]... [--json]

Checks the dictionary, reconciles every tuple, then builds the site and the one-pagers into a
staging folder, checks every link, anchor and hash, and only then replaces the published folder.
Any problem stops the build and leaves the published folder as it was. One build at a time per
published folder: while one runs (it holds <out>.lock), another is refused with BUILD_IN_PROGRESS.
What an earlier build made from the same inputs (reconciled tuples, pages, search indexes,
one-pagers, the checks a tuple's unchanged files passed, and what was read of a page that is
still the same file) is reused (kept in <root>/.readback/cache/, safe to delete); a partner
bundle that would be built the same, and whose published files are untouched, is kept whole and
moved into the new site. What is published is the same, byte for byte.

Options:
  --root DIR   the workspace (default: the current directory)
  --out DIR    the published folder (default: <root>/dist)
  --tuple ID   refresh only this tuple (repeatable) in the published folder: it is reconciled and
               published again, with its partner's bundle, and every other tuple stays exactly as
               published, so one partner's red export holds back no other partner
  --json       print { "problems": [...], "published": ... } on stdout
  -h, --help   this text

Settings: READBACK_SITE_URL (an http(s) origin), READBACK_PARTNER_SITE_URL (where each partner
bundle is deployed: a URL holding {partner_id}; default <site>/partners/{partner_id}),
READBACK_PDF_SIZE (LETTER or A4),
READBACK_TODAY (YYYY-MM-DD), READBACK_ALLOW_ANCHOR_REMOVAL=1, READBACK_TIMINGS=1.

Exit codes: 0 published, 1 red or the site would be wrong, 2 invalid input or settings, 64 usage error,
70 a fault in Readback itself (READBACK_DEBUG=1 shows where).`,
  init: `readback init — write a new workspace that reconciles green and builds at once.

Usage:
  readback init [DIR]

Writes into DIR (default: the current folder; created when missing):
  dictionary/metrics.yaml              a small metric dictionary, released as 1.0.0
  dictionary/history/                  that release and its SHA256SUMS
  content/tuples/example-2026-q1/      one tuple: tuple.yaml, both exports, their manifests, readback.md
  content/faq.md                       the questions the readback pages answer
  readback.config.yaml                 the site's title, URLs, accent colour and logo
  .github/workflows/readback.yml       CI: dictionary check, reconcile, build, verify
  .gitignore                           dist/ and .readback/
  package.json                         only when DIR has none: readback as a development dependency,
                                       installed from vendor/readback-<version>.tgz

Never overwrites a file: when any of them exists, nothing is written.

Exit codes: 0 written, 64 usage error (a file would be overwritten, DIR is not a folder).`,
  preview: `readback preview — serve a built site on this machine, for a look before publishing.

Usage:
  readback preview [DIR] [--port N]

DIR is the built site (default: dist). It is served on 127.0.0.1 only, at the printed URL; a
partner bundle (dist/partners/<partner_id>) can be previewed on its own the same way, served at
the path its links start from (its base URL's path, /partners/<partner_id>/ by default). Ctrl-C
stops it.

Options:
  --port N      the port (default: a free one)
  -h, --help    this text

Exit codes: 0 stopped with Ctrl-C, 64 usage error (no such folder, a port in use).`,
  verify: `readback verify — recompute every tuple revision hash, dictionary_sha256, download hash
and artifact id of a built site from its published files alone, and check that every number and
fact (window, run id, dictionary version and SHA-256, hashes, artifact id, status) the index, the
annex, the HTML readback and the PDF one-pager show is the one in tuples/<tuple_id>/report.json.
The PDFs are read with pdfjs-dist; where it is not installed, verify says their numbers went unchecked.
Each partner bundle in DIR (partners/<partner_id>/) is verified as a site of its own; a bundle
folder given as DIR verifies alone.

Usage:
  readback verify DIR

Exit codes: 0 everything matches, 1 a mismatch (each one is listed), 64 usage error.`,
};
