import { FirestoreAppointmentRepository } from "./adapters/firestore/appointment.repository";
import { FirestoreHoldRepository } from "./adapters/firestore/hold.repository";
import { FirestoreBusinessRepository } from "./adapters/firestore/business.repository";
import { FirestoreCallWriter } from "./adapters/firestore/call-writer";
import { FirestoreConversationRepository } from "./adapters/firestore/conversation.repository";
import { FirestoreCustomerRepository } from "./adapters/firestore/customer.repository";
import { appFirestore } from "./adapters/firestore/firestore-client";
import { FirestoreOutboxRepository } from "./adapters/firestore/outbox.repository";
import { functionsLoggerAdapter } from "./logs";
import type { CallDeps } from "./app/handle-call";
import type { InboundSmsDeps } from "./app/handle-inbound-sms";
import { FirestoreInboundSmsRepository } from "./adapters/firestore/inbound-sms.repository";
import { FirestoreSmsConversationRepository } from "./adapters/firestore/sms-conversation.repository";
import { systemClock } from "./ports/clock.port";
import { FirestoreScheduledSmsRepository } from "./adapters/firestore/scheduled-sms.repository";
import { calendarRuntime } from "./calendar.bootstrap";
import type { DashboardDeps } from "./app/dashboard-actions";
import { FirestoreDashboardRepository } from "./adapters/firestore/dashboard.repository";
import { ClaudeLanguageModel } from "./adapters/llm/claude-language-model";
import { degradationReporterOn } from "./degradation.bootstrap";
import {
  anthropicApiKey,
  anthropicBaseUrl,
  speechTranscription,
  twilioAccountSid,
  twilioApiBaseUrl,
  twilioAuthToken,
} from "./params";
import { FirestoreRecordedMessageRepository } from "./adapters/firestore/recorded-message.repository";
import { GoogleSpeechToText } from "./adapters/speech/google-speech-to-text";
import { twilioSenderConfig } from "./adapters/twilio/twilio-credentials";
import { TwilioRecordingSource } from "./adapters/twilio/twilio-recording.source";
import { TwilioRecordingRemover } from "./adapters/twilio/twilio-recording.remover";
import type { TwilioSenderConfig } from "./adapters/twilio/twilio-sms.sender";
import { FirestoreRecordingDeletionQueue } from "./adapters/firestore/recording-deletion.repository";
import { FirestoreRetentionStore } from "./adapters/firestore/retention.repository";
import type { RetentionSweepDeps } from "./app/retention-sweep";
import type { Firestore } from "firebase-admin/firestore";
import type { TranscribeDeps } from "./app/transcribe-recorded-message";
import { BusinessTranscriptRetention } from "./adapters/firestore/transcript-retention";
import { FirestoreCustomerRecords } from "./adapters/firestore/customer-records.repository";
import type { PrivacyDeps } from "./app/privacy-actions";
import {
  FirestoreCallerCounters,
  FirestoreIpCounter,
} from "./adapters/firestore/caller-gate.repository";

let callDependencies: CallDeps | undefined;

/** The real adapters behind a call, built once per instance (and so shared by warm requests). */
export function callDeps(): CallDeps {
  if (!callDependencies) {
    const db = appFirestore();
    const businesses = new FirestoreBusinessRepository(db);
    // Transcripts carry the business's retention as a TTL field; its cache is the call's own.
    const retention = new BusinessTranscriptRetention(businesses);
    callDependencies = {
      businesses,
      customers: new FirestoreCustomerRepository(db),
      appointments: new FirestoreAppointmentRepository(db),
      conversations: new FirestoreConversationRepository(db, retention),
      writer: new FirestoreCallWriter(db, undefined, retention),
      outbox: new FirestoreOutboxRepository(db),
      clock: systemClock,
      logger: functionsLoggerAdapter,
      holds: new FirestoreHoldRepository(db),
      calendarBusy: calendarRuntime().adapter,
      scheduled: new FirestoreScheduledSmsRepository(db),
      smsConversations: new FirestoreSmsConversationRepository(db, retention),
      // Asked only on unclear or long turns; with no key set, never (the rules alone).
      model: new ClaudeLanguageModel({
        apiKey: () => anthropicApiKey.value(),
        baseURL: anthropicBaseUrl.value(),
      }),
      degradation: degradationReporterOn(db),
    };
  }
  return callDependencies;
}

let smsDependencies: InboundSmsDeps | undefined;

