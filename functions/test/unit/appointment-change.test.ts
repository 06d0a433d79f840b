import { strict as assert } from "node:assert";
import {
  cancellationAlertText,
  newBookingAlertText,
  scheduleChangeAlertText,
} from "../../src/domain/notifications/alert-texts";
import { classifyAppointmentChange } from "../../src/domain/notifications/appointment-change";
import { smsLength } from "../../src/domain/notifications/sms-length";

const nine = new Date("2026-11-26T09:00:00Z");
const two = new Date("2026-11-26T14:00:00Z");
const booked = { status: "booked" as const, start: nine, source: "CA123" };

describe("classifying a write to an appointment", () => {
  it("calls a new booking created", () => {
    assert.deepEqual(classifyAppointmentChange(null, booked), { kind: "created" });
  });

  it("ignores appointments written by the demo seed", () => {
    assert.equal(classifyAppointmentChange(null, { ...booked, source: "seed" }).kind, "other");
  });

  it("calls booked-to-cancelled a cancellation", () => {
    assert.deepEqual(classifyAppointmentChange(booked, { ...booked, status: "cancelled" }), {
      kind: "cancelled",
    });
  });

  it("calls a new start time a move, with both times", () => {
    assert.deepEqual(classifyAppointmentChange(booked, { ...booked, start: two }), {
      kind: "moved",
      from: nine,
      to: two,
    });
  });

  it("ignores a write that changes neither status nor time (a confirmation, a calendar sync)", () => {
    assert.equal(classifyAppointmentChange(booked, { ...booked }).kind, "other");
  });

  it("ignores a cancelled appointment written again, and a delete", () => {
    const cancelled = { ...booked, status: "cancelled" as const };
    assert.equal(classifyAppointmentChange(cancelled, { ...cancelled, start: two }).kind, "other");
    assert.equal(classifyAppointmentChange(booked, null).kind, "other");
  });
});

describe("the owner's alert texts", () => {
  const now = new Date("2026-11-25T16:00:00Z");
  const tom = {
    customerName: "Tom Okafor",
    customerPhone: "+447700900222",
    serviceName: "Boiler service",
    problem: "Annual boiler service",
    address: "3 Gloucester Road, Bristol BS7 8AA",
    start: nine,
  };

  it("tells the owner who, their number, the job, when and where for a new booking", () => {
    assert.equal(
      newBookingAlertText(tom, "Europe/London", now),
      "New booking: Tom Okafor 07700 900222, boiler service - Annual boiler service, tomorrow 9am, " +
        "3 Gloucester Road, Bristol BS7 8AA.",
    );
  });

  it("says why an appointment was cancelled, when it is known", () => {
    assert.match(
      cancellationAlertText({ ...tom, cancelReason: "customer replied 2" }, "Europe/London", now),
      /^Cancelled \(customer replied 2\): Tom Okafor 07700 900222, .* was tomorrow 9am, 3 Gloucester/,
    );
  });

  it("gives both times of a move", () => {
    assert.match(
      scheduleChangeAlertText(
        { ...tom, start: new Date("2026-11-30T14:00:00Z") },
        nine,
        "Europe/London",
        now,
      ),
      /^Moved: Tom Okafor 07700 900222, .* from tomorrow 9am to Mon 30 Nov 2pm, 3 Gloucester Road/,
    );
  });

  it("fits a typical alert in one SMS", () => {
    for (const text of [
      newBookingAlertText({ ...tom, problem: "" }, "Europe/London", now),
      cancellationAlertText(tom, "Europe/London", now),
      scheduleChangeAlertText({ ...tom, problem: "", start: two }, nine, "Europe/London", now),
    ]) {
      assert.ok(smsLength(text).segments === 1, `${text.length}: ${text}`);
    }
  });

  it("stays within two GSM-7 segments however long the caller's words were", () => {
    const long = {
      ...tom,
      customerName: "Bartholomew Fitzwilliam-Montgomery-Smythe the Third of Clifton",
      problem: "the hot water tank in the airing cupboard is making a banging noise ".repeat(5),
      address:
        "The Old Rectory, Flat 14b, 1234 Long Ashton Road, Long Ashton, Bristol BS41 9LX, ".repeat(
          3,
        ),
      cancelReason: "the customer explained at great length ".repeat(4),
    };
    for (const text of [
      newBookingAlertText(long, "Europe/London", now),
      cancellationAlertText(long, "Europe/London", now),
      scheduleChangeAlertText(long, two, "Europe/London", now),
    ]) {
      const length = smsLength(text);
      assert.equal(length.encoding, "GSM-7");
      assert.ok(length.segments <= 2, `${length.characters}: ${text}`);
    }
  });
});
