import { strict as assert } from "node:assert";
import { sendDailyDigests } from "../../src/app/send-daily-digest";
import type { Business } from "../../src/domain/business/business";
import {
  DIGEST_MAX_SEGMENTS,
  digestDue,
  digestOutboxId,
  digestText,
} from "../../src/domain/notifications/daily-digest";
import { notificationPolicySchema } from "../../src/domain/notifications/notification-policy";
import { smsLength } from "../../src/domain/notifications/sms-length";
import type { ConversationSummary } from "../../src/domain/summaries/conversation-summary";
import type { DigestSource } from "../../src/ports/daily-digest.port";
import { aBusiness, InMemoryOutboxQueue } from "../support/call-fixtures";
import { ManualClock, RecordingLogger } from "../support/in-memory-outbox.store";

function aSummary(overrides: Partial<ConversationSummary> = {}): ConversationSummary {
  return {
    who: "Jane Smith (07700 900555)",
    outcome: "message-taken",
    actions: ["message"],
    job: null,
    address: null,
    urgency: "normal",
    ownerAction: "Call back on 07700 900555: they asked you to call.",
    needsOwner: true,
    firstWords: "hi can dave ring me back",
    ...overrides,
  };
}

const BURST = aSummary({
  who: "Tom Hill (07700 900777)",
  outcome: "emergency-unanswered",
  job: "Burst pipe",
  urgency: "emergency",
  ownerAction: "Call back on 07700 900777: burst pipe, now.",
});
const ASKED_SAFETY = aSummary({
  who: "Unknown caller (07700 900888)",
  outcome: "dropped",
  job: "Leak under the sink",
  urgency: "high",
  ownerAction: "Call back on 07700 900888: they hung up before booking (Leak under the sink).",
});
const BOOKED = aSummary({
  outcome: "booked",
  needsOwner: false,
  ownerAction: "Nothing to do: the diary is up to date.",
});

/** Stored summaries per business, each with the time it was written. */
class InMemoryDigestSource implements DigestSource {
  readonly stored: Array<{ businessId: string; at: Date; summary: ConversationSummary }> = [];
  readonly asked: Array<{ businessId: string; from: Date; to: Date }> = [];
  constructor(private readonly tenants: Business[]) {}
  add(businessId: string, at: string, summary: ConversationSummary): this {
    this.stored.push({ businessId, at: new Date(at), summary });
    return this;
  }
  async businesses(): Promise<Business[]> {
    return this.tenants;
  }
  async summariesBetween(businessId: string, from: Date, to: Date) {
    this.asked.push({ businessId, from, to });
    return this.stored
      .filter((s) => s.businessId === businessId && s.at >= from && s.at < to)
      .sort((a, b) => a.at.getTime() - b.at.getTime())
      .map((s) => s.summary);
  }
}

function withDigestAt(digestTime: string | null, overrides: Partial<Business> = {}): Business {
  const business = aBusiness(overrides);
  return { ...business, notifications: { ...business.notifications, digestTime } };
}

function run(source: DigestSource, outbox: InMemoryOutboxQueue, now: string) {
  return sendDailyDigests({
    source,
    outbox,
    clock: new ManualClock(new Date(now)),
    logger: new RecordingLogger(),
  });
}

