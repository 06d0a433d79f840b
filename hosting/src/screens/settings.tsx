import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { mayCall, type EditableSetting } from "@shared/access";
import type { InputProblem, TemplatePreviewView } from "@shared/dashboard-contract";
import { act, ActionError } from "../actions";
import { calendarRequest, type CalendarStatus } from "../calendar";
import type { BusinessView, PriceView, ProfileView, ServiceView } from "../model";
import { VOICE_NAMES } from "@shared/voices";
import { useCtx } from "../signed-in";

/**
 * The business's settings, one section at a time. Each section is sent whole
 * to updateSettings, which checks it against the tenant schema and answers
 * problems by field; the next call uses the saved settings.
 */
const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

export function Settings(props: {
  email: string;
  onSignOut: () => void;
  calendar?: CalendarStatus & { refresh: () => void };
}) {
  const { data, claims } = useCtx();
  const b = data.business;
  const owner = mayCall("updateSettings", claims.role);
  return (
    <>
      <h1 tabIndex={-1}>Settings</h1>
      {!owner && <p class="muted">Only the owner can change settings.</p>}
      {!b ? (
        <p class="muted">Loading…</p>
      ) : (
        owner && (
          <>
            <Greeting b={b} />
            <SignOff b={b} />
            <Voice b={b} />
            <Hours b={b} />
            <Services b={b} />
            <Booking b={b} />
            <Travel b={b} />
            <Templates b={b} />
            <Alerts b={b} />
            <Ladder b={b} />
            <Profile b={b} />
            <Prices b={b} />
            <Calendar status={props.calendar} />
          </>
        )
      )}
      <section class="card">
        <h2>Account</h2>
        <p>Signed in as {props.email}</p>
        <button type="button" class="button plain" onClick={props.onSignOut}>
          Sign out
        </button>
      </section>
    </>
  );
}

/** One settings section: a draft, a Save button, and the server's problems by field. */
function Section<T>(props: {
  title: string;
  setting: EditableSetting;
  value: T;
  children: (draft: T, set: (next: T) => void, problems: InputProblem[]) => ComponentChildren;
  note?: string;
  /** Turns the draft into what is sent (e.g. ids for new services). */
  prepare?: (draft: T) => T;
}) {
  const { app, claims, online } = useCtx();
  const [draft, setDraft] = useState<T>(props.value);
  const [dirty, setDirty] = useState(false);
  const [problems, setProblems] = useState<InputProblem[]>([]);
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!dirty) setDraft(props.value);
  }, [JSON.stringify(props.value)]);
  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setStatus(null);
    setProblems([]);
    try {
      await act(app, "updateSettings", {
        businessId: claims.businessId,
        settings: { [props.setting]: withoutEmpty(props.prepare ? props.prepare(draft) : draft) },
      });
      setDirty(false);
      setStatus("Saved. The next call uses it.");
    } catch (e) {
      if (e instanceof ActionError) {
        setProblems(e.problems);
        setStatus(e.problems.length ? "Not saved: see the problems above." : e.message);
      } else setStatus("Not saved. Try again.");
    } finally {
      setBusy(false);
    }
  };
  const id = `settings-${props.setting}`;
  return (
    <details class="card settings">
      <summary>
        <h2 id={id}>{props.title}</h2>
      </summary>
      {props.note && <p class="muted small">{props.note}</p>}
      <form onSubmit={save} class="stack">
        {props.children(
          draft,
          (next) => (setDraft(next), setDirty(true), setStatus(null)),
          problems,
        )}
        {problems.length > 0 && (
          // The alert role on a wrapper: on the list itself it would hide the list from readers.
          <div role="alert">
            <ul class="error">
              {problems.map((p, i) => (
                <li key={i}>
                  {label(p.path)}: {p.message}
                </li>
              ))}
            </ul>
          </div>
        )}
        <div class="row-actions">
          <button type="submit" class="button primary" disabled={busy || !dirty || !online}>
            {busy ? "Saving…" : online ? "Save" : "Offline"}
          </button>
          {dirty && (
            <button
              type="button"
              class="button plain"
              onClick={() => (setDraft(props.value), setDirty(false), setProblems([]))}
            >
              Undo changes
            </button>
          )}
          {status && (
            <span class={problems.length ? "error" : "ok"} role="status">
              {status}
            </span>
          )}
        </div>
      </form>
    </details>
  );
}

