import { act } from "../actions";
import { ActionButton, Empty, JobCard } from "../components";
import { addDays, dayName, localDate, when } from "../format";
import { useJobSheets } from "../move";
import { needsYou, type Need } from "../needs";
import { useCtx } from "../signed-in";

const NEED_LABEL: Record<Need["kind"], string> = {
  emergency: "Emergency",
  callback: "Callback",
  lead: "Missed booking",
  text: "Text",
  "failed-text": "Text failed",
  calendar: "Calendar",
  degraded: "Receptionist",
};

export function Today() {
  const { data, timeZone, nameOf, calendarStatus, online } = useCtx();
  const sheets = useJobSheets();
  const today = localDate(new Date(), timeZone);
  const tomorrow = addDays(today, 1);
  const needs = needsYou(data, nameOf, calendarStatus);
  const jobsOn = (day: string) =>
    data.appointments
      .filter((a) => a.status === "booked" && localDate(a.start, timeZone) === day)
      .sort((a, b) => a.start.getTime() - b.start.getTime());
  return (
    <>
      <h1 tabIndex={-1}>Today</h1>
      {!data.ready && online && (
        <p class="muted" role="status">
          Loading…
        </p>
      )}
      <section aria-labelledby="needs-title">
        <h2 id="needs-title">
          Needs you <span class="count">{needs.length}</span>
        </h2>
        {needs.length === 0 ? (
          <Empty>Nothing waiting. Calls and texts that need you show up here.</Empty>
        ) : (
          <ul class="list">
            {needs.map((n) => (
              <NeedRow need={n} key={n.id} />
            ))}
          </ul>
        )}
      </section>
      {[
        ["Jobs today", today],
        ["Jobs tomorrow", tomorrow],
      ].map(([label, day]) => {
        const jobs = jobsOn(day);
        return (
          <section aria-labelledby={`jobs-${day}`} key={day}>
            <h2 id={`jobs-${day}`}>
              {label} <span class="muted small">{dayName(day)}</span>{" "}
              <span class="count">{jobs.length}</span>
            </h2>
            {jobs.length === 0 ? (
              <Empty>No jobs booked.</Empty>
            ) : (
              jobs.map((job) => (
                <JobCard
                  job={job}
                  key={job.id}
                  onMove={() => sheets.move(job)}
                  onCancel={() => sheets.cancel(job)}
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

function NeedRow({ need }: { need: Need }) {
  const { app, claims, timeZone } = useCtx();
  return (
    <li class={`card need need-${need.kind}`}>
      <div class="need-head">
        <span
          class={`pill ${need.kind === "emergency" ? "danger-pill" : need.kind === "failed-text" || need.kind === "calendar" || need.kind === "degraded" ? "warn-pill" : ""}`}
        >
          {NEED_LABEL[need.kind]}
        </span>
        <span class="muted small">{when(need.at, timeZone)}</span>
      </div>
      <h3>
        {need.conversationId ? (
          <a href={`#/calls/${encodeURIComponent(need.conversationId)}`}>{need.title}</a>
        ) : (
          need.title
        )}
      </h3>
      {need.detail && <p>{need.detail}</p>}
      <div class="row-actions">
        {need.phone && (
          <a
            class={`button ${need.kind === "emergency" ? "primary" : "plain"}`}
            href={`tel:${need.phone}`}
          >
            Call back
          </a>
        )}
        {need.phone && (
          <a class="button plain" href={`sms:${need.phone}`}>
            Text
          </a>
        )}
        {need.conversationId && (
          <ActionButton
            action="setConversationHandled"
            run={() =>
              act(app, "setConversationHandled", {
                businessId: claims.businessId,
                conversationId: need.conversationId as string,
                handled: true,
              })
            }
          >
            Handled
          </ActionButton>
        )}
        {need.attentionId && (
          <ActionButton
            action="acknowledgeAttention"
            run={() =>
              act(app, "acknowledgeAttention", {
                businessId: claims.businessId,
                itemId: need.attentionId as string,
              })
            }
          >
            Seen
          </ActionButton>
        )}
        {need.kind === "calendar" && (
          <a class="button plain" href="#/settings">
            Open settings
          </a>
        )}
      </div>
    </li>
  );
}
