import type { DialogueState, DoneAction, MessageReason } from "../dialogue/dialogue-state";
import { nationalFormat } from "../dialogue/wording";

/**
 * The deterministic summary of one conversation, written when it ends: who,
 * what came of it, the job and where, how urgent, what the owner must do
 * next, and the caller's first words as they said them. Built only from what
 * the conversation recorded, so it never invents a booking, a time or a price.
 */

export const SUMMARY_OUTCOMES = [
  "emergency-unanswered",
  "emergency-transferred",
  "message-taken",
  "booked",
  "moved",
  "cancelled",
  "question-answered",
  "transferred",
  "dropped",
] as const;
export type SummaryOutcome = (typeof SUMMARY_OUTCOMES)[number];

export type Urgency = "emergency" | "high" | "normal";

export interface SummaryTurn {
  speaker: "caller" | "receptionist" | "system";
  text: string;
}

/** What a stored conversation holds, whatever the channel or the storage. */
export interface ConversationFacts {
  channel: "call" | "sms";
  callerPhone: string | null;
  /** The known customer's name, when the caller was recognised. */
  customerName?: string;
  state: DialogueState;
  turns: readonly SummaryTurn[];
  /** Set when someone was rung: accepted when acceptedLeg is there. */
  escalation?: { reason: "emergency" | "human"; acceptedLeg?: number };
  /** The stored end of the call, e.g. "emergency-unanswered". */
  outcome?: string;
  /** Messages recorded on the call whose transcription has landed, words or none. */
  recordings?: readonly RecordedMessageFact[];
}

/** A message a caller recorded, as its transcription left it. */
export interface RecordedMessageFact {
  seconds: number;
  /** Null when it could not be transcribed. */
  words: string | null;
}

/**
 * The message a caller recorded on the call: its words once transcribed;
 * null words until then, or when transcription failed or never came.
 */
export interface MessageSummary {
  seconds: number;
  words: string | null;
}

export interface ConversationSummary {
  who: string;
  outcome: SummaryOutcome;
  /** Everything the conversation got done, in order ("booked", "cancelled"...). */
  actions: DoneAction["action"][];
  job: string | null;
  address: string | null;
  urgency: Urgency;
  /** What the owner must do next, in one sentence. */
  ownerAction: string;
  /** Whether it goes in the owner's digest of conversations that need them. */
  needsOwner: boolean;
  /** The caller's first words, verbatim. */
  firstWords: string | null;
  /** The message recorded on a call; null when none was (absent in older summaries). */
  message?: MessageSummary | null;
}

const OUTCOME_WORDS: Record<SummaryOutcome, string> = {
  "emergency-unanswered": "emergency, nobody took the transfer",
  "emergency-transferred": "emergency, put through",
  "message-taken": "message taken",
  booked: "booked",
  moved: "booking moved",
  cancelled: "booking cancelled",
  "question-answered": "question answered",
  transferred: "put through to you",
  dropped: "hung up",
};

/** A text thread does not hang up: it goes quiet. */
const SMS_OUTCOME_WORDS: Partial<Record<SummaryOutcome, string>> = {
  dropped: "stopped replying",
  "message-taken": "message passed on",
};

const MESSAGE_NEXT: Record<MessageReason, string> = {
  callback: "they asked you to call",
  reschedule: "they want to move a booking",
  cancel: "they want to cancel a booking",
  question: "they have a question for you",
  "owner-unavailable": "they asked for you",
  misunderstood: "the receptionist could not understand them",
};

/** Most important first: the outcome the owner needs to see. */
const ACTION_RANK: Record<DoneAction["action"], SummaryOutcome> = {
  message: "message-taken",
  booked: "booked",
  moved: "moved",
  cancelled: "cancelled",
  answered: "question-answered",
};

function whoOf(facts: ConversationFacts): string {
  const name = facts.state.draft.name ?? facts.customerName;
  const phone = facts.callerPhone ? nationalFormat(facts.callerPhone) : "withheld number";
  const unknown = facts.channel === "sms" ? "Unknown texter" : "Unknown caller";
  return name ? `${name} (${phone})` : `${unknown} (${phone})`;
}

function jobOf(facts: ConversationFacts, done: readonly DoneAction[]): string | null {
  const emergency = facts.state.emergency;
  if (emergency) return emergency.label;
  const withJob = done.find((d) => d.job && d.action !== "answered");
  if (withJob?.job) return withJob.job;
  return facts.state.draft.problem ?? null;
}

function outcomeOf(facts: ConversationFacts, done: readonly DoneAction[]): SummaryOutcome {
  if (facts.state.emergency) {
    const accepted = facts.escalation?.acceptedLeg !== undefined;
    return accepted && facts.outcome !== "emergency-unanswered"
      ? "emergency-transferred"
      : "emergency-unanswered";
  }
  for (const outcome of SUMMARY_OUTCOMES) {
    if (done.some((d) => ACTION_RANK[d.action] === outcome)) return outcome;
  }
  if (facts.escalation?.reason === "human" && facts.escalation.acceptedLeg !== undefined) {
    return "transferred";
  }
  return "dropped";
}