/** Fields left empty are left out (JSON drops undefined), so "no limit" reaches the server as absent, not null. */
function withoutEmpty<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** The words the form uses for the fields the server names by path. */
const FIELD_WORDS: Record<string, string> = {
  slotStepMinutes: "Time slots every",
  minLeadMinutes: "Earliest booking",
  horizonDays: "Book up to",
  offerCount: "Times offered per call",
  maxJobsPerDay: "Most jobs a day",
  sameDayCutoff: "No same-day bookings after",
  closedDates: "Closed dates",
  durationMinutes: "Minutes",
  bufferMinutes: "Buffer minutes",
  ringSeconds: "Ring each phone",
  callbackPromise: "Call-back promise",
  ownerMobile: "Mobile",
  backupNumbers: "Backup numbers",
  defaultServiceId: "Jobs nobody can match are booked as",
  digestTime: "Daily summary at",
  customerNight: "No texts to customers",
  callOutFee: "Call-out fee",
  outOfHoursCallOutFee: "Out-of-hours call-out fee",
  extraPhrases: "Extra emergency phrases",
};

function label(path: string): string {
  const last =
    path
      .split(".")
      .filter((p) => !/^\d+$/.test(p))
      .pop() ?? "";
  if (FIELD_WORDS[last] && !/^(services|profile\.prices)\./.test(path)) return FIELD_WORDS[last];
  return path
    .replace(/^hours\.(\d)/, (_, d: string) => `Hours, ${WEEKDAYS[Number(d) - 1]}`)
    .replace(/^services\.(\d+)/, (_, i: string) => `Service ${Number(i) + 1}`)
    .replace(/^profile\.prices\.(\d+)/, (_, i: string) => `Price ${Number(i) + 1}`)
    .replace(/\./g, " › ");
}

function Field(props: { label: string; children: ComponentChildren; hint?: string }) {
  return (
    <label class="field">
      <span>{props.label}</span>
      {props.children}
      {props.hint && <span class="muted small">{props.hint}</span>}
    </label>
  );
}

const text = (value: string, set: (v: string) => void, attrs: Record<string, unknown> = {}) => (
  <input value={value} onInput={(e) => set((e.target as HTMLInputElement).value)} {...attrs} />
);
const num = (
  value: number | undefined,
  set: (v: number | undefined) => void,
  attrs: Record<string, unknown> = {},
) => (
  <input
    type="number"
    inputMode="numeric"
    value={value ?? ""}
    onInput={(e) => {
      const raw = (e.target as HTMLInputElement).value;
      set(raw === "" ? undefined : Number(raw));
    }}
    {...attrs}
  />
);

/** "a, b, c" <-> ["a", "b", "c"]: the lists the owner types (areas, keywords, payment methods). */
const listText = (values: readonly string[] | undefined) => (values ?? []).join(", ");
const parseList = (value: string) =>
  value
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean);

/** A stable id for a new service, from its name: "Gas safety check" -> "gas-safety-check". */
export function serviceId(name: string, taken: ReadonlySet<string>): string {
  const base =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "") || "service";
  let id = base;
  for (let n = 2; taken.has(id); n += 1) id = `${base}-${n}`;
  return id;
}

function withServiceIds(services: ServiceView[]): ServiceView[] {
  const taken = new Set(services.map((s) => s.id).filter(Boolean));
  return services.map((s) => {
    if (s.id) return s;
    const id = serviceId(s.name, taken);
    taken.add(id);
    return { ...s, id };
  });
}

function Voice({ b }: { b: BusinessView }) {
  return (
    <Section
      title="Voice"
      setting="voice"
      value={b.voice ?? "Polly.Amy"}
      note="The voice callers hear, from the greeting on."
    >
      {(draft, set) => (
        <fieldset class="choices">
          <legend>Voice</legend>
          {Object.entries(VOICE_NAMES).map(([id, name]) => (
            <label class="check" key={id}>
              <input
                type="radio"
                name="voice"
                value={id}
                checked={draft === id}
                onChange={() => set(id)}
              />
              {name}
            </label>
          ))}
        </fieldset>
      )}
    </Section>
  );
}

