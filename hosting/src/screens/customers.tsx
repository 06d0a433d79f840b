import { useState } from "preact/hooks";
import { Empty, JobCard } from "../components";
import { directionsUrl, phone, when } from "../format";
import type { Customer } from "../model";
import { useCtx } from "../signed-in";

export function Customers() {
  const { data, route, claims } = useCtx();
  const [search, setSearch] = useState("");
  if (route[1]) {
    const customer = data.customers.find((c) => c.id === route[1]);
    return customer ? (
      <CustomerPage customer={customer} />
    ) : (
      <p class="muted">{data.ready ? "No such customer." : "Loading…"}</p>
    );
  }
  const needle = search.trim().toLowerCase();
  const digits = needle.replace(/\D/g, "");
  const shown = data.customers
    .filter(
      (c) =>
        !needle ||
        c.name.toLowerCase().includes(needle) ||
        (c.address ?? "").toLowerCase().includes(needle) ||
        (digits.length >= 3 &&
          (c.phone.includes(digits) || phone(c.phone).replace(/\D/g, "").includes(digits))),
    )
    .sort((a, b) => a.name.localeCompare(b.name));
  return (
    <>
      <h1 tabIndex={-1}>Customers</h1>
      {claims.role === "owner" && (
        <p class="small">
          <a class="button plain" href="#/privacy">
            Screened callers and customers' data
          </a>
        </p>
      )}
      <label class="search">
        <span class="visually-hidden">Search customers</span>
        <input
          type="search"
          placeholder="Name, phone or address"
          value={search}
          onInput={(e) => setSearch((e.target as HTMLInputElement).value)}
        />
      </label>
      {shown.length === 0 ? (
        <Empty>No customers match.</Empty>
      ) : (
        <ul class="list">
          {shown.map((c) => (
            <li class="card" key={c.id}>
              <a class="convo-link" href={`#/customers/${encodeURIComponent(c.id)}`}>
                <strong>{c.name || phone(c.phone)}</strong>
                <span class="muted">{phone(c.phone)}</span>
                {c.address && <span class="muted small">{c.address}</span>}
              </a>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

interface TimelineEntry {
  at: Date;
  kind: "Call" | "Text" | "Job" | "Text sent" | "Text failed";
  text: string;
  href?: string;
}

function CustomerPage({ customer }: { customer: Customer }) {
  const { data, timeZone, claims } = useCtx();
  const now = Date.now();
  const jobs = data.appointments.filter(
    (a) => a.customerPhone === customer.phone || a.customerId === customer.id,
  );
  const upcoming = jobs
    .filter((a) => a.status === "booked" && a.end.getTime() >= now)
    .sort((a, b) => a.start.getTime() - b.start.getTime());
  const timeline: TimelineEntry[] = [
    ...data.conversations
      .filter((c) => c.phone === customer.phone)
      .map((c): TimelineEntry => ({
        at: c.updatedAt,
        kind: c.channel === "sms" ? "Text" : "Call",
        text:
          c.summary ?? c.problem ?? c.lastTurn?.text ?? (c.emergency ? "Emergency call" : "Call"),
        href: `#/calls/${encodeURIComponent(c.id)}`,
      })),
    ...jobs.map((a): TimelineEntry => ({
      at: a.start,
      kind: "Job",
      text: `${a.serviceName}${a.status === "cancelled" ? " (cancelled)" : data.done[a.id] ? " (done)" : ""}`,
    })),
    ...data.outbox
      .filter((m) => m.to === customer.phone)
      .map((m): TimelineEntry =>
        m.failed
          ? { at: m.createdAt, kind: "Text failed", text: `${m.body} (${m.failed.reason})` }
          : { at: m.createdAt, kind: "Text sent", text: m.body },
      ),
  ].sort((a, b) => b.at.getTime() - a.at.getTime());
  return (
    <>
      <p>
        <a href="#/customers" class="back">
          ← Customers
        </a>
      </p>
      <h1 tabIndex={-1}>{customer.name || phone(customer.phone)}</h1>
      <div class="row-actions">
        <a class="button primary" href={`tel:${customer.phone}`}>
          Call {phone(customer.phone)}
        </a>
        <a class="button plain" href={`sms:${customer.phone}`}>
          Text
        </a>
        {customer.address && (
          <a
            class="button plain"
            href={directionsUrl(customer.address)}
            target="_blank"
            rel="noopener"
          >
            Directions
          </a>
        )}
      </div>
      {customer.smsOptedOut && <p class="pill warn-pill">Opted out of texts</p>}
      {claims.role === "owner" && (
        <p class="small">
          <a class="button plain" href={`#/privacy/${encodeURIComponent(customer.phone)}`}>
            Download or delete this customer's data
          </a>
        </p>
      )}
      <section class="card">
        <h2>Property</h2>
        <p>{customer.address ?? "No address yet."}</p>
        <p>
          {customer.propertyNotes ? (
            <>Access and stopcock: {customer.propertyNotes}</>
          ) : (
            <span class="muted">No access notes.</span>
          )}
        </p>
      </section>
      <section>
        <h2>Upcoming jobs</h2>
        {upcoming.length === 0 ? (
          <Empty>None booked.</Empty>
        ) : (
          upcoming.map((a) => <JobCard job={a} key={a.id} compact />)
        )}
      </section>
      <section>
        <h2>Timeline</h2>
        {timeline.length === 0 ? (
          <Empty>Nothing yet.</Empty>
        ) : (
          <ol class="timeline">
            {timeline.map((t, i) => (
              <li key={i}>
                <span class="pill">{t.kind}</span>{" "}
                <span class="muted small">{when(t.at, timeZone)}</span>
                <p>{t.href ? <a href={t.href}>{t.text}</a> : t.text}</p>
              </li>
            ))}
          </ol>
        )}
      </section>
    </>
  );
}
