/**
 * This process's peak RSS in MB. On Linux getrusage's ru_maxrss survives execve, so a child
 * spawned by a large parent reports the parent's peak; VmHWM in /proc/self/status belongs to the
 * new address space and is the child's own.
 */
import { readFileSync } from 'node:fs';

export function peakRssMb(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]) / 1024;
  } catch {
    // not Linux: fall back to getrusage
  }
  return process.resourceUsage().maxRSS / 1024;
}