function SignOff({ b }: { b: BusinessView }) {
  return (
    <Section
      title="Goodbye"
      setting="signOff"
      value={b.signOff ?? ""}
      // null clears it (JSON would drop an undefined), back to the built-in words.
      prepare={(v) => (v.trim() === "" ? (null as unknown as string) : v)}
      note='Said at the end of a call and texted after a booking. Empty: "Thanks for calling" and "See you then!".'
    >
      {(draft, set) => <Field label="Closing words">{text(draft, set, { maxLength: 120 })}</Field>}
    </Section>
  );
}

function Greeting({ b }: { b: BusinessView }) {
  return (
    <Section
      title="Greeting"
      setting="greeting"
      value={b.greeting}
      note="Spoken first on every call. {business} becomes your business name."
    >
      {(draft, set) => (
        <Field label="Greeting">
          <textarea
            rows={3}
            value={draft}
            onInput={(e) => set((e.target as HTMLTextAreaElement).value)}
          />
        </Field>
      )}
    </Section>
  );
}

/** "08:00-12:30, 13:15-17:30" <-> periods; "closed" or empty is no periods. */
function periodsText(periods: Array<{ open: string; close: string }>): string {
  return periods.length ? periods.map((p) => `${p.open}-${p.close}`).join(", ") : "closed";
}
function parsePeriods(textValue: string): Array<{ open: string; close: string }> {
  if (/^\s*(closed)?\s*$/i.test(textValue)) return [];
  return textValue.split(",").map((part) => {
    const [open = "", close = ""] = part.split(/[-–]/).map((s) => s.trim());
    return { open, close };
  });
}

function Hours({ b }: { b: BusinessView }) {
  const [texts, setTexts] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      WEEKDAYS.map((_, i) => [String(i + 1), periodsText(b.hours[String(i + 1)] ?? [])]),
    ),
  );
  return (
    <>
      <Section
        title="Opening hours"
        setting="hours"
        value={b.hours}
        note='Like "08:00-12:30, 13:15-17:30", or "closed".'
      >
        {(_draft, set, problems) => (
          <div class="grid-2">
            {WEEKDAYS.map((day, i) => {
              const key = String(i + 1);
              const bad = problems.some((p) => p.path.startsWith(`hours.${key}`));
              return (
                <Field label={day} key={key}>
                  <input
                    value={texts[key]}
                    aria-invalid={bad}
                    onInput={(e) => {
                      const next = { ...texts, [key]: (e.target as HTMLInputElement).value };
                      setTexts(next);
                      set(
                        Object.fromEntries(
                          Object.entries(next).map(([k, v]) => [k, parsePeriods(v)]),
                        ),
                      );
                    }}
                  />
                </Field>
              );
            })}
          </div>
        )}
      </Section>
      <Section
        title="Holidays and closed days"
        setting="booking"
        value={b.booking}
        note="One date per line (YYYY-MM-DD). Nothing is booked on these days."
      >
        {(draft, set) => (
          <Field label="Closed dates">
            <textarea
              rows={4}
              value={draft.closedDates.join("\n")}
              onInput={(e) =>
                set({
                  ...draft,
                  closedDates: (e.target as HTMLTextAreaElement).value
                    .split(/\s+/)
                    .map((s) => s.trim())
                    .filter(Boolean),
                })
              }
            />
          </Field>
        )}
      </Section>
    </>
  );
}

const SHORT_DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

