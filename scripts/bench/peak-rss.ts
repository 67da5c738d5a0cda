/**
 * This process's peak RSS in MB. On Linux getrusage's ru_maxrss survives execve, so a child
 * spawned by a large parent reports the parent's peak; VmHWM in /proc/self/status belongs to the
 * new address space and is the child's own.
 */
import { readdirSync, readFileSync } from 'node:fs';

export function peakRssMb(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]) / 1024;
  } catch {
    // not Linux: fall back to getrusage
  }
  return process.resourceUsage().maxRSS / 1024;
}

/**
 * The resident memory of a running process and every process below it (its children's children
 * too), in MB, read from /proc now: the benchmark samples a build with it, since a build runs
 * Astro in a child process and the PDFs in worker threads. 0 where /proc is missing. Pages two
 * processes share (Node's own code) count twice, so this is an upper bound.
 */
export function treeRssMb(pid: number): number {
  let kb = 0;
  const visit = (id: string) => {
    try {
      kb += Number(/^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${id}/status`, 'utf8'))?.[1] ?? 0);
      for (const task of readdirSync(`/proc/${id}/task`))
        for (const child of readFileSync(`/proc/${id}/task/${task}/children`, 'utf8').split(' '))
          if (child.trim()) visit(child.trim());
    } catch {
      // the process ended while it was read
    }
  };
  visit(String(pid));
  return kb / 1024;
}

/**
 * The CPU time (user + system, in ms) of every child process this one has waited for, and of
 * theirs: read from /proc/self/stat (cutime + cstime, in clock ticks of 10 ms), so a build's
 * Astro and pagefind processes count in it once the build has ended. NaN where /proc is missing.
 */
export function waitedChildrenCpuMs(): number {
  try {
    // the fields after the command name, which is in brackets and may hold spaces
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // cutime and cstime are fields 16 and 17 of the whole line, 14 and 15 after the name
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return NaN;
  }
}
