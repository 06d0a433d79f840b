import type { Business } from "../domain/business/business";
import type { Customer } from "../domain/customers/customer";
import {
  greet,
  MID_CONVERSATION_STAGES,
  step,
  TurnContext,
} from "../domain/dialogue/conversation-engine";
import { DialogueState, readDialogueState } from "../domain/dialogue/dialogue-state";
import { episodeStep } from "../domain/summaries/sms-episode";
import { spoken, texted } from "../domain/dialogue/wording";
import {
  ownerCancelKeywordText,
  ownerForwardText,
  ownerMessageText,
  ownerRescheduleHelpText,
} from "../domain/notifications/owner-texts";
import { normalisePhoneNumber } from "../domain/phone/phone-number";
import type { Appointment } from "../domain/scheduling/appointment";
import { parseReply } from "../domain/sms/reply-parser";
import {
  hoursFrom,
  isLive,
  SMS_CONVERSATION_HOURS,
  SmsPending,
  SmsTurn,
  smsConversationId,
  smsReplyOutboxId,
} from "../domain/sms/sms-thread";
import { noWrites } from "../ports/call-writes.port";
import type { CallConversation } from "../ports/conversation-store.port";
import type { InboundAnswer, InboundSms, InboundSmsLog } from "../ports/inbound-sms.port";
import type { SmsConsentStore } from "../ports/sms-consent.port";
import type { SmsConversations } from "../ports/sms-conversation.port";
import { alertOwner, ownerAlertDelivery } from "./alert-owner";
import type { CallDeps, RunContext } from "./call-context";
import { turnKey } from "./call-turns";
import { callerWords, ChannelPolicy, converse, Settled } from "./converse";
import { errorText, logConversationUnreadable, logError, logInfo, logWarn } from "../logs";

export interface InboundSmsDeps extends CallDeps {
  consent: SmsConsentStore;
  inbound: InboundSmsLog;
  sms: SmsConversations;
  /**
   * How a delivery that finds its text still being handled by another waits
   * for it (DUPLICATE_WAIT unless given): long enough to take the text over if
   * the other fails, short enough to answer Twilio in time itself.
   */
  duplicateWait?: DuplicateWait;
}

export interface DuplicateWait {
  /** Longest wait for the first delivery to answer or let go. */
  maxMs: number;
  /** How often its progress is read meanwhile. */
  pollMs: number;
  /** Waits this long (setTimeout unless given). */
  sleep?: (ms: number) => Promise<void>;
}

/** Inside the SMS webhook's 12 s: a takeover after 7 s still answers Twilio in time. */
export const DUPLICATE_WAIT: DuplicateWait = { maxMs: 7_000, pollMs: 250 };

export interface InboundSmsInput {
  messageSid: string;
  from: string;
  to: string;
  body: string;
  numMedia: number;
  idempotencyToken?: string;
}

export interface InboundSmsResult extends InboundAnswer {
  business: Business | null;
  /** Seen before (same MessageSid or idempotency token): answered again, not handled again. */
  duplicate: boolean;
}

/** Why an appointment was cancelled, on the appointment; the owner's alert reads it. */
export const SMS_CANCEL_REASON = "customer replied by SMS";
/** Marks a move made by the customer's own text, whose reply already confirmed it. */
export const SMS_RESCHEDULE_REASON = "customer chose a new time by SMS";

/**
 * One text from a customer to a business's number (Twilio's "A message comes
 * in"). Stored once under its MessageSid; a redelivery gets the stored answer.
 * The answer's `reply` goes back as TwiML <Message>; anything for the owner
 * goes through the outbox.
 */
