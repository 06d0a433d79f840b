import { useState } from "preact/hooks";
import { act } from "../actions";
import { ActionButton, Empty } from "../components";
import { useTranscript } from "../data";
import { time, when } from "../format";
import type { Conversation } from "../model";
import { conversationNeed } from "../needs";
import { useCtx } from "../signed-in";

const OUTCOME: Record<string, string> = {
  booked: "Booked",
  transferred: "Put through",
  "emergency-unanswered": "Emergency, nobody answered",
  "message-taken": "Message taken",
  "caller-hung-up": "Hung up",
  completed: "Finished",
};

const FILTERS = [
  ["open", "To handle"],
  ["all", "All"],
  ["emergency", "Emergencies"],
  ["booked", "Booked"],
  ["sms", "Texts"],
] as const;
type Filter = (typeof FILTERS)[number][0];

function matches(c: Conversation, filter: Filter, handled: boolean): boolean {
  switch (filter) {
    case "open":
      return !handled && conversationNeed(c) !== null;
    case "emergency":
      return c.emergency;
    case "booked":
      return c.outcome === "booked" || c.appointmentIds.length > 0;
    case "sms":
      return c.channel === "sms";
    default:
      return true;
  }
}

export function Calls() {
  const { data, route, nameOf } = useCtx();
  const [filter, setFilter] = useState<Filter>("all");
  const [search, setSearch] = useState("");
  const openId = route[1];
  const open = openId ? data.conversations.find((c) => c.id === openId) : undefined;
  if (openId)
    return open ? (
      <ConversationPage conversation={open} />
    ) : (
      <p class="muted">{data.ready ? "That conversation isn't here." : "Loading…"}</p>
    );
  const needle = search.trim().toLowerCase();
  const shown = data.conversations
    .filter((c) => matches(c, filter, data.handled[c.id] === true))
    .filter(
      (c) =>
        !needle ||
        `${nameOf(c.phone)} ${c.phone} ${c.summary ?? ""} ${c.problem ?? ""}`
          .toLowerCase()
          .includes(needle),
    );
  return (
    <>
      <h1 tabIndex={-1}>Calls and messages</h1>
      <div class="chips" role="group" aria-label="Show">
        {FILTERS.map(([key, label]) => (
          <button
            type="button"
            class={`chip${filter === key ? " on" : ""}`}
            aria-pressed={filter === key}
            onClick={() => setFilter(key)}
            key={key}
          >
            {label}
          </button>
        ))}
      </div>
      <label class="search">
        <span class="visually-hidden">Search calls</span>
        <input
          type="search"
          placeholder="Search name, number or problem"
          value={search}
          onInput={(e) => setSearch((e.target as HTMLInputElement).value)}
        />
      </label>
      {shown.length === 0 ? (
        <Empty>No calls or messages here.</Empty>
      ) : (
        <ul class="list">
          {shown.map((c) => (
            <ConversationRow c={c} key={c.id} />
          ))}
        </ul>
      )}
    </>
  );
}

function ConversationRow({ c }: { c: Conversation }) {
  const { data, timeZone, nameOf } = useCtx();
  const handled = data.handled[c.id] === true;
  const summary =
    c.summary ??
    c.problem ??
    c.lastTurn?.text ??
    (c.turns.find((t) => t.speaker === "caller")?.text ||
      (c.outcome ? "No words captured" : "Call in progress"));
  return (
    <li class={`card convo${c.emergency ? " urgent" : ""}`}>
      <a class="convo-link" href={`#/calls/${encodeURIComponent(c.id)}`}>
        <span class="convo-head">
          <strong>{nameOf(c.phone)}</strong>
          <span class="muted small">{when(c.updatedAt, timeZone)}</span>
        </span>
        <span class="convo-summary">{summary}</span>
        <span class="tags">
          <span class="pill">{c.channel === "sms" ? "Text" : "Call"}</span>
          {c.emergency && <span class="pill danger-pill">Emergency</span>}
          {!c.emergency && c.urgency === "high" && <span class="pill warn-pill">Urgent</span>}
          {c.outcome && <span class="pill">{OUTCOME[c.outcome] ?? c.outcome}</span>}
          {handled && <span class="pill ok-pill">Handled</span>}
        </span>
      </a>
    </li>
  );
}

function ConversationPage({ conversation: c }: { conversation: Conversation }) {
  const { app, claims, data, timeZone, nameOf } = useCtx();
  const turns = useTranscript(app, claims.businessId, c);
  const handled = data.handled[c.id] === true;
  const booked = data.appointments.filter((a) => c.appointmentIds.includes(a.id));
  return (
    <>
      <p>
        <a href="#/calls" class="back">
          ← Calls and messages
        </a>
      </p>
      <h1 tabIndex={-1}>{nameOf(c.phone)}</h1>
      <p class="muted">
        {c.channel === "sms" ? "Texts" : "Call"} · {when(c.startedAt, timeZone)}
      </p>
      <p class="tags">
        {c.emergency && <span class="pill danger-pill">Emergency</span>}
        {c.outcome && <span class="pill">{OUTCOME[c.outcome] ?? c.outcome}</span>}
        <span class={`pill${handled ? " ok-pill" : ""}`}>
          {handled ? "Handled" : "Not handled"}
        </span>
      </p>
      {(c.summary || c.problem) && (
        <section class="card">
          <h2>Summary</h2>
          <p>{c.summary ?? c.problem}</p>
          {c.ownerAction && (
            <p>
              <strong>Next:</strong> {c.ownerAction}
            </p>
          )}
          {booked.map((a) => (
            <p key={a.id}>
              Booked: {a.serviceName}, {when(a.start, timeZone)}
            </p>
          ))}
        </section>
      )}
      <div class="row-actions">
        {c.phone && (
          <a class="button primary" href={`tel:${c.phone}`}>
            Call back
          </a>
        )}
        {c.phone && (
          <a class="button plain" href={`sms:${c.phone}`}>
            Text
          </a>
        )}
        <ActionButton
          action="setConversationHandled"
          run={() =>
            act(app, "setConversationHandled", {
              businessId: claims.businessId,
              conversationId: c.id,
              handled: !handled,
            })
          }
        >
          {handled ? "Mark not handled" : "Mark handled"}
        </ActionButton>
      </div>
      <section>
        <h2>Transcript</h2>
        {turns.length === 0 ? (
          <Empty>No transcript.</Empty>
        ) : (
          <ol class="transcript">
            {turns.map((t, i) => (
              <li
                key={i}
                class={`turn ${t.speaker === "caller" || t.speaker === "customer" ? "them" : "us"}${t.emergency ? " urgent" : ""}`}
              >
                <span class="who">
                  {t.speaker === "caller" || t.speaker === "customer"
                    ? nameOf(c.phone)
                    : t.speaker === "system"
                      ? "Note"
                      : "Receptionist"}{" "}
                  · {time(t.at, timeZone)}
                  {t.recording ? ` · recorded message, ${t.recording.durationSeconds} s` : ""}
                </span>
                <span>{t.text || "(silence)"}</span>
                {t.recording && !t.recording.transcribed ? (
                  <span class="note">
                    Not transcribed{t.recording.error ? ` (${t.recording.error})` : ""}. The text we
                    sent you about it has the link to listen.
                  </span>
                ) : null}
              </li>
            ))}
          </ol>
        )}
      </section>
    </>
  );
}