function Services({ b }: { b: BusinessView }) {
  return (
    <Section
      title="Services"
      setting="services"
      value={b.services}
      prepare={withServiceIds}
      note="Minutes in steps of 15. Buffer is clean-up and travel after the job. Words callers use help the receptionist recognise the job."
    >
      {(draft, set) => (
        <div class="stack">
          {draft.map((s, i) => {
            const change = (patch: Partial<ServiceView>) =>
              set(draft.map((x, j) => (j === i ? { ...x, ...patch } : x)));
            const days = s.allowedWeekdays ?? [1, 2, 3, 4, 5, 6, 7];
            const title = s.name || `New service ${i + 1}`;
            return (
              <fieldset class="service-row" key={s.id || `new-${i}`}>
                <legend>{title}</legend>
                <Field label="Name">{text(s.name, (v) => change({ name: v }))}</Field>
                <div class="grid-2">
                  <Field label="Minutes">
                    {num(s.durationMinutes, (v) => change({ durationMinutes: v ?? 0 }), {
                      step: 15,
                      min: 15,
                    })}
                  </Field>
                  <Field label="Buffer minutes">
                    {num(s.bufferMinutes, (v) => change({ bufferMinutes: v }), {
                      step: 15,
                      min: 0,
                    })}
                  </Field>
                  <Field label="Earliest start">
                    {text(s.earliestStart ?? "", (v) => change({ earliestStart: v || undefined }), {
                      placeholder: "any",
                      inputMode: "numeric",
                    })}
                  </Field>
                  <Field label="Latest start">
                    {text(s.latestStart ?? "", (v) => change({ latestStart: v || undefined }), {
                      placeholder: "any",
                      inputMode: "numeric",
                    })}
                  </Field>
                </div>
                <Field label="Words callers use, comma-separated">
                  {text(listText(s.keywords), (v) => change({ keywords: parseList(v) }))}
                </Field>
                <fieldset class="days">
                  <legend>Days it can be booked</legend>
                  {SHORT_DAYS.map((day, d) => (
                    <label class="check" key={day}>
                      <input
                        type="checkbox"
                        checked={days.includes(d + 1)}
                        onChange={(e) => {
                          const on = (e.target as HTMLInputElement).checked;
                          const next = on
                            ? [...days, d + 1].sort((x, y) => x - y)
                            : days.filter((x) => x !== d + 1);
                          change({ allowedWeekdays: next.length === 7 ? undefined : next });
                        }}
                      />
                      {day}
                    </label>
                  ))}
                </fieldset>
                <button
                  type="button"
                  class="button plain danger-text"
                  disabled={draft.length === 1}
                  onClick={() => set(draft.filter((_, j) => j !== i))}
                >
                  Remove {title}
                </button>
              </fieldset>
            );
          })}
          <button
            type="button"
            class="button plain"
            onClick={() => set([...draft, { id: "", name: "", durationMinutes: 60, keywords: [] }])}
          >
            Add a service
          </button>
        </div>
      )}
    </Section>
  );
}