export async function handleInboundSms(
  input: InboundSmsInput,
  deps: InboundSmsDeps,
  takeovers = 0,
): Promise<InboundSmsResult> {
  const business = await deps.businesses.findByPhoneNumber(input.to);
  if (!business) {
    logWarn(deps.logger, "sms.unknown-number", { messageSid: input.messageSid });
    return { business: null, reply: null, outcome: "unknown-number", duplicate: false };
  }
  const sender = normalisePhoneNumber(input.from, business.defaultCountry);
  const phone = sender.ok ? sender.e164 : input.from;
  const now = deps.clock.now();
  const message: InboundSms = {
    businessId: business.id,
    messageSid: input.messageSid,
    from: phone,
    to: input.to,
    body: input.body,
    numMedia: input.numMedia,
    receivedAt: now,
    ...(input.idempotencyToken ? { idempotencyToken: input.idempotencyToken } : {}),
  };
  const claim = await deps.inbound.claim(message);
  if (claim.status === "duplicate") {
    logInfo(deps.logger, "sms.duplicate", {
      businessId: business.id,
      messageSid: input.messageSid,
    });
    if (claim.answer) {
      return replayed(business, phone, claim.answer, deps, claim.messageSid ?? input.messageSid);
    }
    return awaitFirstDelivery(
      { input, business, phone, messageSid: claim.messageSid ?? input.messageSid },
      deps,
      takeovers,
    );
  }
  let answer: InboundAnswer;
  let overlapped: boolean;
  try {
    const turns: SmsTurn[] = [
      { at: now, speaker: "customer", text: input.body, messageId: input.messageSid },
    ];
    answer = sender.ok
      ? await respond({ business, phone, text: input.body, message, now, turns }, deps)
      : { reply: null, outcome: "unreadable-sender" };
    if (answer.reply) turns.push({ at: now, speaker: "receptionist", text: answer.reply });
    if (sender.ok) {
      for (const turn of turns) await deps.sms.append(business.id, phone, turn);
    }
    ({ overlapped } = await deps.inbound.recordAnswer(business.id, input.messageSid, answer, now));
  } catch (error) {
    // Let Twilio's redelivery (or the customer's next try) handle it afresh; a
    // delivery already waiting on this one takes it over at once.
    const released = await deps.inbound
      .release(message, deps.clock.now())
      .catch(() => ({ waiting: false }));
    if (!released.waiting) throw error;
    logError(deps.logger, "sms.inbound-failed", {
      businessId: business.id,
      messageSid: input.messageSid,
      handedOver: true,
      error: errorText(error),
    });
    return { business, reply: null, outcome: "handed-over", duplicate: false };
  }
  logInfo(deps.logger, "sms.handled", {
    businessId: business.id,
    messageSid: input.messageSid,
    outcome: answer.outcome,
  });
  if (overlapped && answer.reply) {
    // Another delivery of this text came while it was handled: Twilio heeds one answer
    // of the two, we cannot know which, so neither carries the reply.
    await sendReplyByOutbox(business, phone, input.messageSid, answer.reply, deps);
    return { business, ...answer, reply: null, replyByOutbox: true, duplicate: false };
  }
  return { business, ...answer, duplicate: false };
}

/** A text already answered: the same answer again, or nothing when the reply went by the outbox. */
async function replayed(
  business: Business,
  phone: string,
  answer: InboundAnswer,
  deps: InboundSmsDeps,
  messageSid?: string,
): Promise<InboundSmsResult> {
  if (answer.replyByOutbox && answer.reply && messageSid) {
    // Queued by the first delivery already, unless it died just after answering: once either way.
    await sendReplyByOutbox(business, phone, messageSid, answer.reply, deps);
  }
  return {
    business,
    reply: answer.replyByOutbox ? null : answer.reply,
    outcome: answer.outcome,
    duplicate: true,
  };
}

async function sendReplyByOutbox(
  business: Business,
  phone: string,
  messageSid: string,
  reply: string,
  deps: InboundSmsDeps,
): Promise<void> {
  await deps.outbox.enqueue({
    id: smsReplyOutboxId(messageSid),
    businessId: business.id,
    to: phone,
    body: reply,
    purpose: "sms-reply",
    relatedId: messageSid,
  });
}