function nextStep(
  outcome: SummaryOutcome,
  facts: ConversationFacts,
  done: readonly DoneAction[],
  job: string | null,
): { ownerAction: string; needsOwner: boolean } {
  const phone = facts.callerPhone ? nationalFormat(facts.callerPhone) : null;
  const callBack = (why: string): { ownerAction: string; needsOwner: boolean } =>
    phone
      ? { ownerAction: `Call back on ${phone}: ${why}.`, needsOwner: true }
      : { ownerAction: `No number to call back (withheld): ${why}.`, needsOwner: true };
  const address = facts.state.draft.address;
  switch (outcome) {
    case "emergency-unanswered":
      return callBack(`${(job ?? "an emergency").toLowerCase()}, now`);
    case "emergency-transferred":
      return {
        ownerAction: `You took the call: make sure the ${(job ?? "emergency").toLowerCase()}${address ? ` at ${address}` : ""} is in hand.`,
        needsOwner: false,
      };
    case "message-taken": {
      const reason = done.find((d) => d.action === "message")?.reason ?? "misunderstood";
      return callBack(MESSAGE_NEXT[reason]);
    }
    case "booked":
    case "moved":
    case "cancelled":
      return { ownerAction: "Nothing to do: the diary is up to date.", needsOwner: false };
    case "question-answered":
      return { ownerAction: "Nothing to do: their question was answered.", needsOwner: false };
    case "transferred":
      return { ownerAction: "Nothing to do: you spoke to them.", needsOwner: false };
    case "dropped": {
      const left = facts.channel === "sms" ? "stopped replying" : "hung up";
      if (job || facts.escalation?.reason === "human") {
        return callBack(
          job ? `they ${left} before booking (${job})` : `they asked for you and ${left}`,
        );
      }
      return {
        ownerAction: `Nothing to do: they ${left} before saying what they wanted.`,
        needsOwner: false,
      };
    }
  }
}

function urgencyOf(facts: ConversationFacts): Urgency {
  if (facts.state.emergency) return "emergency";
  // A safety question was asked: the caller said no, but the owner should look first.
  if ((facts.state.safetyAsked ?? []).length > 0) return "high";
  return "normal";
}

/** The call's recorded message: its transcription once landed, else what the engine heard. */
function messageOf(facts: ConversationFacts, done: readonly DoneAction[]): MessageSummary | null {
  const landed = facts.recordings?.at(-1);
  if (landed) return { seconds: landed.seconds, words: landed.words };
  const recorded = [...done].reverse().find((d) => d.action === "message" && (d.seconds ?? 0) > 0);
  return recorded?.seconds ? { seconds: recorded.seconds, words: null } : null;
}

/**
 * How far a summary has got with the call's message: 0 no message, 1 a
 * message without words (not transcribed yet, or never), 2 its words. A
 * stored summary is replaced only by one that has got further, so facts
 * read before the message landed never overwrite those read after.
 */
export function messageProgress(summary: Pick<ConversationSummary, "message">): number {
  if (!summary.message) return 0;
  return summary.message.words === null ? 1 : 2;
}

export function summariseConversation(facts: ConversationFacts): ConversationSummary {
  const done = facts.state.done ?? [];
  const job = jobOf(facts, done);
  const outcome = outcomeOf(facts, done);
  const first = facts.turns.find((t) => t.speaker === "caller" && t.text.trim() !== "");
  return {
    who: whoOf(facts),
    outcome,
    actions: done.map((d) => d.action),
    job,
    address: facts.state.draft.address ?? null,
    urgency: urgencyOf(facts),
    ...nextStep(outcome, facts, done, job),
    firstWords: first ? first.text.trim() : null,
    message: messageOf(facts, done),
  };
}

function messageWords(message: MessageSummary): string {
  const heading = `Message (${message.seconds} s):`;
  if (message.words === null) return `${heading} not transcribed; listen to the recording.`;
  const words = message.words.trim();
  return words ? `${heading} "${words}"` : `${heading} no words could be made out.`;
}

/** One paragraph for the dashboard and the owner's digest. */
export function renderSummary(
  summary: ConversationSummary,
  channel: ConversationFacts["channel"] = "call",
): string {
  const words =
    (channel === "sms" ? SMS_OUTCOME_WORDS[summary.outcome] : undefined) ??
    OUTCOME_WORDS[summary.outcome];
  const parts = [
    `${summary.who}: ${words}.`,
    summary.job ? `Job: ${summary.job}.` : "",
    summary.address ? `At: ${summary.address}.` : "",
    summary.urgency === "normal" ? "" : `Urgency: ${summary.urgency}.`,
    `Next: ${summary.ownerAction}`,
    summary.firstWords ? `First words: "${summary.firstWords}"` : "",
    summary.message ? messageWords(summary.message) : "",
  ];
  return parts.filter((p) => p !== "").join(" ");
}

const URGENCY_RANK: Record<Urgency, number> = { emergency: 0, high: 1, normal: 2 };

/** The conversations that need the owner, most urgent first (then oldest first, as given). */
export function needingOwner<T extends { summary: ConversationSummary }>(items: readonly T[]): T[] {
  return items
    .map((item, index) => ({ item, index }))
    .filter(({ item }) => item.summary.needsOwner)
    .sort(
      (a, b) =>
        URGENCY_RANK[a.item.summary.urgency] - URGENCY_RANK[b.item.summary.urgency] ||
        a.index - b.index,
    )
    .map(({ item }) => item);
}
