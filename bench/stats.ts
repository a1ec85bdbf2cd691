// The median the benchmarks report over their interleaved rounds.

/** The element with the median `by` (the upper middle one of an even count); undefined when empty. */
export function medianBy<T>(items: readonly T[], by: (item: T) => number): T | undefined {
  const sorted = [...items].sort((a, b) => by(a) - by(b));
  return sorted[Math.floor(sorted.length / 2)];
}

/** The median of numbers (the upper middle one of an even count); NaN when empty. */
export function median(xs: readonly number[]): number {
  return medianBy(xs, (x) => x) ?? NaN;
}