/**
 * Another delivery of this text is handling it. Join it (so its reply goes
 * by the outbox, which both deliveries reach with the same id) and wait: for
 * its answer (then answer empty), or for it to fail and let go (then handle
 * the text here). Past the wait, answer empty; the reply still goes by the
 * outbox when the first delivery finishes.
 */
async function awaitFirstDelivery(
  first: { input: InboundSmsInput; business: Business; phone: string; messageSid: string },
  deps: InboundSmsDeps,
  takeovers: number,
): Promise<InboundSmsResult> {
  const { business, phone, messageSid } = first;
  const wait = deps.duplicateWait ?? DUPLICATE_WAIT;
  const sleep = wait.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const until = new Date(deps.clock.now().getTime() + wait.maxMs);
  let progress = await deps.inbound.join(business.id, messageSid, until);
  while (progress.state === "in-progress") {
    const left = until.getTime() - deps.clock.now().getTime();
    if (left <= 0) {
      // One last look once the mark has expired: a release before it found us waiting.
      progress = await deps.inbound.progress(business.id, messageSid);
      break;
    }
    await sleep(Math.min(wait.pollMs, left));
    progress = await deps.inbound.progress(business.id, messageSid);
  }
  if (progress.state === "answered") {
    return replayed(business, phone, progress.answer, deps, messageSid);
  }
  if (progress.state === "released" && takeovers < MAX_TAKEOVERS) {
    logWarn(deps.logger, "sms.duplicate-took-over", { businessId: business.id, messageSid });
    return handleInboundSms(first.input, deps, takeovers + 1);
  }
  return { business, reply: null, outcome: "in-progress", duplicate: true };
}

/** A delivery takes over a failed one at most this often, so a text that always fails ends. */
const MAX_TAKEOVERS = 2;

interface Inbound {
  business: Business;
  phone: string;
  text: string;
  message: InboundSms;
  now: Date;
  /** The conversation's turns from this text, appended once it is handled. */
  turns: SmsTurn[];
}

/**
 * A text that is not a carrier keyword goes to the conversation engine,
 * the same engine as a call's: carrying on what the last texts (or a
 * dropped call) left pending, or, with nothing pending, opening a
 * conversation by text: a reply to a reminder, a question about a visit
 * booked (for the owner), or a new request like a caller's (a booking, a
 * change, a question, an emergency), or thanks.
 */
async function respond(sms: Inbound, deps: InboundSmsDeps): Promise<InboundAnswer> {
  const { business, phone, now } = sms;
  const [customer, thread] = await Promise.all([
    deps.customers.findByPhone(business.id, phone),
    deps.sms.getThread(business.id, phone),
  ]);
  const optedOut = customer?.smsOptedOut === true;
  const reply = parseReply(sms.text, { optedOut, offerCount: 0 });

  // Carrier keywords first: Twilio and the carriers act on them whatever we say.
  switch (reply.kind) {
    case "opt-out":
      return optOut(sms, customer, reply.word, deps);
    case "opt-in":
      await deps.consent.setSmsOptOut(business.id, phone, false, now);
      logInfo(deps.logger, "sms.opted-in", { businessId: business.id, word: reply.word });
      return { reply: texted.optedIn(business), outcome: "opted-in" };
    case "help":
      return { reply: texted.help(business), outcome: "help" };
    default:
      break;
  }
  if (optedOut) return fromOptedOut(sms, customer, deps);
  const pending = isLive(thread?.pending ?? null, now) ? (thread?.pending ?? null) : null;
  return converseByText(sms, customer?.name ? customer : null, pending, deps);
}

