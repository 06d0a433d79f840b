/** Dates and numbers on the business's wall clock, with the browser's Intl (no date library). */
const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = timeZone + JSON.stringify(options);
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", { timeZone, ...options });
    cache.set(key, f);
  }
  return f;
}

/** "2026-11-29" in the business's zone. */
export function localDate(at: Date, timeZone: string): string {
  const parts = formatter(timeZone, {
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}

export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function time(at: Date, timeZone: string): string {
  return formatter(timeZone, { hour: "numeric", minute: "2-digit", hour12: true })
    .format(at)
    .replace(":00", "")
    .replace(" ", "\u202f");
}

export function dayName(isoDate: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    weekday: "long",
    day: "numeric",
    month: "short",
    timeZone: "UTC",
  }).format(new Date(`${isoDate}T12:00:00Z`));
}

export function shortDay(isoDate: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    weekday: "short",
    day: "numeric",
    timeZone: "UTC",
  }).format(new Date(`${isoDate}T12:00:00Z`));
}

export function when(at: Date, timeZone: string, now = new Date()): string {
  const today = localDate(now, timeZone);
  const day = localDate(at, timeZone);
  const t = time(at, timeZone);
  if (day === today) return `Today ${t}`;
  if (day === addDays(today, -1)) return `Yesterday ${t}`;
  if (day === addDays(today, 1)) return `Tomorrow ${t}`;
  return `${shortDay(day)} ${t}`;
}

/** A UK/E.164 number as people read it: +447700900123 -> 07700 900123. */
export function phone(e164: string): string {
  if (e164.startsWith("+44") && e164.length === 13) {
    const national = "0" + e164.slice(3);
    return national.startsWith("07")
      ? `${national.slice(0, 5)} ${national.slice(5)}`
      : `${national.slice(0, 4)} ${national.slice(4, 7)} ${national.slice(7)}`;
  }
  return e164;
}

export function directionsUrl(address: string): string {
  return `https://www.google.com/maps/dir/?api=1&destination=${encodeURIComponent(address)}`;
}

/** "16 Nov" */
export function dayMonth(isoDate: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    day: "numeric",
    month: "short",
    timeZone: "UTC",
  }).format(new Date(`${isoDate}T12:00:00Z`));
}
