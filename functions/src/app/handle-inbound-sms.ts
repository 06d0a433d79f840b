import { Business, defaultService, serviceById, Service } from "../domain/business/business";
import type { Customer } from "../domain/customers/customer";
import {
  bookingConfirmed,
  decideTurn,
  presentOffers,
  slotLost,
  TurnContext,
  TurnDecision,
} from "../domain/dialogue/call-dialogue";
import type { DialogueState, OfferedSlot } from "../domain/dialogue/dialogue-state";
import { emergencyAlertText, ownerMessageText } from "../domain/dialogue/sms-texts";
import { detectEmergency } from "../domain/emergency/emergency.classifier";
import { parseYesNo } from "../domain/nlu/slot-extractor";
import { normalisePhoneNumber } from "../domain/phone/phone-number";
import type { Appointment } from "../domain/scheduling/appointment";
import { parseReply, SmsReply } from "../domain/sms/reply-parser";
import {
  alreadyCancelledText,
  cancelledText,
  confirmedText,
  emergencyReplyText,
  forwardedText,
  helpText,
  nextStepText,
  noAppointmentText,
  noTimesToMoveText,
  optedInText,
  ownerCancelKeywordText,
  ownerForwardText,
  ownerRescheduleHelpText,
  rescheduledText,
  rescheduleOffersText,
  whichTimeText,
} from "../domain/sms/sms-texts";
import {
  hoursFrom,
  isLive,
  MID_BOOKING_STAGES,
  RESCHEDULE_OFFER_HOURS,
  SmsPending,
  SmsTurn,
} from "../domain/sms/sms-thread";
import type { InboundAnswer, InboundSms, InboundSmsLog } from "../ports/inbound-sms.port";
import type { SmsConsentStore } from "../ports/sms-consent.port";
import type { SmsConversations } from "../ports/sms-conversation.port";
import { addBooking, CallDeps, findOffers, RunContext } from "./handle-call";
import { findFreeTimes } from "./call-offers";
import { parseTimePreference } from "../domain/scheduling/time-preference";
import { turnKey } from "./call-turns";
import { noWrites } from "../ports/call-writes.port";
import { alertOwner } from "./alert-owner";
import { chooseOffer } from "../domain/dialogue/offer-choice";

export interface InboundSmsDeps extends CallDeps {
  consent: SmsConsentStore;
  inbound: InboundSmsLog;
  sms: SmsConversations;
}

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
): Promise<InboundSmsResult> {
  const business = await deps.businesses.findByPhoneNumber(input.to);
  if (!business) {
    deps.logger.warn("sms.unknown-number", { messageSid: input.messageSid });
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
    deps.logger.info("sms.duplicate", { businessId: business.id, messageSid: input.messageSid });
    return {
      business,
      reply: claim.answer?.reply ?? null,
      outcome: claim.answer?.outcome ?? "in-progress",
      duplicate: true,
    };
  }
  try {
    const turns: SmsTurn[] = [
      { at: now, speaker: "customer", text: input.body, messageId: input.messageSid },
    ];
    const answer = sender.ok
      ? await respond({ business, phone, text: input.body, message, now, turns }, deps)
      : { reply: null, outcome: "unreadable-sender" };
    if (answer.reply) turns.push({ at: now, speaker: "receptionist", text: answer.reply });
    if (sender.ok) {
      for (const turn of turns) await deps.sms.append(business.id, phone, turn);
    }
    await deps.inbound.recordAnswer(business.id, input.messageSid, answer, now);
    deps.logger.info("sms.handled", {
      businessId: business.id,
      messageSid: input.messageSid,
      outcome: answer.outcome,
    });
    return { business, ...answer, duplicate: false };
  } catch (error) {
    // Let Twilio's redelivery (or the customer's next try) handle it afresh.
    await deps.inbound.release(message).catch(() => undefined);
    throw error;
  }
}

interface Inbound {
  business: Business;
  phone: string;
  text: string;
  message: InboundSms;
  now: Date;
  /** The conversation's turns from this text, appended once it is handled. */
  turns: SmsTurn[];
}