/**
 * A text from a customer who opted out. We text them nothing, not even about an
 * emergency: STOP is honoured (Twilio answers the keywords themselves). The text
 * still goes through the engine's emergency check first, as every text does: an
 * emergency alerts the owner at once, whatever the hour, exactly as any other
 * (the same alert, under the same MessageSid-keyed id), and is recorded on the
 * conversation. Anything else is forwarded to the owner, to call them; a text with
 * partial signals (the engine would ask its safety question, which we may not
 * text) is forwarded at once rather than held for the owner's quiet hours.
 */
async function fromOptedOut(
  sms: Inbound,
  customer: Customer | null,
  deps: InboundSmsDeps,
): Promise<InboundAnswer> {
  const { business, phone, now } = sms;
  const known = customer?.name ? customer : null;
  const ctx: TurnContext = { business, customer: known, callerPhone: phone, now, channel: "sms" };
  const state = greet(ctx, "texting").state;
  const words = await callerWords(state, { text: sms.text, confidence: null }, ctx, deps);
  const first = step(state, words, ctx);
  if (first.outcome.type !== "escalate-emergency") {
    const unasked = first.state.stage === "safety-check";
    await forwardToOwner(sms, customer, deps, unasked);
    return { reply: null, outcome: "forwarded-opted-out" };
  }
  const run = smsRun(sms, known, ctx, state, null, deps, true);
  const settled = await converse(first, run, (done) => done.writes);
  const alert = settled.writes.outbox.find((m) => m.id === run.channel.ids.emergencyAlert);
  if (alert) {
    sms.turns.push({ at: now, speaker: "owner-forward", text: alert.body, messageId: alert.id });
  }
  await deps.sms.recordStep(business.id, phone, sms.message.messageSid, {
    ...episodeStep(state, settled.decision.state, now),
    ...(known ? { customerName: known.name } : {}),
  });
  return { reply: null, outcome: "emergency-opted-out" };
}

