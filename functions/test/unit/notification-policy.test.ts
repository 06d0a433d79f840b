import { strict as assert } from "node:assert";
import { businessSchema } from "../../src/domain/business/business";
import {
  carrierKeywordsAskedFor,
  DEFAULT_TEMPLATES,
  defaultNotificationPolicy,
  notificationPolicySchema,
  previewTemplate,
  renderTemplate,
  SAMPLE_VALUES,
  TEMPLATE_KINDS,
  validateTemplate,
} from "../../src/domain/notifications/notification-policy";
import { smsLength } from "../../src/domain/notifications/sms-length";
import { aBusiness } from "../support/call-fixtures";

describe("the notification policy", () => {
  describe("when a business configures nothing", () => {
    it("alerts the owner of everything, with quiet hours, a customer night and two reminders", () => {
      const policy = defaultNotificationPolicy();
      assert.deepEqual(policy.ownerAlerts, {
        newBooking: true,
        cancellation: true,
        scheduleChange: true,
        lostLead: true,
      });
      assert.deepEqual(policy.ownerQuietHours, { start: "21:00", end: "07:00" });
      assert.deepEqual(policy.customerNight, { start: "20:30", end: "08:00" });
      assert.deepEqual(
        policy.reminders.map((r) => [r.id, r.minutesBefore]),
        [
          ["day-before", 1440],
          ["two-hours", 120],
        ],
      );
      assert.deepEqual(policy.templates, DEFAULT_TEMPLATES);
    });

    it("gives a tenant stored without notifications the defaults", () => {
      const withoutNotifications: Record<string, unknown> = { ...aBusiness() };
      delete withoutNotifications.notifications;
      const business = businessSchema.parse(withoutNotifications);
      assert.deepEqual(business.notifications, defaultNotificationPolicy());
    });

    it("hands out copies, so one tenant's change never leaks into another's", () => {
      const first = defaultNotificationPolicy();
      first.reminders.push({ id: "extra", minutesBefore: 60 });
      assert.equal(defaultNotificationPolicy().reminders.length, 2);
    });
  });

  describe("when the demo tenant is loaded", () => {
    it("uses the documented defaults, so the seed and the code agree", () => {
      assert.deepEqual(aBusiness().notifications, defaultNotificationPolicy());
    });

    it("renders every template within two SMS segments of GSM-7", () => {
      for (const preview of previewTemplate(aBusiness())) {
        assert.deepEqual(preview.problems, [], preview.kind);
        assert.ok(preview.segments <= 2, `${preview.kind}: ${preview.characters} chars`);
        assert.equal(smsLength(preview.text).encoding, "GSM-7", preview.kind);
        assert.doesNotMatch(preview.text, /[{}]/, "every placeholder filled");
      }
    });

    it("previews with the business's own name and number", () => {
      const [reminder] = previewTemplate(aBusiness());
      assert.equal(reminder.kind, "reminder");
      assert.match(reminder.text, /^Bristol Plumbing: reminder, dripping tap repair on /);
      const cancelled = previewTemplate(aBusiness()).find((p) => p.kind === "cancelled");
      assert.match(cancelled?.text ?? "", /call 0117 496 0000\.$/);
    });
  });

  describe("when a template is checked", () => {
    it("accepts the demo templates", () => {
      for (const kind of TEMPLATE_KINDS)
        assert.deepEqual(validateTemplate(DEFAULT_TEMPLATES[kind]), []);
    });

    it("names an unknown placeholder and lists the ones that exist", () => {
      const reasons = validateTemplate("Hi {customer}, see you {date} at {time}.");
      assert.equal(reasons.length, 1);
      assert.match(reasons[0], /unknown placeholder \{customer\}/);
      assert.match(reasons[0], /\{name\}, \{service\}, \{date\}, \{time\}, \{business\}/);
    });

    it("refuses a brace without its partner", () => {
      assert.match(
        validateTemplate("Hi {name, see you at {time}.").join(" "),
        /without its partner/,
      );
    });

    const refused: Array<[string, string]> = [
      ["Reply STOP to cancel your visit.", "STOP"],
      ["{business}: text CANCEL to cancel.", "CANCEL"],
      ["Want out? Reply with 'end' and we will stop.", "END"],
      ["Reply YES to confirm or QUIT to cancel.", "QUIT"],
      ["Reply 1 to confirm, cancel to cancel.", "CANCEL"],
      ["Questions? Text HELP.", "HELP"],
      ['Send "info" for our opening hours.', "INFO"],
    ];
    for (const [template, word] of refused) {
      it(`refuses "${template}" because it asks for ${word}`, () => {
        const reasons = validateTemplate(template);
        assert.ok(
          reasons.some((r) => r.includes(`"${word}"`) && /carrier keyword/.test(r)),
          reasons.join("; "),
        );
      });
    }

    const accepted = [
      "Reply YES to confirm, 2 to cancel, 3 for a new time.",
      "Need to cancel? Call {phone}.",
      "Reply 2 to cancel for any reason.",
      "We will end the visit by noon.",
    ];
    for (const template of accepted) {
      it(`accepts "${template}": the word is not what the customer is asked to send`, () => {
        assert.deepEqual(carrierKeywordsAskedFor(template), []);
      });
    }

    it("refuses a template that would take three texts", () => {
      const reasons = validateTemplate(`{business}: ${"a very long message ".repeat(16)}`);
      assert.match(reasons.join(" "), /too long: \d+ characters .* 3 SMS; keep it within 306/);
    });

    it("makes the schema refuse a bad template with the reason", () => {
      const parsed = notificationPolicySchema.safeParse({
        templates: { reminder: "Reply STOP to cancel your {service}." },
      });
      assert.equal(parsed.success, false);
      assert.match(JSON.stringify(parsed.error?.issues), /carrier keyword/);
    });

    it("refuses two reminder windows with one id, and a night that starts when it ends", () => {
      assert.equal(
        notificationPolicySchema.safeParse({
          reminders: [
            { id: "soon", minutesBefore: 60 },
            { id: "soon", minutesBefore: 120 },
          ],
        }).success,
        false,
      );
      assert.equal(
        notificationPolicySchema.safeParse({ customerNight: { start: "08:00", end: "08:00" } })
          .success,
        false,
      );
    });
  });

  describe("when a template is rendered", () => {
    it("fills every placeholder, however often it appears", () => {
      assert.equal(
        renderTemplate(
          "{name}, {name}: {service} {date} {time} {business} {address} {phone}",
          SAMPLE_VALUES,
        ),
        "Margaret, Margaret: plumbing assessment Wed 25 Nov 10:30am Bristol Plumbing & Heating " +
          "Flat 2, 41 Whiteladies Road, Bristol BS8 2LS 0117 496 0000",
      );
    });
  });
});

describe("counting SMS segments", () => {
  it("fits 160 GSM-7 characters in one segment and 161 in two", () => {
    assert.equal(smsLength("a".repeat(160)).segments, 1);
    assert.equal(smsLength("a".repeat(161)).segments, 2);
    assert.equal(smsLength("a".repeat(306)).segments, 2);
    assert.equal(smsLength("a".repeat(307)).segments, 3);
  });

  it("counts GSM-7 extension characters twice", () => {
    assert.equal(smsLength("€".repeat(80)).characters, 160);
    assert.equal(smsLength("€".repeat(81)).segments, 2);
  });

  it("switches to UCS-2 for a curly apostrophe, which fits far less", () => {
    const length = smsLength(`you’re ${"a".repeat(70)}`);
    assert.equal(length.encoding, "UCS-2");
    assert.equal(length.segments, 2);
  });
});
