// Huawei's timestamp spellings, which differ by service (reference §5.7).

let lastMicros: [number, string] = [Number.NaN, ""];

/** IAM token style: 2020-01-04T09:05:22.701000Z (microseconds). Tokens issued in one millisecond share it. */
export function isoMicros(ms: number): string {
  if (lastMicros[0] === ms) return lastMicros[1];
  const s = new Date(ms).toISOString(); // 2020-01-04T09:05:22.701Z
  const out = `${s.slice(0, 23)}000Z`;
  lastMicros = [ms, out];
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