async function converseByText(
  sms: Inbound,
  customer: Customer | null,
  pending: SmsPending | null,
  deps: InboundSmsDeps,
): Promise<InboundAnswer> {
  const { business, phone, now } = sms;
  const ownId = smsConversationId(phone);
  // A dropped call's booking carries on as that call's; without the call, afresh.
  const call =
    pending && pending.conversationId !== ownId
      ? await deps.conversations.get(business.id, pending.conversationId)
      : null;
  const carried = pending && (call || pending.conversationId === ownId) ? pending : null;
  const ctx: TurnContext = {
    business,
    customer,
    callerPhone: call?.callerPhone ?? phone,
    now,
    channel: "sms",
  };
  const stored = carried ? readDialogueState(carried.state) : null;
  if (stored && !stored.ok) {
    // Read afresh as a text of its own: the customer is still answered.
    logConversationUnreadable(deps.logger, {
      businessId: business.id,
      conversationId: carried?.conversationId ?? ownId,
      channel: "sms",
      problem: stored.problem,
    });
  }
  const carriedOn = stored?.ok === true;
  const state: DialogueState = carriedOn ? stored.state : greet(ctx, "texting").state;
  const run = smsRun(sms, customer, ctx, state, call, deps);
  const conversation = run.conversation;
  const words = await callerWords(state, { text: sms.text, confidence: null }, ctx, deps);
  const first = step(state, words, ctx);
  const settled = await converse(first, run, (settled) => {
    const writes = settled.writes;
    if (settled.reply.kind === "connect" && !settled.reply.emergency) {
      // Nobody can be put through by text: the owner gets the customer's words instead.
      const body = ownerMessageText({
        reason: "owner-unavailable",
        message: sms.text,
        callerPhone: phone,
        callerName: customer?.name || settled.decision.state.draft.name,
      });
      const delivery = ownerAlertDelivery(
        business,
        {
          outboxId: run.channel.ids.ownerMessage,
          purpose: "owner-message",
          body,
          relatedId: run.channel.ids.related,
        },
        now,
      );
      if ("outbox" in delivery)
        writes.outbox = [
          ...writes.outbox.filter((m) => m.id !== delivery.outbox.id),
          delivery.outbox,
        ];
      else
        writes.scheduled = [
          ...writes.scheduled.filter((m) => m.outboxId !== delivery.scheduled.outboxId),
          delivery.scheduled,
        ];
    }
    if (call && settled.booked) {
      // The call's record says it ended in a booking, finished by text.
      writes.conversation = {
        outcome: "booked",
        appointmentIds: settled.conversation.appointmentIds,
        updatedAt: now,
      };
      writes.turns = [
        {
          key: turnKey(call.turnCount, "8-sms"),
          at: now,
          speaker: "system",
          text: "Booking finished by SMS.",
        },
      ];
    }
    return writes;
  });
  if (settled.booked) {
    logInfo(deps.logger, "booking.created", {
      businessId: business.id,
      callSid: conversation.id,
      appointmentId: settled.booked.id,
      channel: "sms",
    });
  }
  const after = settled.decision.state;
  // A conversation by text stays open while it is in the middle of something, and a
  // little after ("anything else?"), so a "no thanks" is not read as a reply to a reminder.
  const finished = ["booked", "moved", "cancelled", "confirmed"].includes(
    settled.reply.kind === "connect" ? "" : (settled.reply.moment ?? ""),
  );
  const goesOn =
    settled.reply.kind === "listen" &&
    !finished &&
    (MID_CONVERSATION_STAGES.includes(after.stage) ||
      ["anything-else", "awaiting-request"].includes(after.stage));
  const expiresAt = !MID_CONVERSATION_STAGES.includes(after.stage)
    ? new Date(now.getTime() + SMS_FOLLOW_ON_MINUTES * 60_000).toISOString()
    : carried && call
      ? // A dropped call's booking keeps its own, longer, time to be finished.
        carried.expiresAt
      : hoursFrom(now, SMS_CONVERSATION_HOURS);
  await deps.sms.setPending(
    business.id,
    phone,
    goesOn ? { conversationId: conversation.id, state: after, expiresAt } : null,
    now,
  );
  // What this text did, for the thread's summary once it goes quiet.
  await deps.sms.recordStep(business.id, phone, sms.message.messageSid, {
    ...episodeStep(state, after, now),
    ...(customer?.name ? { customerName: customer.name } : {}),
  });
  const reply = textFor(settled, business);
  return {
    // A text that opens a conversation is answered as the business, like every text standing alone.
    reply: reply && !carriedOn && !call ? texted.asBusiness(business, reply) : reply,
    outcome: outcomeOf(settled, carriedOn),
  };
}

/** One text's run of the engine: a dropped call's conversation carried on, or the customer's own by text. */
function smsRun(
  sms: Inbound,
  customer: Customer | null,
  ctx: TurnContext,
  state: DialogueState,
  call: CallConversation | null,
  deps: InboundSmsDeps,
  optedOut = false,
): RunContext {
  const { business, phone, now } = sms;
  const conversation: CallConversation = call ?? {
    id: smsConversationId(phone),
    businessId: business.id,
    channel: "sms",
    callerPhone: phone,
    ...(customer ? { customerId: customer.id, customer } : {}),
    startedAt: now,
    updatedAt: now,
    state,
    turnCount: 0,
    emergency: false,
    appointmentIds: [],
  };
  return {
    business,
    customer,
    conversation,
    ctx,
    step: call?.turnCount ?? 0,
    deps,
    writes: noWrites(business.id, conversation.id),
    channel: smsChannel(sms, customer, deps, optedOut),
  };
}

/** How long a finished conversation by text stays open for a last word ("no thanks"). */
const SMS_FOLLOW_ON_MINUTES = 30;

