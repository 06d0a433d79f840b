import { useEffect, useState } from "preact/hooks";
import type { MoveOption } from "@shared/dashboard-contract";
import { act, ActionError } from "./actions";
import { Sheet } from "./components";
import { addDays, dayName, localDate, shortDay, time } from "./format";
import type { Appointment } from "./model";
import { useCtx } from "./signed-in";

/**
 * Moving a job: pick a day, then one of the times the booking rules allow
 * (the server works them out: hours, closed days, lead time, other jobs with
 * their buffers and travel). Tap-only; the customer is texted and the
 * calendar follows, as for any move.
 */
export function MoveSheet(props: { job: Appointment; onClose: () => void }) {
  const { app, claims, timeZone, online, data } = useCtx();
  const today = localDate(new Date(), timeZone);
  const horizon = data.business?.booking.horizonDays ?? 14;
  const [day, setDay] = useState(
    localDate(props.job.start, timeZone) >= today ? localDate(props.job.start, timeZone) : today,
  );
  const [options, setOptions] = useState<MoveOption[] | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [calendarChecked, setCalendarChecked] = useState(true);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    let live = true;
    setOptions(null);
    setChosen(null);
    setProblem(null);
    act(app, "moveOptions", { businessId: claims.businessId, appointmentId: props.job.id, day })
      .then((r) => {
        if (!live) return;
        setOptions(r.options.filter((o) => o.start !== props.job.start.toISOString()));
        setCalendarChecked(r.calendarChecked !== false);
      })
      .catch(
        (e: unknown) =>
          live &&
          (setOptions([]),
          setProblem(e instanceof ActionError ? e.message : "Couldn't load free times.")),
      );
    return () => {
      live = false;
    };
  }, [day]);
  const days = Array.from({ length: horizon + 1 }, (_, i) => addDays(today, i));
  const confirm = async () => {
    if (!chosen) return;
    setBusy(true);
    setProblem(null);
    try {
      await act(app, "moveAppointment", {
        businessId: claims.businessId,
        appointmentId: props.job.id,
        start: chosen,
      });
      props.onClose();
    } catch (e) {
      setProblem(e instanceof ActionError ? e.message : "That didn't work. Nothing was changed.");
    } finally {
      setBusy(false);
    }
  };
  return (
    <Sheet
      title={`Move ${props.job.customerName}'s ${props.job.serviceName.toLowerCase()}`}
      onClose={props.onClose}
    >
      <p class="muted">
        Now: {dayName(localDate(props.job.start, timeZone))}, {time(props.job.start, timeZone)}
      </p>
      <fieldset class="picker">
        <legend>Day</legend>
        <div class="chips scroll" role="radiogroup" aria-label="Day">
          {days.map((d) => (
            <button
              type="button"
              role="radio"
              aria-checked={d === day}
              class={`chip${d === day ? " on" : ""}`}
              onClick={() => setDay(d)}
              key={d}
            >
              {d === today ? "Today" : shortDay(d)}
            </button>
          ))}
        </div>
      </fieldset>
      <fieldset class="picker">
        <legend>Free times on {dayName(day)}</legend>
        {options === null ? (
          <p class="muted" role="status">
            Finding free times…
          </p>
        ) : options.length === 0 ? (
          <p class="muted">No free time that day. Try another day.</p>
        ) : (
          <div class="chips" role="radiogroup" aria-label="Time">
            {options.map((o) => (
              <button
                type="button"
                role="radio"
                aria-checked={o.start === chosen}
                class={`chip${o.start === chosen ? " on" : ""}`}
                onClick={() => setChosen(o.start)}
                key={o.start}
              >
                {time(new Date(o.start), timeZone)}
              </button>
            ))}
          </div>
        )}
      </fieldset>
      {!calendarChecked && options !== null && (
        <p class="muted small" role="status">
          Your Google Calendar couldn't be read just now: check these times against it.
        </p>
      )}
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      <div class="sheet-foot">
        <button
          type="button"
          class="button primary"
          disabled={!chosen || busy || !online}
          onClick={confirm}
        >
          {busy
            ? "Moving…"
            : chosen
              ? `Move to ${shortDay(localDate(new Date(chosen), timeZone))} ${time(new Date(chosen), timeZone)}`
              : "Pick a time"}
        </button>
        <p class="muted small">
          We'll text {props.job.customerName || "the customer"} the new time.
        </p>
      </div>
    </Sheet>
  );
}

export function CancelSheet(props: { job: Appointment; onClose: () => void }) {
  const { app, claims, timeZone, online } = useCtx();
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const confirm = async () => {
    setBusy(true);
    setProblem(null);
    try {
      await act(app, "cancelAppointment", {
        businessId: claims.businessId,
        appointmentId: props.job.id,
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      });
      props.onClose();
    } catch (e) {
      setProblem(e instanceof ActionError ? e.message : "That didn't work. Nothing was changed.");
    } finally {
      setBusy(false);
    }
  };
  return (
    <Sheet title="Cancel this job?" onClose={props.onClose}>
      <p>
        {props.job.customerName}, {props.job.serviceName.toLowerCase()},{" "}
        {dayName(localDate(props.job.start, timeZone))} at {time(props.job.start, timeZone)}.
        They'll get a text saying it's cancelled.
      </p>
      <label>
        Reason (optional, kept in the log)
        <input
          value={reason}
          onInput={(e) => setReason((e.target as HTMLInputElement).value)}
          maxLength={200}
        />
      </label>
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      <div class="sheet-foot two">
        <button type="button" class="button plain" onClick={props.onClose}>
          Keep it
        </button>
        <button type="button" class="button danger" disabled={busy || !online} onClick={confirm}>
          {busy ? "Cancelling…" : "Yes, cancel the job"}
        </button>
      </div>
    </Sheet>
  );
}

/** Which sheet is open, shared by the screens that list jobs. */
export function useJobSheets() {
  const [sheet, setSheet] = useState<{ kind: "move" | "cancel"; job: Appointment } | null>(null);
  const element = sheet ? (
    sheet.kind === "move" ? (
      <MoveSheet job={sheet.job} onClose={() => setSheet(null)} />
    ) : (
      <CancelSheet job={sheet.job} onClose={() => setSheet(null)} />
    )
  ) : null;
  return {
    element,
    move: (job: Appointment) => setSheet({ kind: "move", job }),
    cancel: (job: Appointment) => setSheet({ kind: "cancel", job }),
  };
}
