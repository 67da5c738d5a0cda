/** docs/reference/dictionary-changes.md: `dictionary check` — the newest release against the current dictionary, plus frozen-history integrity. */
import { classifyDictionaryChange, type DiffReport, fingerprint, type Finding } from './diff.ts';
import type { LoadedDictionary } from './dictionary.ts';

export interface HistoryIntegrity {
  /** history file name → SHA-256 of its bytes now */
  actual: ReadonlyMap<string, string>;
  /** history file name → SHA-256 recorded at release (dictionary/history/SHA256SUMS) */
  recorded: ReadonlyMap<string, string>;
}

export function historyFindings(integrity: HistoryIntegrity): Finding[] {
  const findings: Finding[] = [];
  // without a SHA256SUMS there is nothing to compare with (a workspace not released by readback)
  if (integrity.recorded.size === 0) return findings;
  for (const [name, actual] of integrity.actual) {
    const recorded = integrity.recorded.get(name);
    if (recorded === actual) continue;
    const message = recorded
      ? `dictionary/history/${name} was edited after release (SHA-256 ${actual.slice(0, 12)}…, released as ${recorded.slice(0, 12)}…); history files are frozen — release a new version instead`
      : `dictionary/history/${name} is not recorded in dictionary/history/SHA256SUMS; history files are written by "readback dictionary release"`;
    findings.push({
      rule: 'HISTORY_EDITED',
      class: 'error',
      bump: 'none',
      metric_id: null,
      field: name,
      before: recorded ?? null,
      after: actual,
      note: null,
      note_required: false,
      violation: true,
      fingerprint: fingerprint('HISTORY_EDITED', null, name, recorded ?? null, actual),
      message,
    });
  }
  return findings;
}

/**
 * The check: classify newest history → current (looking across all history for reused ids)
 * and add history-integrity findings. With no history yet, the current dictionary is checked
 * against itself (nothing to compare), so a first release passes.
 */
export function checkDictionary(
  current: LoadedDictionary,
  history: readonly LoadedDictionary[],
  integrity: HistoryIntegrity,
  today: string,
): DiffReport {
  const newest = history.at(-1) ?? current;
  const report = classifyDictionaryChange(newest, current, { history, today });
  const findings = [...historyFindings(integrity), ...report.findings];
  return { ...report, findings, ok: !findings.some((f) => f.violation) };
}
