import { strict as assert } from "node:assert";
import { CALL_VOICES, serviceReferenceProblems } from "../../src/domain/business/business";
import { VOICE_NAMES } from "../../src/shared/voices";
import { aBusiness } from "../support/call-fixtures";

describe("the settings the dashboard edits", () => {
  it("names exactly the voices the tenant schema allows", () => {
    assert.deepEqual(Object.keys(VOICE_NAMES).sort(), [...CALL_VOICES].sort());
  });

  describe("services referred to elsewhere", () => {
    it("finds nothing wrong with a business whose references all resolve", () => {
      assert.deepEqual(serviceReferenceProblems(aBusiness()), []);
    });

    it("names two services that share an id", () => {
      const business = aBusiness();
      const twin = { ...business.services[0], name: "Another" };
      const problems = serviceReferenceProblems({
        ...business,
        services: [...business.services, twin],
      });
      assert.deepEqual(
        problems.map((p) => p.path),
        [`services.${business.services.length}.id`],
      );
    });

    it("names a default service and a price whose service is gone", () => {
      const business = aBusiness();
      const gone = business.booking.defaultServiceId;
      const problems = serviceReferenceProblems({
        ...business,
        services: business.services.filter((s) => s.id !== gone),
        profile: {
          ...business.profile,
          prices: [{ serviceId: gone, label: "a call-out", from: 60, keywords: [] }],
        },
      });
      assert.deepEqual(
        problems.map((p) => p.path),
        ["booking.defaultServiceId", "profile.prices.0.serviceId"],
      );
    });
  });
});
