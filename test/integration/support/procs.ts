// Linux /proc readers for tests that check which processes a run left behind
// and what their command lines and environments hold.
import fs from 'node:fs';

export interface ProcInfo {
  pid: number;
  pgid: number;
  comm: string;
}

/** Every process this user can see, with its process group and name; a process that ends while read is left out. */
export function listProcesses(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses.
      const close = stat.lastIndexOf(')');
      const fields = stat.slice(close + 2).split(' ');
      out.push({ pid: Number(name), pgid: Number(fields[2]), comm: stat.slice(stat.indexOf('(') + 1, close) });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** The processes of one process group. */
export const groupMembers = (pgid: number) => listProcesses().filter((p) => p.pgid === pgid);

/** A process's argv and environment as raw text (NUL-separated), or null once it is gone or not readable. */
export function readArgvAndEnviron(pid: number): { cmdline: string; environ: string } | null {
  try {
    return { cmdline: fs.readFileSync(`/proc/${pid}/cmdline`, 'latin1'), environ: fs.readFileSync(`/proc/${pid}/environ`, 'latin1') };
  } catch {
    return null;
  }
}
