import {
  type DialogueState,
  type DoneAction,
  initialDialogueState,
} from "../dialogue/dialogue-state";

/**
 * A text thread has no end the way a call does: it is summarised once it has
 * been idle for SMS_SUMMARY_IDLE_MINUTES since the customer's last text. What
 * the thread did since its last summary (its "episode") is kept on the
 * thread's document, one step per inbound text the conversation engine
 * handled; the summary is built from those steps and the turns since the last
 * summary, and the episode then starts afresh. A thread that gets new texts
 * after its summary is summarised again, and its summary is replaced: the
 * summary always reflects the thread's latest episode.
 */

/** How long a text thread stays quiet before it is summarised. */
export const SMS_SUMMARY_IDLE_MINUTES = 120;

/** When a thread whose customer last texted at `lastCustomerTextAt` is due its summary. */
export function smsSummaryDueAt(lastCustomerTextAt: Date): Date {
  return new Date(lastCustomerTextAt.getTime() + SMS_SUMMARY_IDLE_MINUTES * 60_000);
}

/** What one inbound text's handling added to the thread: plain JSON, stored on the thread. */
export interface SmsEpisodeStep {
  at: string;
  /** What this text got done (booked, cancelled, a message for the owner...). */
  done: DoneAction[];
  draft: { name?: string; address?: string; problem?: string };
  emergency?: { kind: string; label: string; words: string };
  safetyAsked?: string[];
  /** The known customer's name, when the number was recognised. */
  customerName?: string;
}

/**
 * The step one text made: the actions in `after` that were not already in
 * `before` (a conversation carried on by text keeps its earlier actions), and
 * the details it knows.
 */
export function episodeStep(before: DialogueState, after: DialogueState, at: Date): SmsEpisodeStep {
  const earlier = new Set((before.done ?? []).map((d) => JSON.stringify(d)));
  const { name, address, problem } = after.draft;
  return {
    at: at.toISOString(),
    done: (after.done ?? []).filter((d) => !earlier.has(JSON.stringify(d))),
    draft: {
      ...(name ? { name } : {}),
      ...(address ? { address } : {}),
      ...(problem ? { problem } : {}),
    },
    ...(after.emergency ? { emergency: after.emergency } : {}),
    ...(after.safetyAsked?.length ? { safetyAsked: after.safetyAsked } : {}),
  };
}

/**
 * The episode as one dialogue state, for the summariser: every step's actions
 * in order, the latest known details, an emergency if any step had one.
 */
export function episodeState(steps: readonly SmsEpisodeStep[]): DialogueState {
  const ordered = [...steps].sort((a, b) => a.at.localeCompare(b.at));
  const state = initialDialogueState("ended");
  const done: DoneAction[] = [];
  const asked = new Set<string>();
  for (const step of ordered) {
    done.push(...step.done);
    state.draft = { ...state.draft, ...step.draft };
    if (step.emergency) state.emergency ??= step.emergency;
    for (const kind of step.safetyAsked ?? []) asked.add(kind);
  }
  state.done = done;
  if (asked.size > 0) state.safetyAsked = [...asked];
  return state;
}
