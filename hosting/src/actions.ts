import type { FirebaseApp } from "firebase/app";
import { connectFunctionsEmulator, getFunctions, httpsCallable } from "firebase/functions";
import type { DashboardAction } from "@shared/access";
import type {
  AcknowledgeAttentionInput,
  CancelAppointmentInput,
  InputProblem,
  MarkJobDoneInput,
  MoveAppointmentInput,
  MoveOptionsInput,
  MoveOptionsResult,
  SetConversationHandledInput,
  TemplatePreviewView,
  UpdateSettingsInput,
} from "@shared/dashboard-contract";
import type {
  DeleteCustomerDataInput,
  ErasedCountsView,
  ExportCustomerDataInput,
  SetCallerScreeningInput,
} from "@shared/privacy-contract";
import { EMULATOR_PORTS, emulatorHost, isLocal, REGION } from "./firebase";

/**
 * Every change goes through a callable function (the server checks the
 * business and role, and records it). Offline, nothing is sent: the app
 * refuses visibly instead of queueing changes it cannot promise.
 */
export class ActionError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly problems: InputProblem[] = [],
  ) {
    super(message);
  }
}

interface Inputs {
  moveOptions: MoveOptionsInput;
  moveAppointment: MoveAppointmentInput;
  cancelAppointment: CancelAppointmentInput;
  markJobDone: MarkJobDoneInput;
  setConversationHandled: SetConversationHandledInput;
  acknowledgeAttention: AcknowledgeAttentionInput;
  updateSettings: UpdateSettingsInput;
  setCallerScreening: SetCallerScreeningInput;
  exportCustomerData: ExportCustomerDataInput;
  deleteCustomerData: DeleteCustomerDataInput;
}
interface Results {
  moveOptions: MoveOptionsResult;
  moveAppointment: { appointment: { id: string; start: string; end: string } };
  cancelAppointment: { cancelled: true };
  markJobDone: { done: boolean };
  setConversationHandled: { handled: boolean };
  acknowledgeAttention: { acknowledged: true };
  updateSettings: { saved: boolean; previews: TemplatePreviewView[] };
  setCallerScreening: { status: "screened" | "allowed" };
  exportCustomerData: { exportedAt: string; phone: string; data: Record<string, unknown> };
  deleteCustomerData: { erased: ErasedCountsView };
}

let connected = false;

export async function act<A extends DashboardAction>(
  app: FirebaseApp,
  action: A,
  input: Inputs[A],
): Promise<Results[A]> {
  if (!navigator.onLine) {
    throw new ActionError("You're offline. Changes need a connection.", "offline");
  }
  const functions = getFunctions(app, REGION);
  if (isLocal && !connected) {
    connectFunctionsEmulator(functions, emulatorHost, EMULATOR_PORTS.functions);
    connected = true;
  }
  try {
    const result = await httpsCallable<Inputs[A], Results[A]>(functions, action)(input);
    return result.data;
  } catch (error) {
    const e = error as { code?: string; message?: string; details?: { problems?: InputProblem[] } };
    throw new ActionError(
      e.message || "That didn't work. Nothing was changed.",
      String(e.code ?? "unknown").replace(/^functions\//, ""),
      e.details?.problems ?? [],
    );
  }
}
