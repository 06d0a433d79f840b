import { strict as assert } from "node:assert";
import functionsTest from "firebase-functions-test";
import { appFirestore } from "../../src/adapters/firestore/firestore-client";
import { paths } from "../../src/adapters/firestore/paths";
import type { Business } from "../../src/domain/business/business";
import type { DashboardAction } from "../../src/shared/access";
import { acknowledgeAttention } from "../../src/triggers/callable/acknowledge-attention.callable";
import { cancelAppointment } from "../../src/triggers/callable/cancel-appointment.callable";
import { deleteCustomerData } from "../../src/triggers/callable/delete-customer-data.callable";
import { exportCustomerData } from "../../src/triggers/callable/export-customer-data.callable";
import { markJobDone } from "../../src/triggers/callable/mark-job-done.callable";
import { moveAppointment } from "../../src/triggers/callable/move-appointment.callable";
import { moveOptions } from "../../src/triggers/callable/move-options.callable";
import { setCallerScreening } from "../../src/triggers/callable/set-caller-screening.callable";
import { setConversationHandled } from "../../src/triggers/callable/set-conversation-handled.callable";
import { updateSettings } from "../../src/triggers/callable/update-settings.callable";
import { TEST_PROJECT_ID } from "./root-hooks";

/**
 * The dashboard's callable functions as the platform runs them (wrapped by
 * firebase-functions-test, with the caller's verified token), signed in as
 * a business's owner or staff: shared by the dashboard and privacy callable
 * tests and the bad-input fuzzing.
 */
const fft = functionsTest({ projectId: TEST_PROJECT_ID });
const CALLABLES = {
  moveOptions: fft.wrap(moveOptions),
  moveAppointment: fft.wrap(moveAppointment),
  cancelAppointment: fft.wrap(cancelAppointment),
  markJobDone: fft.wrap(markJobDone),
  setConversationHandled: fft.wrap(setConversationHandled),
  acknowledgeAttention: fft.wrap(acknowledgeAttention),
  updateSettings: fft.wrap(updateSettings),
  setCallerScreening: fft.wrap(setCallerScreening),
  exportCustomerData: fft.wrap(exportCustomerData),
  deleteCustomerData: fft.wrap(deleteCustomerData),
} satisfies Record<DashboardAction, unknown>;

/** Who is signed in: the uid and the custom claims of their ID token; undefined for nobody. */
export type Auth = { uid: string; token: Record<string, unknown> } | undefined;

/** Signed in as the business's owner. */
export const ownerOf = (b: Business): Auth => ({
  uid: `${b.id}-owner`,
  token: { businessId: b.id, role: "owner" },
});

/** Signed in as the business's staff. */
export const staffOf = (b: Business): Auth => ({
  uid: `${b.id}-staff`,
  token: { businessId: b.id, role: "staff" },
});

/** Calls a callable as `auth`: its answer, or the HttpsError it threw. */
export async function call(
  action: DashboardAction,
  data: unknown,
  auth: Auth,
): Promise<Record<string, unknown>> {
  const wrapped = CALLABLES[action] as unknown as (
    request: unknown,
  ) => Promise<Record<string, unknown>>;
  return wrapped({ data, auth, rawRequest: {}, acceptsStreaming: false });
}

/** The HttpsError code a refused call answers with (and its problems); fails when accepted. */
export async function refusal(
  action: DashboardAction,
  data: unknown,
  auth: Auth,
): Promise<{ code: string; problems: Array<{ path: string; message: string }> }> {
  try {
    await call(action, data, auth);
  } catch (error) {
    const e = error as {
      code?: string;
      details?: { problems?: Array<{ path: string; message: string }> };
    };
    return { code: String(e.code), problems: e.details?.problems ?? [] };
  }
  assert.fail(`${action} was not refused`);
}

/** The business's audit log, oldest first. */
export async function auditOf(business: Business) {
  const snapshot = await appFirestore().collection(paths.audit(business.id)).orderBy("at").get();
  return snapshot.docs.map((d) => d.data());
}
