import { strict as assert } from "node:assert";
import { onDocumentCreated, onDocumentWritten } from "firebase-functions/v2/firestore";
import { onRequest } from "firebase-functions/v2/https";
import {
  encodeDocumentEventData,
  eventTypesFor,
  firestoreTriggersOf,
  matchDocumentPath,
  triggersFor,
} from "../../src/tools/trigger-relay";

describe("matching a changed document to a trigger's path pattern", () => {
  describe("when the path fits the pattern", () => {
    it("captures each wildcard segment as a param", () => {
      assert.deepEqual(
        matchDocumentPath(
          "businesses/{businessId}/outbox/{messageId}",
          "businesses/acme/outbox/m-1",
        ),
        { businessId: "acme", messageId: "m-1" },
      );
    });

    it("accepts a pattern with no wildcards when the path is the same", () => {
      assert.deepEqual(matchDocumentPath("config/main", "config/main"), {});
    });

    it("captures the rest of the path with {name=**}", () => {
      assert.deepEqual(matchDocumentPath("logs/{rest=**}", "logs/a/b/c"), { rest: "a/b/c" });
    });
  });

  describe("when the path does not fit", () => {
    it("rejects another collection", () => {
      assert.equal(
        matchDocumentPath("businesses/{b}/outbox/{m}", "businesses/acme/audit/m-1"),
        null,
      );
    });

    it("rejects a document nested below a matching one", () => {
      assert.equal(
        matchDocumentPath(
          "businesses/{b}/outbox/{m}",
          "businesses/acme/outbox/m-1/claims/attempt-1",
        ),
        null,
      );
    });

    it("rejects a shorter path", () => {
      assert.equal(matchDocumentPath("businesses/{b}/outbox/{m}", "businesses/acme"), null);
    });

    it("rejects {name=**} with nothing left to capture", () => {
      assert.equal(matchDocumentPath("logs/{rest=**}", "logs"), null);
    });
  });
});

describe("finding the Firestore triggers of a functions module", () => {
  const exported = {
    deliver: onDocumentCreated(
      { document: "businesses/{businessId}/outbox/{messageId}", retry: true },
      () => undefined,
    ),
    audit: onDocumentWritten("businesses/{businessId}", () => undefined),
    voice: onRequest((_req, res) => {
      res.end();
    }),
    notAFunction: 42,
  };

  it("lists the document triggers with their pattern and retry setting, and nothing else", () => {
    const found = firestoreTriggersOf(exported).map(({ name, eventType, pattern, retry }) => ({
      name,
      eventType,
      pattern,
      retry,
    }));
    assert.deepEqual(found, [
      {
        name: "deliver",
        eventType: "google.cloud.firestore.document.v1.created",
        pattern: "businesses/{businessId}/outbox/{messageId}",
        retry: true,
      },
      {
        name: "audit",
        eventType: "google.cloud.firestore.document.v1.written",
        pattern: "businesses/{businessId}",
        retry: false,
      },
    ]);
  });

  it("fires created and written triggers for a new document, but not updated ones", () => {
    const triggers = firestoreTriggersOf(exported);
    assert.deepEqual(
      triggersFor(triggers, "created", "businesses/acme/outbox/m-1").map((m) => m.trigger.name),
      ["deliver"],
    );
    assert.deepEqual(
      triggersFor(triggers, "updated", "businesses/acme").map((m) => m.trigger.name),
      ["audit"],
    );
    assert.deepEqual(triggersFor(triggers, "updated", "businesses/acme/outbox/m-1"), []);
  });

  it("maps each change to its own event type and written", () => {
    assert.deepEqual(eventTypesFor("deleted"), [
      "google.cloud.firestore.document.v1.deleted",
      "google.cloud.firestore.document.v1.written",
    ]);
  });
});

describe("encoding the event payload", () => {
  it("frames the new and old documents as protobuf fields 1 and 2", () => {
    const encoded = encodeDocumentEventData(Buffer.from([1, 2, 3]), Buffer.alloc(200, 7));
    assert.deepEqual([...encoded.subarray(0, 5)], [0x0a, 3, 1, 2, 3]);
    // 200 needs a two-byte varint: 0xc8 0x01.
    assert.deepEqual([...encoded.subarray(5, 8)], [0x12, 0xc8, 0x01]);
    assert.equal(encoded.length, 8 + 200);
  });

  it("leaves out a missing side", () => {
    assert.deepEqual([...encodeDocumentEventData(undefined, Buffer.from([9]))], [0x12, 1, 9]);
  });
});