describe("the owner's daily digest", () => {
  describe("the setting", () => {
    it("defaults to 18:00 and accepts null to switch it off", () => {
      assert.equal(notificationPolicySchema.parse({}).digestTime, "18:00");
      assert.equal(notificationPolicySchema.parse({ digestTime: null }).digestTime, null);
      assert.equal(notificationPolicySchema.parse({ digestTime: "07:30" }).digestTime, "07:30");
    });

    it("refuses a time that is not HH:mm", () => {
      for (const bad of ["6pm", "24:00", "18:60", "1800", "", 18]) {
        assert.equal(
          notificationPolicySchema.safeParse({ digestTime: bad }).success,
          false,
          String(bad),
        );
      }
    });
  });

  describe("when it is due, on the business's own clock", () => {
    it("is due from the digest time in London's winter (UTC+0) for three hours", () => {
      assert.equal(digestDue(new Date("2026-11-29T17:59:00Z"), "18:00", "Europe/London"), null);
      const due = digestDue(new Date("2026-11-29T18:00:00Z"), "18:00", "Europe/London");
      assert.deepEqual(due, {
        localDay: "2026-11-29",
        from: new Date("2026-11-28T18:00:00Z"),
        to: new Date("2026-11-29T18:00:00Z"),
      });
      assert.equal(
        digestDue(new Date("2026-11-29T20:59:00Z"), "18:00", "Europe/London")?.localDay,
        "2026-11-29",
      );
      assert.equal(digestDue(new Date("2026-11-29T21:00:00Z"), "18:00", "Europe/London"), null);
    });

    it("is due at 17:00 UTC in London's summer (BST, UTC+1)", () => {
      assert.equal(digestDue(new Date("2026-07-01T16:59:00Z"), "18:00", "Europe/London"), null);
      assert.equal(
        digestDue(new Date("2026-07-01T17:00:00Z"), "18:00", "Europe/London")?.localDay,
        "2026-07-01",
      );
    });

    it("covers 23 hours on the day the clocks go forward, so nothing falls between two digests", () => {
      const due = digestDue(new Date("2026-03-29T17:05:00Z"), "18:00", "Europe/London");
      assert.deepEqual(due, {
        localDay: "2026-03-29",
        from: new Date("2026-03-28T18:00:00Z"),
        to: new Date("2026-03-29T17:00:00Z"),
      });
    });

    it("names the business's local day, not UTC's, for a zone far from London", () => {
      // 08:00 in Auckland on 30 Nov is 19:00 UTC on 29 Nov.
      const due = digestDue(new Date("2026-11-29T19:00:00Z"), "08:00", "Pacific/Auckland");
      assert.equal(due?.localDay, "2026-11-30");
    });

    it("is never due when switched off", () => {
      assert.equal(digestDue(new Date("2026-11-29T18:00:00Z"), null, "Europe/London"), null);
    });
  });

  describe("the text", () => {
    it("is nothing at all when no conversation needs the owner", () => {
      assert.equal(digestText({ name: "Bristol Plumbing" }, "2026-11-29", []), null);
      assert.equal(digestText({ name: "Bristol Plumbing" }, "2026-11-29", [BOOKED]), null);
    });

    it("lists emergencies first, then urgent, then the rest, oldest first within each", () => {
      const older = aSummary({ who: "Ann Lee (07700 900111)" });
      const newer = aSummary({ who: "Bob Day (07700 900222)" });
      const text = digestText({ name: "Bristol Plumbing" }, "2026-11-29", [
        older,
        BOOKED,
        ASKED_SAFETY,
        newer,
        BURST,
      ]) as string;
      const lines = text.split("\n");
      assert.equal(lines[0], "Bristol Plumbing: 4 conversations need you (Sun 29 Nov).");
      assert.match(lines[1], /^1\) EMERGENCY Tom Hill \(07700 900777\) - Burst pipe\. Call back/);
      assert.match(lines[2], /^2\) URGENT Unknown caller/);
      assert.match(lines[3], /^3\) Ann Lee/);
      assert.match(lines[4], /^4\) Bob Day/);
      assert.equal(lines.length, 5);
      assert.doesNotMatch(text, /diary is up to date/);
    });

    it("says only what the summaries hold", () => {
      const text = digestText({ name: "Bristol Plumbing" }, "2026-11-29", [BURST]) as string;
      assert.equal(
        text,
        "Bristol Plumbing: 1 conversation needs you (Sun 29 Nov).\n" +
          "1) EMERGENCY Tom Hill (07700 900777) - Burst pipe. Call back on 07700 900777: burst pipe, now.",
      );
    });

    it(`stays within ${DIGEST_MAX_SEGMENTS} SMS on a busy day and counts what it left out`, () => {
      const many = Array.from({ length: 30 }, (_, i) =>
        aSummary({ who: `Caller ${i + 1} (07700 900${String(100 + i)})` }),
      );
      const text = digestText({ name: "Bristol Plumbing" }, "2026-11-29", [
        ...many,
        BURST,
      ]) as string;
      assert.ok(smsLength(text).segments <= DIGEST_MAX_SEGMENTS, `${smsLength(text).segments} SMS`);
      assert.match(text.split("\n")[1], /EMERGENCY Tom Hill/);
      const shown = text.split("\n").filter((l) => /^\d+\) /.test(l)).length;
      const more = /\+(\d+) more in the inbox\.$/.exec(text);
      assert.ok(more, text);
      assert.equal(shown + Number(more[1]), 31);
    });
  });

  describe("the scheduled run", () => {
    const business = withDigestAt("18:00");

    it("texts the owner once, with the day's conversations that need them, most urgent first", async () => {
      const source = new InMemoryDigestSource([business])
        .add(
          business.id,
          "2026-11-28T17:00:00Z",
          aSummary({ who: "Yesterday's caller (07700 900333)" }),
        )
        .add(business.id, "2026-11-29T09:00:00Z", aSummary())
        .add(business.id, "2026-11-29T10:00:00Z", BOOKED)
        .add(business.id, "2026-11-29T11:00:00Z", BURST)
        .add(
          business.id,
          "2026-11-29T18:05:00Z",
          aSummary({ who: "After the digest (07700 900444)" }),
        );
      const outbox = new InMemoryOutboxQueue();
      const [result] = await run(source, outbox, "2026-11-29T18:10:00Z");
      assert.equal(result.result.outcome, "queued");
      assert.equal(outbox.messages.length, 1);
      const [text] = outbox.messages;
      assert.equal(text.id, digestOutboxId(business.id, "2026-11-29"));
      assert.equal(text.to, business.ownerMobile);
      assert.equal(text.purpose, "owner-daily-digest");
      assert.match(text.body, /^Bristol Plumbing: 2 conversations need you/);
      assert.match(text.body, /\n1\) EMERGENCY Tom Hill[^\n]*\n2\) Jane Smith/);
      assert.doesNotMatch(text.body, /Yesterday's caller|After the digest/);
    });

    it("sends nothing when nothing needs the owner", async () => {
      const source = new InMemoryDigestSource([business]).add(
        business.id,
        "2026-11-29T10:00:00Z",
        BOOKED,
      );
      const outbox = new InMemoryOutboxQueue();
      const [result] = await run(source, outbox, "2026-11-29T18:00:00Z");
      assert.deepEqual(result.result, { outcome: "nothing-to-report", localDay: "2026-11-29" });
      assert.equal(outbox.messages.length, 0);
    });

    it("queues the digest once across every run in the span and two runs at once", async () => {
      const source = new InMemoryDigestSource([business]).add(
        business.id,
        "2026-11-29T11:00:00Z",
        BURST,
      );
      const outbox = new InMemoryOutboxQueue();
      const runs = ["18:00", "18:00", "18:15", "18:30", "20:45"].map((t) =>
        run(source, outbox, `2026-11-29T${t}:00Z`),
      );
      const outcomes = (await Promise.all(runs)).map(([r]) => r.result.outcome);
      assert.equal(outcomes.filter((o) => o === "queued").length, 1, outcomes.join());
      assert.equal(outcomes.filter((o) => o === "already-queued").length, 4, outcomes.join());
      assert.equal(outbox.messages.length, 1);
      // The next day has its own digest.
      source.add(business.id, "2026-11-30T09:00:00Z", aSummary());
      await run(source, outbox, "2026-11-30T18:00:00Z");
      assert.deepEqual(
        outbox.messages.map((m) => m.id),
        [digestOutboxId(business.id, "2026-11-29"), digestOutboxId(business.id, "2026-11-30")],
      );
    });

    it("does not read anything before a business's digest time, or when the digest is off", async () => {
      const off = withDigestAt(null, { id: "no-digest" });
      const source = new InMemoryDigestSource([business, off]).add(
        business.id,
        "2026-11-29T11:00:00Z",
        BURST,
      );
      const outbox = new InMemoryOutboxQueue();
      const early = await run(source, outbox, "2026-11-29T17:45:00Z");
      assert.deepEqual(
        early.map((r) => r.result.outcome),
        ["not-due", "not-due"],
      );
      const late = await run(source, outbox, "2026-11-29T18:00:00Z");
      assert.deepEqual(
        late.map((r) => r.result.outcome),
        ["queued", "not-due"],
      );
      assert.deepEqual(
        source.asked.map((a) => a.businessId),
        [business.id],
      );
    });

    it("texts each business at its own local time, about its own conversations only", async () => {
      const london = withDigestAt("18:00");
      const auckland = withDigestAt("08:00", {
        id: "kiwi-plumbing",
        name: "Kiwi Plumbing",
        timeZone: "Pacific/Auckland",
        ownerMobile: "+64211234567",
      });
      const source = new InMemoryDigestSource([london, auckland])
        .add(london.id, "2026-11-29T11:00:00Z", BURST)
        .add(auckland.id, "2026-11-29T02:00:00Z", aSummary({ who: "Kiwi caller (021 123 4567)" }));
      const outbox = new InMemoryOutboxQueue();
      // 18:00 in London is 07:00 next morning in Auckland: only London is due.
      await run(source, outbox, "2026-11-29T18:00:00Z");
      assert.deepEqual(
        outbox.messages.map((m) => m.businessId),
        [london.id],
      );
      // 19:00 UTC is 08:00 on 30 Nov in Auckland.
      await run(source, outbox, "2026-11-29T19:00:00Z");
      const kiwi = outbox.messages.find((m) => m.businessId === auckland.id);
      assert.ok(kiwi);
      assert.equal(kiwi.id, digestOutboxId(auckland.id, "2026-11-30"));
      assert.equal(kiwi.to, "+64211234567");
      assert.match(
        kiwi.body,
        /^Kiwi Plumbing: 1 conversation needs you \(Mon 30 Nov\)\.\n1\) Kiwi caller/,
      );
      assert.doesNotMatch(kiwi.body, /Tom Hill/);
    });

    it("still texts the other businesses when one fails", async () => {
      const broken = withDigestAt("18:00", { id: "broken" });
      const source = new InMemoryDigestSource([broken, business]).add(
        business.id,
        "2026-11-29T11:00:00Z",
        BURST,
      );
      const failing: DigestSource = {
        businesses: () => source.businesses(),
        summariesBetween: (id, from, to) =>
          id === "broken"
            ? Promise.reject(new Error("read failed"))
            : source.summariesBetween(id, from, to),
      };
      const outbox = new InMemoryOutboxQueue();
      const results = await run(failing, outbox, "2026-11-29T18:00:00Z");
      assert.deepEqual(
        results.map((r) => r.result.outcome),
        ["failed", "queued"],
      );
      assert.equal(outbox.messages.length, 1);
    });
  });
});
