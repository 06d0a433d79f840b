import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { DashboardAction } from "@shared/access";
import { mayCall } from "@shared/access";
import { act, ActionError } from "./actions";
import { directionsUrl, phone, time } from "./format";
import type { Appointment } from "./model";
import { useCtx } from "./signed-in";

/** A button that runs a change; offline it is visibly off, and failures are said out loud. */
export function ActionButton(props: {
  action: DashboardAction;
  run: () => Promise<unknown>;
  children: ComponentChildren;
  kind?: "primary" | "danger" | "plain";
  label?: string;
  done?: string;
}) {
  const { online, claims } = useCtx();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  if (!mayCall(props.action, claims.role)) return null;
  const click = async () => {
    setBusy(true);
    setMessage(null);
    try {
      await props.run();
      if (props.done) setMessage({ text: props.done, error: false });
    } catch (e) {
      setMessage({
        text: e instanceof ActionError ? e.message : "That didn't work. Nothing was changed.",
        error: true,
      });
    } finally {
      setBusy(false);
    }
  };
  return (
    <span class="action">
      <button
        type="button"
        class={`button ${props.kind ?? "plain"}`}
        onClick={click}
        disabled={busy || !online}
        aria-label={props.label}
        title={online ? undefined : "Offline: changes are off"}
      >
        {busy ? "Working…" : props.children}
      </button>
      {message && (
        <span class={message.error ? "error" : "ok"} role={message.error ? "alert" : "status"}>
          {message.text}
        </span>
      )}
    </span>
  );
}

/** A modal sheet (the native dialog: focus trapped, Escape closes). */
export function Sheet(props: { title: string; onClose: () => void; children: ComponentChildren }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog ref={ref} class="sheet" aria-labelledby="sheet-title" onClose={props.onClose}>
      <div class="sheet-head">
        <h2 id="sheet-title">{props.title}</h2>
        <button type="button" class="button plain" onClick={props.onClose}>
          Close
        </button>
      </div>
      {props.children}
    </dialog>
  );
}

const CONFIRMATION: Record<string, string> = {
  confirmed: "Confirmed",
  requested: "Asked to confirm",
  "not-requested": "Not confirmed yet",
};

const CALENDAR: Record<string, string> = {
  synced: "In your calendar",
  pending: "Calendar updating",
  error: "Calendar error",
  "not-connected": "No calendar connected",
};

const TEXT_KIND: Record<string, string> = {
  "booking-confirmation": "Confirmation",
  "appointment-reminder": "Reminder",
  "appointment-moved": "New-time text",
  "appointment-cancelled": "Cancellation text",
};

const TEXT_STATUS: Record<string, string> = {
  PENDING: "queued",
  PROCESSING: "sending",
  RETRY: "retrying",
  SUCCESS: "sent",
  SIMULATED: "sent (simulated)",
  ERROR: "failed",
};

export function JobCard(props: {
  job: Appointment;
  onMove?: () => void;
  onCancel?: () => void;
  compact?: boolean;
}) {
  const { job } = props;
  const { timeZone, data, app, claims } = useCtx();
  const done = data.done[job.id];
  const texts = data.outbox.filter(
    (m) => m.relatedId === job.id && !m.purpose.startsWith("owner-"),
  );
  const latestText = texts.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
  return (
    <article
      class={`card job${done ? " done" : ""}`}
      aria-label={`${time(job.start, timeZone)} ${job.customerName}`}
    >
      <div class="job-body">
        <p class="job-time">
          <strong>{time(job.start, timeZone)}</strong>
          <span class="muted">to {time(job.end, timeZone)}</span>
        </p>
        <h3>
          {job.customerName || phone(job.customerPhone)}
          {done && <span class="pill ok-pill">Done</span>}
        </h3>
        <p class="service">
          {job.serviceName}
          {job.problem ? ` · ${job.problem}` : ""}
        </p>
        <p class="muted">{job.address}</p>
        <p class="tags">
          <span class={`pill ${job.confirmation === "confirmed" ? "ok-pill" : ""}`}>
            {CONFIRMATION[job.confirmation ?? "not-requested"]}
          </span>
          {job.calendarState && CALENDAR[job.calendarState] && (
            <span class={`pill ${job.calendarState === "error" ? "warn-pill" : ""}`}>
              {CALENDAR[job.calendarState]}
            </span>
          )}
          {job.previousStart && <span class="pill">Moved</span>}
          {latestText && (
            <span
              class={`pill${latestText.status === "ERROR" ? " warn-pill" : ""}`}
              title={latestText.body}
            >
              {TEXT_KIND[latestText.purpose] ?? "Text"}{" "}
              {TEXT_STATUS[latestText.status] ?? latestText.status.toLowerCase()}
            </span>
          )}
        </p>
        {!props.compact && (
          <div class="job-actions">
            <a
              class="button plain"
              href={`tel:${job.customerPhone}`}
              aria-label={`Call ${job.customerName}`}
            >
              Call
            </a>
            <a
              class="button plain"
              href={`sms:${job.customerPhone}`}
              aria-label={`Text ${job.customerName}`}
            >
              Text
            </a>
            {job.address && (
              <a
                class="button plain"
                href={directionsUrl(job.address)}
                target="_blank"
                rel="noopener"
                aria-label={`Directions to ${job.address}`}
              >
                Directions
              </a>
            )}
            <ActionButton
              action="markJobDone"
              label={
                done
                  ? `Mark ${job.customerName}'s job not done`
                  : `Mark ${job.customerName}'s job done`
              }
              run={() =>
                act(app, "markJobDone", {
                  businessId: claims.businessId,
                  appointmentId: job.id,
                  done: !done,
                })
              }
            >
              {done ? "Undo done" : "Done"}
            </ActionButton>
            {props.onMove && mayCall("moveAppointment", claims.role) && (
              <MoveButtons
                onMove={props.onMove}
                onCancel={props.onCancel}
                name={job.customerName}
              />
            )}
          </div>
        )}
      </div>
    </article>
  );
}

function MoveButtons(props: { onMove: () => void; onCancel?: () => void; name: string }) {
  const { online } = useCtx();
  return (
    <>
      <button
        type="button"
        class="button plain"
        onClick={props.onMove}
        disabled={!online}
        aria-label={`Move ${props.name}'s job`}
      >
        Move
      </button>
      {props.onCancel && (
        <button
          type="button"
          class="button plain danger-text"
          onClick={props.onCancel}
          disabled={!online}
          aria-label={`Cancel ${props.name}'s job`}
        >
          Cancel
        </button>
      )}
    </>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="empty">{children}</p>;
}