/** What a text conversation decides for itself while the engine's decisions are carried out. */
function smsChannel(
  sms: Inbound,
  customer: Customer | null,
  deps: InboundSmsDeps,
  optedOut: boolean,
): ChannelPolicy {
  const { business, phone, now } = sms;
  return {
    channel: "sms",
    ...(optedOut ? { optedOut } : {}),
    ids: {
      ownerMessage: `sms-to-owner-${sms.message.messageSid}`,
      emergencyAlert: `emergency-alert-sms-${sms.message.messageSid}`,
      related: sms.message.messageSid,
    },
    ownerMessage: async (message, reason, state) => {
      const moving = state.change?.visits.find((v) => v.id === state.change?.visitId);
      const body =
        reason === "question"
          ? await forwardBody(sms, customer, deps)
          : moving && reason === "reschedule"
            ? ownerRescheduleHelpText({
                customerName: customer?.name || state.draft.name,
                phone,
                appointment: { serviceName: moving.serviceName, start: new Date(moving.start) },
                timeZone: business.timeZone,
              })
            : ownerMessageText({
                reason,
                message,
                callerPhone: phone,
                callerName: customer?.name || state.draft.name,
              });
      sms.turns.push({
        at: now,
        speaker: "owner-forward",
        text: body,
        messageId: `sms-to-owner-${sms.message.messageSid}`,
      });
      return body;
    },
    cancelReason: SMS_CANCEL_REASON,
    rescheduleReason: SMS_RESCHEDULE_REASON,
  };
}

/**
 * The engine's reply, worded for a text: the business's name first on
 * what stands alone, the times on offer numbered, no "anything else?".
 */
function textFor(settled: Settled, business: Business): string | null {
  const { reply, decision } = settled;
  const state = decision.state;
  if (reply.kind === "connect") {
    return reply.emergency
      ? texted.emergency(business, reply.emergency)
      : texted.forwarded(business);
  }
  const visit = settled.touched;
  switch (reply.moment) {
    case "thanks":
      return null;
    case "confirmed":
      return visit ? texted.confirmed(business, visit) : null;
    case "cancelled":
      return visit ? texted.cancelled(business, visit) : null;
    case "moved":
      return visit ? texted.moved(business, visit) : null;
    case "move-offers": {
      const moving = state.change?.visits.find((v) => v.id === state.change?.visitId);
      const lost = reply.say.some(
        (line) => line === spoken.timeJustTaken() || line === spoken.timesGone(),
      );
      const preface = lost ? texted.timeTakenPreface() : "";
      return moving ? texted.moveOffers(business, moving, state.offers, preface) : null;
    }
    case "no-move-times":
      return texted.noTimesToMove(business);
    case "appointment-gone":
      return texted.alreadyCancelled(business);
    case "no-appointment":
      return texted.noAppointment(business);
    case "which-time":
      return texted.whichTime(business, state.offers);
    case "booked":
      // "Anything else?" is for a call; by text the booking is done.
      return reply.say[0] ?? null;
    case "offers": {
      // Keep any preface ("that time has just been taken"), then the numbered list.
      const offers = texted.nextStep(business, state);
      return [...reply.say.slice(0, -1), offers.charAt(0).toUpperCase() + offers.slice(1)].join(
        " ",
      );
    }
    default:
      break;
  }
  if (decision.outcome.type === "leave-message") return texted.forwarded(business);
  return reply.say.join(" ") || null;
}

/** What the text was taken to mean, for the dashboard and tests. */
function outcomeOf(settled: Settled, carriedOn: boolean): string {
  const { reply, decision } = settled;
  if (reply.kind === "connect") return reply.emergency ? "emergency" : "forwarded";
  switch (reply.moment) {
    case "thanks":
      return "thanks";
    case "confirmed":
      return "confirmed";
    case "cancelled":
      return "cancelled";
    case "moved":
      return "rescheduled";
    case "move-offers":
      return "reschedule-offered";
    case "no-move-times":
      return "reschedule-no-times";
    case "appointment-gone":
      return "reschedule-gone";
    case "no-appointment":
      return "no-appointment";
    case "which-time":
      return "reschedule-which";
    case "booked":
      return "booked-by-sms";
    default:
      break;
  }
  if (!carriedOn && decision.outcome.type === "leave-message") return "forwarded";
  if (reply.kind === "listen" && decision.intent === "question" && !decision.emergency) {
    if (decision.state.done?.at(-1)?.action === "answered") return "answered";
  }
  if (reply.kind === "listen" && MID_CONVERSATION_STAGES.includes(decision.state.stage)) {
    return carriedOn ? "booking-continued" : "conversation-continued";
  }
  if (!carriedOn && reply.kind === "listen") return "conversation-opened";
  return carriedOn ? "booking-left" : "forwarded";
}

