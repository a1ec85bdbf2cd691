// `match.payload` (SPEC §2): a JSON body deep-equal to one of the listed objects — same keys,
// same values and types, no extra keys, key order irrelevant. Both sides are reduced to one
// canonical JSON text (keys sorted at every level), so the comparison is one Set lookup.

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

export class PayloadMatcher {
  private readonly accepted: ReadonlySet<string>;

  constructor(payloadJson: readonly string[]) {
    this.accepted = new Set(payloadJson.map((text) => canonicalJson(JSON.parse(text))));
  }

  /** `canonical` is the request body's canonical JSON, or undefined when it is not a JSON object. */
  matches(canonical: string | undefined): boolean {
    return canonical !== undefined && this.accepted.has(canonical);
  }
}

/** Canonical JSON of a body that is a JSON object; undefined for anything else. */
export function canonicalBody(body: Buffer): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? canonicalJson(value) : undefined;
}