/** The call's adapters plus the SMS ones: an inbound text can finish a call's booking. */
export function smsDeps(): InboundSmsDeps {
  if (!smsDependencies) {
    const db = appFirestore();
    const call = callDeps();
    smsDependencies = {
      ...call,
      consent: new FirestoreCustomerRepository(db),
      inbound: new FirestoreInboundSmsRepository(db),
      sms: new FirestoreSmsConversationRepository(
        db,
        new BusinessTranscriptRetention(call.businesses),
      ),
    };
  }
  return smsDependencies;
}

let dashboardDependencies: DashboardDeps | undefined;

/** The dashboard's callables: the appointment store every booking uses, plus the dashboard's own marks. */
export function dashboardDeps(): DashboardDeps {
  if (!dashboardDependencies) {
    const db = appFirestore();
    const dashboard = new FirestoreDashboardRepository(db);
    dashboardDependencies = {
      appointments: new FirestoreAppointmentRepository(db),
      // Moves avoid the owner's calendar busy time and callers' holds, like offers on a call.
      holds: new FirestoreHoldRepository(db),
      calendarBusy: calendarRuntime().adapter,
      settings: dashboard,
      marks: dashboard,
      clock: systemClock,
      logger: functionsLoggerAdapter,
    };
  }
  return dashboardDependencies;
}

let recordedMessageDependencies: TranscribeDeps | undefined;

/**
 * For the recording callback: the call's stores, Twilio's recordings with the
 * account's credentials, and Cloud Speech-to-Text unless SPEECH_TRANSCRIPTION is "off".
 */
export function recordedMessageDeps(): TranscribeDeps {
  if (!recordedMessageDependencies) {
    const db = appFirestore();
    const call = callDeps();
    const twilio = twilioSenderConfig({
      accountSid: twilioAccountSid.value(),
      authToken: twilioAuthToken.value(),
      apiBaseUrl: twilioApiBaseUrl.value(),
    });
    recordedMessageDependencies = {
      businesses: call.businesses,
      outbox: call.outbox,
      scheduled: call.scheduled,
      clock: call.clock,
      logger: call.logger,
      messages: new FirestoreRecordedMessageRepository(
        db,
        new BusinessTranscriptRetention(call.businesses),
      ),
      recordings: twilio
        ? new TwilioRecordingSource(twilio)
        : {
            fetchWav: () => Promise.reject(new Error("no Twilio credentials to fetch recordings")),
          },
      speech: speechTranscription.value() === "off" ? null : new GoogleSpeechToText(),
      ...(twilio ? { recordingDeletion: recordingDeletionAt(twilio, db) } : {}),
    };
  }
  return recordedMessageDependencies;
}

function recordingDeletionAt(
  twilio: TwilioSenderConfig,
  db: Firestore,
): RetentionSweepDeps["recordings"] {
  return {
    remover: new TwilioRecordingRemover(twilio),
    queue: new FirestoreRecordingDeletionQueue(db),
  };
}

/** The nightly retention sweep: Firestore, and Twilio for recordings when credentials are set. */
export function retentionSweepDeps(): RetentionSweepDeps {
  const db = appFirestore();
  const twilio = twilioSenderConfig({
    accountSid: twilioAccountSid.value(),
    authToken: twilioAuthToken.value(),
    apiBaseUrl: twilioApiBaseUrl.value(),
  });
  return {
    store: new FirestoreRetentionStore(db),
    businesses: new FirestoreBusinessRepository(db),
    clock: systemClock,
    logger: functionsLoggerAdapter,
    ...(twilio ? { recordings: recordingDeletionAt(twilio, db) } : {}),
  };
}

let callerCounters: FirestoreCallerCounters | undefined;

/** Rate counters and the screening list, shared by the voice and SMS webhooks. */
export function callerGate(): FirestoreCallerCounters {
  callerCounters ??= new FirestoreCallerCounters(appFirestore());
  return callerCounters;
}

let ipCounters: FirestoreIpCounter | undefined;

/** Per-IP counters of the public HTTP endpoints that belong to no one business. */
export function ipCounter(): FirestoreIpCounter {
  ipCounters ??= new FirestoreIpCounter(appFirestore());
  return ipCounters;
}

let privacyDependencies: PrivacyDeps | undefined;

/** The owner's privacy and screening callables: the screening list and one customer's records. */
export function privacyDeps(): PrivacyDeps {
  if (!privacyDependencies) {
    const db = appFirestore();
    const records = new FirestoreCustomerRecords(db);
    privacyDependencies = {
      businesses: new FirestoreBusinessRepository(db),
      screening: records,
      records,
      clock: systemClock,
      logger: functionsLoggerAdapter,
    };
  }
  return privacyDependencies;
}