async function respond(sms: Inbound, deps: InboundSmsDeps): Promise<InboundAnswer> {
  const { business, phone, now } = sms;
  const [customer, thread] = await Promise.all([
    deps.customers.findByPhone(business.id, phone),
    deps.sms.getThread(business.id, phone),
  ]);
  const optedOut = customer?.smsOptedOut === true;
  const pending = isLive(thread?.pending ?? null, now) ? (thread?.pending ?? null) : null;
  const offerCount = pending?.kind === "reschedule" ? pending.offers.length : 0;
  const reply = parseReply(sms.text, { optedOut, offerCount });

  // Carrier keywords first: Twilio and the carriers act on them whatever we say.
  switch (reply.kind) {
    case "opt-out":
      return optOut(sms, customer, reply.word, deps);
    case "opt-in":
      await deps.consent.setSmsOptOut(business.id, phone, false, now);
      deps.logger.info("sms.opted-in", { businessId: business.id, word: reply.word });
      return { reply: optedInText(business), outcome: "opted-in" };
    case "help":
      return { reply: helpText(business), outcome: "help" };
    default:
      break;
  }
  if (optedOut) {
    // We may not text them; the owner can still call.
    await forwardToOwner(sms, customer, deps, { optedOut: true });
    return { reply: null, outcome: "forwarded-opted-out" };
  }
  const emergency = sms.text ? detectEmergency(sms.text, business.emergency.extraPhrases) : null;
  if (emergency) {
    await deps.outbox.enqueue({
      id: `emergency-alert-sms-${sms.message.messageSid}`,
      businessId: business.id,
      to: business.ownerMobile,
      body: emergencyAlertText({
        label: emergency.label,
        callerPhone: phone,
        callerName: customer?.name || undefined,
        address: customer?.address,
        words: sms.text,
        channel: "sms",
      }),
      purpose: "owner-emergency-alert",
      relatedId: sms.message.messageSid,
    });
    deps.logger.warn("sms.emergency", { businessId: business.id, kind: emergency.kind });
    return { reply: emergencyReplyText(business, emergency), outcome: "emergency" };
  }
  if (pending?.kind === "booking") return continueBooking(sms, customer, pending, deps);
  if (pending?.kind === "reschedule") {
    const answered = await answerOffer(sms, customer, pending, reply, deps);
    if (answered) return answered;
  }
  return answerAboutAppointment(sms, customer, reply, deps);
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
  deps.logger.info("sms.opted-out", { businessId: business.id, word });
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

async function answerAboutAppointment(
  sms: Inbound,
  customer: Customer | null,
  reply: SmsReply,
  deps: InboundSmsDeps,
): Promise<InboundAnswer> {
  const { business, phone, now } = sms;
  if (reply.kind === "thanks") return { reply: null, outcome: "thanks" };
  if (reply.kind === "unclear" || reply.kind === "choose") {
    await forwardToOwner(sms, customer, deps, {});
    return { reply: forwardedText(business), outcome: "forwarded" };
  }
  const appointment = await nextAppointment(business.id, phone, now, deps);
  if (!appointment) return { reply: noAppointmentText(business), outcome: "no-appointment" };
  switch (reply.kind) {
    case "confirm":
      await deps.appointments.annotate(business.id, appointment.id, { confirmation: "confirmed" });
      return { reply: confirmedText(business, appointment), outcome: "confirmed" };
    case "cancel": {
      // The appointment-change trigger tells the owner and the calendar; our reply is the ack.
      const cancelled = await deps.appointments.cancel(
        business.id,
        appointment.id,
        SMS_CANCEL_REASON,
        now,
      );
      if (!cancelled) return { reply: noAppointmentText(business), outcome: "no-appointment" };
      return { reply: cancelledText(business, cancelled), outcome: "cancelled" };
    }
    case "reschedule":
      return offerNewTimes(sms, customer, appointment, [], reply.preference, "", deps);
    default:
      return { reply: forwardedText(business), outcome: "forwarded" };
  }
}

/** Offers free times to move an appointment to, and remembers them for the reply. */
async function offerNewTimes(
  sms: Inbound,
  customer: Customer | null,
  appointment: Appointment,
  declinedStarts: string[],
  preference: string | undefined,
  preface: string,
  deps: InboundSmsDeps,
): Promise<InboundAnswer> {
  const { business, phone, now } = sms;
  const offers = await freeTimesFor(
    appointment,
    business,
    now,
    declinedStarts,
    preference,
    phone,
    deps,
  );
  if (offers.length === 0) {
    await deps.sms.setPending(business.id, phone, null, now);
    await queueOwnerMessage(
      sms,
      ownerRescheduleHelpText({
        customerName: customer?.name || appointment.customerName,
        phone,
        appointment,
        timeZone: business.timeZone,
      }),
      deps,
    );
    return { reply: noTimesToMoveText(business), outcome: "reschedule-no-times" };
  }
  await deps.sms.setPending(
    business.id,
    phone,
    {
      kind: "reschedule",
      appointmentId: appointment.id,
      offers,
      declinedStarts,
      expiresAt: hoursFrom(now, RESCHEDULE_OFFER_HOURS),
    },
    now,
  );
  return {
    reply: rescheduleOffersText(business, appointment, offers, preface),
    outcome: "reschedule-offered",
  };
}

/**
 * Free times to move the appointment to, through the one offers path
 * (findFreeTimes): booked jobs (the one being moved does not block itself),
 * the owner's Google Calendar, travel and other callers' holds, ranked by
 * any time the customer asked for ("Friday", "next week"). They are held
 * for this customer's SMS conversation like a caller's offers.
 */
async function freeTimesFor(
  appointment: Appointment,
  business: Business,
  now: Date,
  declinedStarts: string[],
  preference: string | undefined,
  phone: string,
  deps: InboundSmsDeps,
): Promise<OfferedSlot[]> {
  const minutes = Math.round((appointment.end.getTime() - appointment.start.getTime()) / 60_000);
  const known = serviceById(business, appointment.serviceId);
  const service: Service = known ?? {
    ...defaultService(business),
    id: appointment.serviceId,
    name: appointment.serviceName,
    durationMinutes: minutes,
  };
  const holder = smsHolder(phone);
  const found = await findFreeTimes(
    {
      business,
      service,
      now,
      holder,
      preference:
        (preference && parseTimePreference(preference, now, business.timeZone)) || undefined,
      // Its current time is no move at all.
      declined: [appointment.start, ...declinedStarts.map((s) => new Date(s))],
      address: appointment.address,
      movingAppointmentId: appointment.id,
      heldBefore: [],
    },
    deps,
  );
  const writes = { ...noWrites(business.id, holder), holds: found.holds, outbox: found.outbox };
  // Holds only steer: if another caller held one of these times first, offer them unheld.
  const held = await deps.writer.commit(writes);
  if (held.outcome !== "committed") await deps.writer.commit({ ...writes, holds: undefined });
  return found.choice.slots.map((s) => ({
    start: s.start.toISOString(),
    end: new Date(s.start.getTime() + minutes * 60_000).toISOString(),
  }));
}

/** Whose offers these are in the holds: a customer's SMS conversation. */
function smsHolder(phone: string): string {
  return `sms-${phone}`;
}

/**
 * A reply while times are on offer to move an appointment. Returns null when
 * the text is about something else, so it is handled as any other text.
 */
async function answerOffer(
  sms: Inbound,
  customer: Customer | null,
  pending: Extract<SmsPending, { kind: "reschedule" }>,
  reply: SmsReply,
  deps: InboundSmsDeps,
): Promise<InboundAnswer | null> {
  const { business, phone, now } = sms;
  const appointment = await deps.appointments.get(business.id, pending.appointmentId);
  if (!appointment || appointment.status !== "booked") {
    await deps.sms.setPending(business.id, phone, null, now);
    return { reply: alreadyCancelledText(business), outcome: "reschedule-gone" };
  }
  let index: number | null = reply.kind === "choose" ? reply.index : null;
  if (index === null && (reply.kind === "unclear" || reply.kind === "reschedule")) {
    // "Thursday", "the 8 am one": a day or time that names one offer.
    index = chooseOffer(sms.text, pending.offers, { now, timeZone: business.timeZone });
  }
  if (index === null && reply.kind === "confirm" && pending.offers.length === 1) index = 0;
  if (index !== null) return moveTo(sms, customer, appointment, pending, index, deps);

  const declined = [...pending.declinedStarts, ...pending.offers.map((o) => o.start)];
  const explicitCancel = /\bcancel/i.test(sms.text);
  if (reply.kind === "reschedule" || (reply.kind === "cancel" && !explicitCancel)) {
    // "None of those", "no", "how about next week": look further.
    const preference = reply.kind === "reschedule" ? reply.preference : undefined;
    return offerNewTimes(sms, customer, appointment, declined, preference, "", deps);
  }
  if (reply.kind === "confirm" || parseYesNo(sms.text) === "yes") {
    return { reply: whichTimeText(business, pending.offers), outcome: "reschedule-which" };
  }
  if (reply.kind === "cancel") await deps.sms.setPending(business.id, phone, null, now);
  return null;
}

async function moveTo(
  sms: Inbound,
  customer: Customer | null,
  appointment: Appointment,
  pending: Extract<SmsPending, { kind: "reschedule" }>,
  index: number,
  deps: InboundSmsDeps,
): Promise<InboundAnswer> {
  const { business, phone, now } = sms;
  const slot = pending.offers[index];
  const earliest = now.getTime() + business.booking.minLeadMinutes * 60_000;
  if (new Date(slot.start).getTime() < earliest) {
    return offerNewTimes(
      sms,
      customer,
      appointment,
      pending.declinedStarts,
      undefined,
      "sorry, that time has gone now. ",
      deps,
    );
  }
  const result = await deps.appointments.reschedule(
    business.id,
    appointment.id,
    new Date(slot.start),
    new Date(slot.end),
    now,
    SMS_RESCHEDULE_REASON,
  );
  deps.logger.info("sms.reschedule", {
    businessId: business.id,
    appointmentId: appointment.id,
    result: result.outcome,
  });
  switch (result.outcome) {
    case "rescheduled":
      // The appointment-change trigger confirms the move to the customer and tells the owner.
      await deps.sms.setPending(business.id, phone, null, now);
      return { reply: rescheduledText(business, result.appointment), outcome: "rescheduled" };
    case "slot-taken":
      return offerNewTimes(
        sms,
        customer,
        appointment,
        [...pending.declinedStarts],
        undefined,
        "sorry, that time has just been taken. ",
        deps,
      );
    case "not-found":
      await deps.sms.setPending(business.id, phone, null, now);
      return { reply: alreadyCancelledText(business), outcome: "reschedule-gone" };
  }
}

/**
 * A reply to the text sent after a call dropped mid-booking: the same
 * dialogue as the call, with the text as the caller's words, carried out
 * with the call's own booking steps, so the appointment, its id and the
 * confirmation SMS are exactly as if the call had gone on.
 */
async function continueBooking(
  sms: Inbound,
  customer: Customer | null,
  pending: Extract<SmsPending, { kind: "booking" }>,
  deps: InboundSmsDeps,
): Promise<InboundAnswer> {
  const { business, phone, now } = sms;
  const call = await deps.conversations.get(business.id, pending.callSid);
  if (!call) {
    await deps.sms.setPending(business.id, phone, null, now);
    return answerAboutAppointment(sms, customer, { kind: "unclear" }, deps);
  }
  const ctx: TurnContext = { business, customer, callerPhone: call.callerPhone ?? phone, now };
  const run: RunContext = {
    business,
    customer,
    conversation: call,
    ctx,
    step: 0,
    deps,
    writes: noWrites(business.id, call.id),
  };
  let decision = stale(pending.state, business, now)
    ? refreshOffers(pending.state)
    : decideTurn(pending.state, { speech: sms.text, confidence: null }, ctx);
  const say: string[] = [];
  let appointmentId: string | null = null;
  for (let rounds = 0; rounds < 4; rounds++) {
    const outcome = decision.outcome;
    if (outcome.type === "find-slots") {
      decision = presentOffers(decision.state, await findOffers(decision, run), ctx, outcome.say);
      continue;
    }
    if (outcome.type === "book") {
      // Committed at once, with the call's record of it: the reply depends on whether it landed.
      const appointment = addBooking(decision, run);
      run.writes.conversation = {
        outcome: "booked",
        appointmentIds: [...new Set([...call.appointmentIds, appointment.id])],
        updatedAt: now,
      };
      run.writes.turns.push({
        key: turnKey(call.turnCount, "8-sms"),
        at: now,
        speaker: "system",
        text: "Booking finished by SMS.",
      });
      const result = await deps.writer.commit(run.writes);
      run.writes = noWrites(business.id, call.id);
      if (result.outcome === "slot-taken") {
        decision = slotLost(decision.state);
        continue;
      }
      appointmentId = appointment.id;
      deps.logger.info("booking.created", {
        businessId: business.id,
        callSid: call.id,
        appointmentId,
        channel: "sms",
      });
      decision = bookingConfirmed(decision.state, appointmentId, ctx);
      // "Anything else?" is for a call; by text the booking is done.
      if (decision.outcome.type === "listen") say.push(decision.outcome.say[0]);
      break;
    }
    if (outcome.type === "leave-message" || outcome.type === "transfer-to-owner") {
      const words = outcome.type === "leave-message" ? outcome.message : sms.text;
      await queueOwnerMessage(
        sms,
        ownerMessageText({
          reason: outcome.type === "leave-message" ? outcome.reason : "owner-unavailable",
          message: words,
          callerPhone: phone,
          callerName: decision.state.draft.name,
        }),
        deps,
      );
      say.push(forwardedText(business));
      break;
    }
    if (outcome.type === "listen" || outcome.type === "hang-up") {
      say.push(...textFor(decision, business));
      break;
    }
    // An emergency is caught before the dialogue runs; anything else goes to the owner.
    say.push(forwardedText(business));
    break;
  }

  const stillBooking = appointmentId === null && MID_BOOKING_STAGES.includes(decision.state.stage);
  await deps.sms.setPending(
    business.id,
    phone,
    stillBooking ? { ...pending, state: decision.state } : null,
    now,
  );
  // Whatever else this text changed (new offers held for the customer). Holds only
  // steer: if another caller held one of these times first, the offers stand unheld.
  if (run.writes.holds || run.writes.outbox.length > 0) {
    const result = await deps.writer.commit(run.writes);
    if (result.outcome !== "committed")
      await deps.writer.commit({ ...run.writes, holds: undefined });
  }
  return {
    reply: say.join(" "),
    outcome: appointmentId ? "booked-by-sms" : stillBooking ? "booking-continued" : "booking-left",
  };
}

/** Offers made on the call that are no longer bookable (past, or inside the lead time). */
function stale(state: DialogueState, business: Business, now: Date): boolean {
  const earliest = now.getTime() + business.booking.minLeadMinutes * 60_000;
  const starts = [
    ...state.offers.map((o) => o.start),
    ...(state.chosen ? [state.chosen.start] : []),
  ];
  return starts.some((s) => new Date(s).getTime() < earliest);
}

function refreshOffers(state: DialogueState): TurnDecision {
  return {
    state: { ...state, stage: "choosing-slot", offers: [], chosen: undefined },
    outcome: { type: "find-slots", say: ["Sorry, the times I offered have gone now."] },
    intent: null,
    emergency: null,
  };
}

/** The dialogue's words, with the times on offer numbered for a text. */
function textFor(decision: TurnDecision, business: Business): string[] {
  const outcome = decision.outcome;
  if (outcome.type !== "listen" && outcome.type !== "hang-up") return [];
  if (decision.state.stage === "choosing-slot" && decision.state.offers.length > 0) {
    // Keep any preface ("that time has just been taken"), then the numbered list.
    const preface = outcome.say.slice(0, -1);
    const offers = nextStepText(business, decision.state);
    return [...preface, offers.charAt(0).toUpperCase() + offers.slice(1)];
  }
  return outcome.say;
}

async function forwardToOwner(
  sms: Inbound,
  customer: Customer | null,
  deps: InboundSmsDeps,
  options: { optedOut?: boolean },
): Promise<void> {
  const { business, phone, now } = sms;
  const appointment = await nextAppointment(business.id, phone, now, deps);
  const text =
    sms.message.numMedia > 0 && sms.text
      ? `${sms.text} (+${sms.message.numMedia} picture${sms.message.numMedia > 1 ? "s" : ""})`
      : sms.text;
  await queueOwnerMessage(
    sms,
    ownerForwardText({
      customerName: customer?.name || appointment?.customerName,
      phone,
      text,
      appointment: appointment ?? undefined,
      timeZone: business.timeZone,
      optedOut: options.optedOut,
    }),
    deps,
  );
}

/** One owner message per inbound text, recorded on the customer's SMS conversation too. */
async function queueOwnerMessage(sms: Inbound, body: string, deps: InboundSmsDeps): Promise<void> {
  const id = `sms-to-owner-${sms.message.messageSid}`;
  // Not an emergency (those are alerted at once above): it waits for the owner's quiet hours to end.
  await alertOwner(
    sms.business,
    { outboxId: id, purpose: "owner-message", body, relatedId: sms.message.messageSid },
    sms.now,
    deps,
  );
  sms.turns.push({ at: sms.now, speaker: "owner-forward", text: body, messageId: id });
}
