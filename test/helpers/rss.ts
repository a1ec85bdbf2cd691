// Resident memory of another process, read from /proc/<pid>/status (Linux).
import { readFileSync, writeFileSync } from 'node:fs';

export interface MemoryReading {
  /** Current resident set size, bytes. */
  rss: number;
  /** Peak resident set size since start or the last resetPeak(), bytes. */
  peak: number;
}

export function readMemory(pid: number): MemoryReading {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    if (!m) throw new Error(`no ${field} in /proc/${pid}/status`);
    return Number(m[1]) * 1024;
  };
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/** Resets VmHWM to the current RSS (clear_refs "5"); returns false where the kernel refuses. */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Samples VmRSS every `everyMs` until stop(); stop() returns the highest value seen (bytes). */
export function sampleRss(pid: number, everyMs = 25): { stop(): number } {
  let max = 0;
  const take = () => {
    try {
      max = Math.max(max, readMemory(pid).rss);
    } catch {
      // the process is gone; keep what was seen
    }
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return max;
    },
  };
}