async function optOut(
  sms: Inbound,
  customer: Customer | null,
  word: string,
  deps: InboundSmsDeps,
): Promise<InboundAnswer> {
  const { business, phone, now } = sms;
  await deps.consent.setSmsOptOut(business.id, phone, true, now);
  await deps.sms.setPending(business.id, phone, null, now);
  logInfo(deps.logger, "sms.opted-out", { businessId: business.id, word });
  if (word === "CANCEL") {
    // Also the word for "cancel my visit". We may not reply, and we do not cancel on a
    // carrier keyword: the owner hears and calls them.
    const appointment = await nextAppointment(business.id, phone, now, deps);
    if (appointment) {
      const body = ownerCancelKeywordText({
        customerName: customer?.name || undefined,
        phone,
        appointment,
        timeZone: business.timeZone,
      });
      await queueOwnerMessage(sms, body, deps);
      return { reply: null, outcome: "opted-out-owner-told" };
    }
  }
  // Twilio's Advanced Opt-Out sends the opt-out confirmation itself; we send nothing.
  return { reply: null, outcome: "opted-out" };
}

/** The appointment a reply is about: the next one we asked them to confirm, else the next one. */
async function nextAppointment(
  businessId: string,
  phone: string,
  now: Date,
  deps: InboundSmsDeps,
): Promise<Appointment | null> {
  const upcoming = await deps.appointments.listUpcomingForCustomer(businessId, phone, now);
  return upcoming.find((a) => a.confirmation === "requested") ?? upcoming[0] ?? null;
}

/** The owner's copy of a text we pass on, with the visit it is probably about. */
async function forwardBody(
  sms: Inbound,
  customer: Customer | null,
  deps: InboundSmsDeps,
  optedOut = false,
): Promise<string> {
  const { business, phone, now } = sms;
  const appointment = await nextAppointment(business.id, phone, now, deps);
  const text =
    sms.message.numMedia > 0 && sms.text
      ? `${sms.text} (+${sms.message.numMedia} picture${sms.message.numMedia > 1 ? "s" : ""})`
      : sms.text;
  return ownerForwardText({
    customerName: customer?.name || appointment?.customerName,
    phone,
    text,
    appointment: appointment ?? undefined,
    timeZone: business.timeZone,
    optedOut,
  });
}

/** An opted-out customer's text, for the owner to call them about; `now` sends it past quiet hours. */
async function forwardToOwner(
  sms: Inbound,
  customer: Customer | null,
  deps: InboundSmsDeps,
  now: boolean,
): Promise<void> {
  await queueOwnerMessage(sms, await forwardBody(sms, customer, deps, true), deps, !now);
}

/** One owner message per inbound text, recorded on the customer's SMS conversation too. */
async function queueOwnerMessage(
  sms: Inbound,
  body: string,
  deps: InboundSmsDeps,
  canWait = true,
): Promise<void> {
  const id = `sms-to-owner-${sms.message.messageSid}`;
  // Not an emergency (those are alerted at once): it waits for the owner's quiet hours to end.
  await alertOwner(
    sms.business,
    { outboxId: id, purpose: "owner-message", body, relatedId: sms.message.messageSid },
    sms.now,
    deps,
    canWait,
  );
  sms.turns.push({ at: sms.now, speaker: "owner-forward", text: body, messageId: id });
}
