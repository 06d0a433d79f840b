import { useState } from "preact/hooks";
import { Empty, JobCard } from "../components";
import { addDays, dayName, localDate } from "../format";
import { useJobSheets } from "../move";
import { useCtx } from "../signed-in";

/** Day and week views; moving and cancelling open the same sheets as Today. */
export function Schedule() {
  const { data, timeZone } = useCtx();
  const sheets = useJobSheets();
  const today = localDate(new Date(), timeZone);
  const [view, setView] = useState<"day" | "week">("day");
  const [day, setDay] = useState(today);
  const days = view === "day" ? [day] : Array.from({ length: 7 }, (_, i) => addDays(day, i));
  const step = view === "day" ? 1 : 7;
  return (
    <>
      <h1 tabIndex={-1}>Schedule</h1>
      <div class="toolbar">
        <div class="chips" role="group" aria-label="View">
          {(["day", "week"] as const).map((v) => (
            <button
              type="button"
              class={`chip${view === v ? " on" : ""}`}
              aria-pressed={view === v}
              onClick={() => setView(v)}
              key={v}
            >
              {v === "day" ? "Day" : "Week"}
            </button>
          ))}
        </div>
        <div class="pager">
          <button
            type="button"
            class="button plain"
            onClick={() => setDay(addDays(day, -step))}
            aria-label={view === "day" ? "Previous day" : "Previous week"}
          >
            ‹
          </button>
          <button
            type="button"
            class="button plain"
            onClick={() => setDay(today)}
            disabled={day === today}
          >
            Today
          </button>
          <button
            type="button"
            class="button plain"
            onClick={() => setDay(addDays(day, step))}
            aria-label={view === "day" ? "Next day" : "Next week"}
          >
            ›
          </button>
        </div>
      </div>
      {days.map((d) => {
        const jobs = data.appointments
          .filter((a) => a.status === "booked" && localDate(a.start, timeZone) === d)
          .sort((a, b) => a.start.getTime() - b.start.getTime());
        return (
          <section key={d} aria-label={dayName(d)}>
            <h2>
              {d === today ? "Today, " : ""}
              {dayName(d)} <span class="count">{jobs.length}</span>
            </h2>
            {jobs.length === 0 ? (
              <Empty>
                {data.business?.booking.closedDates.includes(d) ? "Closed." : "Nothing booked."}
              </Empty>
            ) : (
              jobs.map((job) => (
                <JobCard
                  job={job}
                  key={job.id}
                  compact={view === "week"}
                  onMove={d >= today ? () => sheets.move(job) : undefined}
                  onCancel={d >= today ? () => sheets.cancel(job) : undefined}
                />
              ))
            )}
          </section>
        );
      })}
      {sheets.element}
    </>
  );
}
