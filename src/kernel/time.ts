// Huawei's timestamp spellings, which differ by service (reference §5.7).

/** The last few IAM-style times formatted: a token's issue and expiry times repeat across a millisecond. */
const micros = new Map<number, string>();

/** IAM token style: 2020-01-04T09:05:22.701000Z (microseconds). */
export function isoMicros(ms: number): string {
  const hit = micros.get(ms);
  if (hit !== undefined) return hit;
  const s = new Date(ms).toISOString(); // 2020-01-04T09:05:22.701Z
  const out = `${s.slice(0, 23)}000Z`;
  if (micros.size >= 16) micros.clear();
  micros.set(ms, out);
  return out;
}

/** ECS/AS style: 2020-01-04T09:05:22Z. */
export function isoSeconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** Parses X-Sdk-Date (YYYYMMDDTHHMMSSZ) to epoch ms, or undefined when malformed. */
export function parseSdkDate(v: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(v);
  if (!m) return undefined;
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  return Number.isNaN(ms) ? undefined : ms;
}