function Booking({ b }: { b: BusinessView }) {
  return (
    <Section title="Booking rules" setting="booking" value={b.booking}>
      {(draft, set) => (
        <div class="grid-2">
          <Field label="Time slots every (minutes)">
            {num(draft.slotStepMinutes, (v) => set({ ...draft, slotStepMinutes: v ?? 0 }), {
              step: 15,
            })}
          </Field>
          <Field label="Earliest booking (minutes from now)">
            {num(draft.minLeadMinutes, (v) => set({ ...draft, minLeadMinutes: v ?? 0 }))}
          </Field>
          <Field label="Book up to (days ahead)">
            {num(draft.horizonDays, (v) => set({ ...draft, horizonDays: v ?? 0 }))}
          </Field>
          <Field label="Times offered per call">
            {num(draft.offerCount, (v) => set({ ...draft, offerCount: v ?? 0 }))}
          </Field>
          <Field label="Most jobs a day" hint="Empty: no limit">
            {num(draft.maxJobsPerDay, (v) => set({ ...draft, maxJobsPerDay: v }))}
          </Field>
          <Field label="Jobs nobody can match are booked as">
            <select
              value={draft.defaultServiceId}
              onChange={(e) =>
                set({ ...draft, defaultServiceId: (e.target as HTMLSelectElement).value })
              }
            >
              {b.services.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </Field>
          <Field label="No same-day bookings after" hint="HH:mm, empty: none">
            {text(
              draft.sameDayCutoff ?? "",
              (v) => set({ ...draft, sameDayCutoff: v || undefined }),
              { inputMode: "numeric" },
            )}
          </Field>
        </div>
      )}
    </Section>
  );
}

interface TravelPolicy {
  zones: Array<{ name: string; districts: string[]; minutes: number }>;
  defaultMinutes: number;
}

function Travel({ b }: { b: BusinessView }) {
  return (
    <Section
      title="Travel areas"
      setting="booking"
      value={b.booking}
      note="Postcode districts (like BS6) grouped into areas. Jobs in one area need no travel time between them; between areas the longer time counts."
    >
      {(draft, set) => {
        const travel = (draft.travel ?? { zones: [], defaultMinutes: 0 }) as TravelPolicy;
        const setTravel = (next: TravelPolicy) => set({ ...draft, travel: next });
        const setZone = (i: number, patch: Partial<TravelPolicy["zones"][number]>) =>
          setTravel({
            ...travel,
            zones: travel.zones.map((z, j) => (j === i ? { ...z, ...patch } : z)),
          });
        return (
          <div class="stack">
            {travel.zones.map((zone, i) => (
              <fieldset class="service-row" key={i}>
                <legend>{zone.name || `Area ${i + 1}`}</legend>
                <div class="grid-2">
                  <Field label="Name">{text(zone.name, (v) => setZone(i, { name: v }))}</Field>
                  <Field label="Travel minutes">
                    {num(zone.minutes, (v) => setZone(i, { minutes: v ?? 0 }))}
                  </Field>
                </div>
                <Field label="Districts, comma-separated">
                  {text(zone.districts.join(", "), (v) =>
                    setZone(i, {
                      districts: v
                        .split(",")
                        .map((d) => d.trim().toUpperCase())
                        .filter(Boolean),
                    }),
                  )}
                </Field>
                <button
                  type="button"
                  class="button plain danger-text"
                  onClick={() =>
                    setTravel({ ...travel, zones: travel.zones.filter((_, j) => j !== i) })
                  }
                >
                  Remove {zone.name || "area"}
                </button>
              </fieldset>
            ))}
            <button
              type="button"
              class="button plain"
              onClick={() =>
                setTravel({
                  ...travel,
                  zones: [...travel.zones, { name: "", districts: [], minutes: 15 }],
                })
              }
            >
              Add an area
            </button>
            <Field label="Travel minutes for anywhere else">
              {num(travel.defaultMinutes, (v) => setTravel({ ...travel, defaultMinutes: v ?? 0 }))}
            </Field>
          </div>
        );
      }}
    </Section>
  );
}

function Templates({ b }: { b: BusinessView }) {
  const { app, claims, online } = useCtx();
  const [previews, setPreviews] = useState<TemplatePreviewView[]>([]);
  const [draftNotifications, setDraftNotifications] = useState(b.notifications);
  const [previewProblems, setPreviewProblems] = useState<InputProblem[]>([]);
  useEffect(() => {
    if (!online) return;
    // Live preview: the server renders and checks the draft without saving it.
    const timer = setTimeout(() => {
      act(app, "updateSettings", {
        businessId: claims.businessId,
        settings: { notifications: draftNotifications },
        dryRun: true,
      })
        .then((r) => (setPreviews(r.previews), setPreviewProblems([])))
        .catch((e: unknown) => e instanceof ActionError && setPreviewProblems(e.problems));
    }, 350);
    return () => clearTimeout(timer);
  }, [JSON.stringify(draftNotifications), online]);
  return (
    <Section
      title="Reminders and texts"
      setting="notifications"
      value={b.notifications}
      note="Placeholders: {business} {service} {date} {time} {address} {phone}. Previews use a sample job."
    >
      {(draft, set) => {
        const update = (next: typeof draft) => (set(next), setDraftNotifications(next));
        return (
          <div class="stack">
            <Field label="Reminders (hours before the job, comma-separated)">
              {text(draft.reminders.map((r) => r.minutesBefore / 60).join(", "), (v) =>
                update({
                  ...draft,
                  reminders: v
                    .split(",")
                    .map((s) => Number(s.trim()))
                    .filter((n) => Number.isFinite(n) && n > 0)
                    .map((hours) => ({
                      id: `${hours}h-before`,
                      minutesBefore: Math.round(hours * 60),
                    })),
                }),
              )}
            </Field>
            <Window
              label="No texts to customers at night (reminders move to the morning)"
              value={draft.customerNight}
              fallback={{ start: "20:30", end: "08:00" }}
              set={(w) => update({ ...draft, customerNight: w })}
            />
            {Object.entries(draft.templates).map(([kind, template]) => {
              const preview = previews.find((p) => p.kind === kind);
              const problems = previewProblems.filter((p) => p.path.includes(`templates.${kind}`));
              return (
                <div key={kind} class="template">
                  <Field label={`${kind[0].toUpperCase()}${kind.slice(1)} text`}>
                    <textarea
                      rows={3}
                      value={template}
                      aria-invalid={problems.length > 0}
                      onInput={(e) =>
                        update({
                          ...draft,
                          templates: {
                            ...draft.templates,
                            [kind]: (e.target as HTMLTextAreaElement).value,
                          },
                        })
                      }
                    />
                  </Field>
                  {problems.map((p, i) => (
                    <p class="error" key={i}>
                      {p.message}
                    </p>
                  ))}
                  {preview && problems.length === 0 && (
                    <div class="preview" aria-live="polite">
                      <span class="muted small">
                        Preview · {preview.characters} characters, {preview.segments} text
                        {preview.segments === 1 ? "" : "s"}
                      </span>
                      <p>{preview.text}</p>
                    </div>
                  )}
                </div>
              );
            })}
          </div>
        );
      }}
    </Section>
  );
}

const ALERTS: Record<string, string> = {
  newBooking: "New booking",
  cancellation: "Cancellation",
  scheduleChange: "Job moved (today or tomorrow)",
  lostLead: "Caller hung up before booking",
};

function Alerts({ b }: { b: BusinessView }) {
  return (
    <Section
      title="Alerts and quiet hours"
      setting="notifications"
      value={b.notifications}
      note="Emergencies always reach you at once, quiet hours or not."
    >
      {(draft, set) => (
        <div class="stack">
          {Object.entries(ALERTS).map(([key, name]) => (
            <label class="check" key={key}>
              <input
                type="checkbox"
                checked={draft.ownerAlerts[key] !== false}
                onChange={(e) =>
                  set({
                    ...draft,
                    ownerAlerts: {
                      ...draft.ownerAlerts,
                      [key]: (e.target as HTMLInputElement).checked,
                    },
                  })
                }
              />
              Text me: {name}
            </label>
          ))}
          <Window
            label="Quiet hours (other alerts wait until they end)"
            value={draft.ownerQuietHours}
            fallback={{ start: "21:00", end: "07:00" }}
            set={(w) => set({ ...draft, ownerQuietHours: w })}
          />
          <label class="check">
            <input
              type="checkbox"
              checked={draft.digestTime !== null}
              onChange={(e) =>
                set({
                  ...draft,
                  digestTime: (e.target as HTMLInputElement).checked ? "18:00" : null,
                })
              }
            />
            A daily summary text of the calls that need me
          </label>
          {draft.digestTime !== null && (
            <Field label="Daily summary at">
              {text(draft.digestTime ?? "18:00", (v) => set({ ...draft, digestTime: v }), {
                type: "time",
              })}
            </Field>
          )}
        </div>
      )}
    </Section>
  );
}

type DailyWindow = { start: string; end: string } | null;

/** A daily span that can be switched off (null), like quiet hours. */
function Window(props: {
  label: string;
  value: DailyWindow;
  fallback: { start: string; end: string };
  set: (w: DailyWindow) => void;
}) {
  const w = props.value;
  return (
    <>
      <label class="check">
        <input
          type="checkbox"
          checked={w !== null}
          onChange={(e) =>
            props.set((e.target as HTMLInputElement).checked ? props.fallback : null)
          }
        />
        {props.label}
      </label>
      {w && (
        <div class="grid-2">
          <Field label="From">
            {text(w.start, (v) => props.set({ ...w, start: v }), { type: "time" })}
          </Field>
          <Field label="Until">
            {text(w.end, (v) => props.set({ ...w, end: v }), { type: "time" })}
          </Field>
        </div>
      )}
    </>
  );
}

function Ladder({ b }: { b: BusinessView }) {
  return (
    <>
      <Section
        title="Emergency: who gets rung"
        setting="backupNumbers"
        value={b.backupNumbers}
        note={`Your mobile (${b.ownerMobile}) is rung first, then these, in order. Numbers in +44 form.`}
      >
        {(draft, set) => (
          <Field label="Backup numbers, one per line">
            <textarea
              rows={3}
              value={draft.join("\n")}
              onInput={(e) =>
                set((e.target as HTMLTextAreaElement).value.split(/\s*\n\s*/).filter(Boolean))
              }
            />
          </Field>
        )}
      </Section>
      <Section title="Emergency: ringing and promise" setting="emergency" value={b.emergency}>
        {(draft, set) => (
          <div class="grid-2">
            <Field label="Ring each phone (seconds)">
              {num(draft.ringSeconds, (v) => set({ ...draft, ringSeconds: v ?? 0 }))}
            </Field>
            <Field label="If nobody answers, we call back">
              {text(draft.callbackPromise, (v) => set({ ...draft, callbackPromise: v }))}
            </Field>
            <Field
              label="Extra emergency phrases, comma-separated"
              hint="On top of the built-in rules (gas, flooding, no water...)"
            >
              {text(listText(draft.extraPhrases), (v) =>
                set({ ...draft, extraPhrases: parseList(v) }),
              )}
            </Field>
          </div>
        )}
      </Section>
    </>
  );
}

function Profile({ b }: { b: BusinessView }) {
  return (
    <>
      <Section title="Business name" setting="name" value={b.name}>
        {(draft, set) => <Field label="Name callers hear">{text(draft, set)}</Field>}
      </Section>
      <Section title="Your name" setting="ownerName" value={b.ownerName}>
        {(draft, set) => <Field label="Owner's name">{text(draft, set)}</Field>}
      </Section>
      <Section
        title="Your mobile"
        setting="ownerMobile"
        value={b.ownerMobile}
        note="Alerts and emergency calls go here. +44 form."
      >
        {(draft, set) => (
          <Field label="Mobile">{text(draft, set, { type: "tel", autocomplete: "tel" })}</Field>
        )}
      </Section>
    </>
  );
}

const EMPTY_PROFILE: ProfileView = {
  currency: "GBP",
  prices: [],
  areasCovered: [],
  paymentMethods: [],
  accreditations: [],
  notDone: [],
};
const CURRENCY_SIGN: Record<string, string> = { GBP: "£", EUR: "€", USD: "$" };

/** Fees, prices and the facts callers ask about: the receptionist answers from these alone. */
function Prices({ b }: { b: BusinessView }) {
  return (
    <Section
      title="Prices and what callers are told"
      setting="profile"
      value={b.profile ?? EMPTY_PROFILE}
      note="The receptionist quotes these as written and nothing else; a question they don't answer becomes a message for you."
    >
      {(draft, set) => {
        const sign = CURRENCY_SIGN[draft.currency] ?? "";
        const setPrice = (i: number, patch: Partial<PriceView>) =>
          set({
            ...draft,
            prices: draft.prices.map((p, j) => (j === i ? { ...p, ...patch } : p)),
          });
        const lists: Array<[keyof ProfileView, string, string]> = [
          ["areasCovered", "Areas covered", "Bristol, Bath, Keynsham"],
          ["paymentMethods", "Ways to pay", "card, cash, bank transfer"],
          ["accreditations", "Accreditations", "Gas Safe registered"],
          ["notDone", "Work we don't do", "electrical work, roofing"],
        ];
        return (
          <div class="stack">
            <div class="grid-2">
              <Field label="Currency">
                <select
                  value={draft.currency}
                  onChange={(e) =>
                    set({ ...draft, currency: (e.target as HTMLSelectElement).value })
                  }
                >
                  {Object.keys(CURRENCY_SIGN).map((c) => (
                    <option key={c} value={c}>
                      {c}
                    </option>
                  ))}
                </select>
              </Field>
              <Field label={`Call-out fee (${sign})`} hint="Empty: not quoted">
                {num(draft.callOutFee, (v) => set({ ...draft, callOutFee: v }), {
                  min: 0,
                  step: "any",
                })}
              </Field>
              <Field label={`Out-of-hours call-out fee (${sign})`} hint="Empty: not quoted">
                {num(
                  draft.outOfHoursCallOutFee,
                  (v) => set({ ...draft, outOfHoursCallOutFee: v }),
                  { min: 0, step: "any" },
                )}
              </Field>
            </div>
            {draft.prices.map((p, i) => (
              <fieldset class="service-row" key={i}>
                <legend>{p.label || `Price ${i + 1}`}</legend>
                <Field label="Said as" hint='Like "a dripping tap repair"'>
                  {text(p.label, (v) => setPrice(i, { label: v }))}
                </Field>
                <div class="grid-2">
                  <Field label={`From (${sign})`}>
                    {num(p.from, (v) => setPrice(i, { from: v ?? 0 }), { min: 0, step: "any" })}
                  </Field>
                  <Field label={`To (${sign})`} hint="Empty: a single price">
                    {num(p.to, (v) => setPrice(i, { to: v }), { min: 0, step: "any" })}
                  </Field>
                </div>
                <Field label="For the service">
                  <select
                    value={p.serviceId ?? ""}
                    onChange={(e) =>
                      setPrice(i, { serviceId: (e.target as HTMLSelectElement).value || undefined })
                    }
                  >
                    <option value="">None in particular</option>
                    {b.services.map((s) => (
                      <option key={s.id} value={s.id}>
                        {s.name}
                      </option>
                    ))}
                  </select>
                </Field>
                <Field label="Words callers use for it, comma-separated">
                  {text(listText(p.keywords), (v) => setPrice(i, { keywords: parseList(v) }))}
                </Field>
                <button
                  type="button"
                  class="button plain danger-text"
                  onClick={() => set({ ...draft, prices: draft.prices.filter((_, j) => j !== i) })}
                >
                  Remove {p.label || "price"}
                </button>
              </fieldset>
            ))}
            <button
              type="button"
              class="button plain"
              onClick={() =>
                set({
                  ...draft,
                  prices: [...draft.prices, { label: "", from: 0, keywords: [] }],
                })
              }
            >
              Add a price
            </button>
            {lists.map(([key, name, example]) => (
              <Field key={key} label={`${name}, comma-separated`} hint={`Like "${example}"`}>
                {text(listText(draft[key] as string[]), (v) =>
                  set({ ...draft, [key]: parseList(v) }),
                )}
              </Field>
            ))}
          </div>
        );
      }}
    </Section>
  );
}

function Calendar({ status }: { status?: CalendarStatus & { refresh: () => void } }) {
  const { claims, idToken, online } = useCtx();
  const [message, setMessage] = useState<string | null>(null);
  const go = async (route: "start" | "disconnect") => {
    setMessage(null);
    try {
      const response = await calendarRequest(route, claims.businessId, await idToken());
      if (!response.ok) throw new Error(await response.text());
      if (route === "start") {
        const { url } = (await response.json()) as { url: string };
        location.assign(url);
      } else status?.refresh();
    } catch (e) {
      setMessage(e instanceof Error && e.message ? e.message : "That didn't work.");
    }
  };
  const state = status?.status;
  return (
    <section class="card" aria-labelledby="calendar-title">
      <h2 id="calendar-title">Google Calendar</h2>
      <p role="status">
        {state === "connected"
          ? `Connected${status?.connectedAt ? ` since ${new Date(status.connectedAt).toLocaleDateString("en-GB")}` : ""}. Bookings, moves and cancellations go to your calendar, and its busy times are never offered.`
          : state === "needs-reconnect"
            ? "Google stopped accepting our access. Reconnect to keep bookings in your calendar."
            : state === "not-connected"
              ? "Not connected. Bookings only use the hours here."
              : state === "unavailable"
                ? "Calendar status isn't available right now."
                : "Checking…"}
      </p>
      <div class="row-actions">
        {state !== "connected" && (
          <button
            type="button"
            class="button primary"
            disabled={!online}
            onClick={() => go("start")}
          >
            {state === "needs-reconnect" ? "Reconnect" : "Connect Google Calendar"}
          </button>
        )}
        {(state === "connected" || state === "needs-reconnect") && (
          <button
            type="button"
            class="button plain"
            disabled={!online}
            onClick={() => go("disconnect")}
          >
            Disconnect
          </button>
        )}
      </div>
      {message && (
        <p class="error" role="alert">
          {message}
        </p>
      )}
    </section>
  );
}
