import { addDays, dayMonth, localDate, shortDay } from "../format";
import { useCtx } from "../signed-in";

/** Weekly counts from the last eight weeks of calls and bookings, with small bar charts. */
const WEEKS = 8;

interface Week {
  start: string;
  calls: number;
  bookings: number;
  emergencies: number;
  missed: number;
}

export function Insights() {
  const { data, timeZone } = useCtx();
  const today = localDate(new Date(), timeZone);
  const weekday = (new Date(`${today}T12:00:00Z`).getUTCDay() + 6) % 7;
  const thisMonday = addDays(today, -weekday);
  const weeks: Week[] = Array.from({ length: WEEKS }, (_, i) => ({
    start: addDays(thisMonday, -7 * (WEEKS - 1 - i)),
    calls: 0,
    bookings: 0,
    emergencies: 0,
    missed: 0,
  }));
  const weekOf = (at: Date) => {
    const day = localDate(at, timeZone);
    for (let i = weeks.length - 1; i >= 0; i--) if (day >= weeks[i].start) return weeks[i];
    return undefined;
  };
  for (const c of data.conversations) {
    if (c.channel !== "call") continue;
    const week = weekOf(c.startedAt);
    if (!week) continue;
    week.calls += 1;
    if (c.emergency) week.emergencies += 1;
    // A missed lead: the call's summary says they hung up before booking and need a call back
    // (before a summary exists: they hung up with nothing booked).
    const missed =
      c.needsOwner !== undefined
        ? c.needsOwner && c.summaryOutcome === "dropped"
        : c.outcome === "caller-hung-up" && c.appointmentIds.length === 0;
    if (missed) week.missed += 1;
  }
  for (const a of data.appointments) {
    if (a.source === "seed" || a.source === "dashboard") continue;
    const week = weekOf(a.createdAt ?? a.start);
    if (week) week.bookings += 1;
  }
  const series: Array<[keyof Omit<Week, "start">, string]> = [
    ["calls", "Calls answered"],
    ["bookings", "Bookings made"],
    ["emergencies", "Emergencies"],
    ["missed", "Missed leads"],
  ];
  return (
    <>
      <h1 tabIndex={-1}>Insights</h1>
      <p class="muted">Last {WEEKS} weeks, Monday to Sunday.</p>
      {series.map(([key, label]) => {
        const max = Math.max(1, ...weeks.map((w) => w[key]));
        const total = weeks.reduce((s, w) => s + w[key], 0);
        const thisWeek = weeks[weeks.length - 1][key];
        return (
          <section class="card chart" key={key} aria-labelledby={`chart-${key}`}>
            <h2 id={`chart-${key}`}>
              {label} <span class="big">{thisWeek}</span>{" "}
              <span class="muted small">
                this week · {total} in {WEEKS} weeks
              </span>
            </h2>
            <div
              class="bars"
              role="img"
              aria-label={`${label} per week, oldest first: ${weeks.map((w) => `week of ${shortDay(w.start)} ${w[key]}`).join(", ")}`}
            >
              {weeks.map((w, i) => (
                <div class="bar-col" key={w.start}>
                  <span class="bar-value">{w[key] || ""}</span>
                  <span
                    class={i === weeks.length - 1 ? "bar now" : "bar"}
                    style={{ height: `${Math.max(3, Math.round((w[key] / max) * 80))}%` }}
                  />
                  <span class="bar-label">{dayMonth(w.start)}</span>
                </div>
              ))}
            </div>
          </section>
        );
      })}
    </>
  );
}
