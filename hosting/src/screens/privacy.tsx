import { collection, onSnapshot, orderBy, query, type Timestamp } from "firebase/firestore";
import { useEffect, useState } from "preact/hooks";
import { act } from "../actions";
import { ActionButton, Empty } from "../components";
import { firestore } from "../data";
import { phone, when } from "../format";
import { useCtx } from "../signed-in";

/**
 * Screened callers and customers' data (owner only; docs/abuse-protection.md,
 * docs/privacy.md): the numbers the receptionist screens, each undoable;
 * a number screened by hand; one customer's data exported as a JSON file or
 * deleted. Every change goes through a callable that records it in the audit log.
 */
interface ScreeningRow {
  number: string;
  status: "screened" | "allowed";
  reason: string;
  since?: Date;
  turnedAway: number;
}

const REASONS: Record<string, string> = {
  "short-calls": "kept ringing off within seconds",
  "known-spam": "a known spam number",
  owner: "screened by you",
};

function useScreening(): { rows: ScreeningRow[]; error?: string } {
  const { app, claims } = useCtx();
  const [state, setState] = useState<{ rows: ScreeningRow[]; error?: string }>({ rows: [] });
  useEffect(() => {
    const ref = collection(firestore(app), "businesses", claims.businessId, "screening");
    return onSnapshot(
      query(ref, orderBy("since", "desc")),
      (snapshot) =>
        setState({
          rows: snapshot.docs.map((d) => ({
            number: d.id,
            status: d.get("status") === "allowed" ? "allowed" : "screened",
            reason: String(d.get("reason") ?? "owner"),
            since: (d.get("since") as Timestamp | undefined)?.toDate(),
            turnedAway: Number(d.get("turnedAway") ?? 0),
          })),
        }),
      (error) => setState({ rows: [], error: error.message }),
    );
  }, [app, claims.businessId]);
  return state;
}

/** A labelled phone number field, with an example number to follow unless `example` is false. */
function NumberField(props: {
  label: string;
  value: string;
  onInput: (value: string) => void;
  example?: boolean;
}) {
  return (
    <label>
      {props.label}
      <input
        type="tel"
        placeholder={props.example === false ? undefined : "+447700900123"}
        value={props.value}
        onInput={(e) => props.onInput((e.target as HTMLInputElement).value)}
      />
    </label>
  );
}

function download(name: string, content: unknown): void {
  const blob = new Blob([JSON.stringify(content, null, 2)], { type: "application/json" });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function Privacy() {
  const { app, claims, timeZone, route } = useCtx();
  const screening = useScreening();
  const [number, setNumber] = useState("");
  const [customer, setCustomer] = useState(route[1] ?? "");
  const [confirm, setConfirm] = useState("");
  const businessId = claims.businessId;
  if (claims.role !== "owner") {
    return (
      <>
        <h1 tabIndex={-1}>Privacy and screening</h1>
        <p class="muted">Only the owner can see and change this.</p>
      </>
    );
  }
  return (
    <>
      <h1 tabIndex={-1}>Privacy and screening</h1>
      <section>
        <h2>Screened callers</h2>
        <p class="muted small">
          Screened numbers hear a short message instead of the receptionist, and their texts get no
          reply. If one of them says it's an emergency, you're still texted.
        </p>
        {screening.error && <p class="error">Couldn't load the list ({screening.error}).</p>}
        {screening.rows.length === 0 ? (
          <Empty>No numbers are screened.</Empty>
        ) : (
          <ul class="list">
            {screening.rows.map((row) => (
              <li class="card" key={row.number}>
                <strong>{phone(row.number)}</strong>
                <span class="muted small">
                  {row.status === "screened"
                    ? `Screened: ${REASONS[row.reason] ?? row.reason}`
                    : "Allowed by you: never screened"}
                  {row.since ? `, ${when(row.since, timeZone)}` : ""}
                  {row.turnedAway > 0 ? `. Turned away ${row.turnedAway} times.` : ""}
                </span>
                <ActionButton
                  action="setCallerScreening"
                  kind={row.status === "screened" ? "primary" : "plain"}
                  label={`${row.status === "screened" ? "Allow" : "Screen"} ${phone(row.number)}`}
                  run={() =>
                    act(app, "setCallerScreening", {
                      businessId,
                      number: row.number,
                      screened: row.status !== "screened",
                    })
                  }
                >
                  {row.status === "screened" ? "Allow" : "Screen again"}
                </ActionButton>
              </li>
            ))}
          </ul>
        )}
        <NumberField label="Screen a number" value={number} onInput={setNumber} />
        <ActionButton
          action="setCallerScreening"
          done="Screened."
          run={() => act(app, "setCallerScreening", { businessId, number, screened: true })}
        >
          Screen
        </ActionButton>
      </section>
      <section>
        <h2>A customer's data</h2>
        <p class="muted small">
          Download everything held about one customer, or delete it when they ask. Deleting keeps
          their past jobs without their name, number or address; jobs still booked must be cancelled
          first. Both are recorded in the audit log.
        </p>
        <NumberField label="Customer's number" value={customer} onInput={setCustomer} />
        <ActionButton
          action="exportCustomerData"
          done="Downloaded."
          run={async () => {
            const result = await act(app, "exportCustomerData", { businessId, phone: customer });
            download(`customer-${customer.replace(/\D/g, "")}.json`, result);
          }}
        >
          Download their data
        </ActionButton>
        <NumberField
          label="Type the number again to delete"
          value={confirm}
          onInput={setConfirm}
          example={false}
        />
        <ActionButton
          action="deleteCustomerData"
          kind="danger"
          done="Deleted."
          run={() => act(app, "deleteCustomerData", { businessId, phone: customer, confirm })}
        >
          Delete their data
        </ActionButton>
      </section>
    </>
  );
}
