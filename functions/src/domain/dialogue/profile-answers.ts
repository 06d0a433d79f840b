import type { Business } from "../business/business";
import type { BusinessProfile, Price } from "../business/business-profile";
import { joinWithAnd, joinWithOr } from "./spoken-words";
import { spoken } from "./wording";

/**
 * Answers a caller's question about the business from its profile, with the
 * values exactly as stored. `null` when the question is about something the
 * profile covers but holds no value for, or about nothing it covers: the
 * caller is then offered a message to the owner. Nothing is ever estimated.
 */
export type ProfileAnswer = { topic: string; say: string } | { topic: string; say: null };

const ASKS_PRICE =
  /\b(how much|price|prices|cost|costs|charge|charges|fee|fees|rates?|quote|pricey)\b/i;
const CALL_OUT = /\b(call[- ]?out|coming out|come out|visit(ing)? (fee|charge))\b/i;
const OUT_OF_HOURS =
  /\b(out of hours|after hours|evenings?|nights?|weekends?|sundays?|bank holidays?)\b/i;
const AREAS =
  /\b(cover|covers|area|areas|come (out )?to|go (out )?to|travel to|work in|do you do .* (in|around))\b/i;
const PAYMENT = /\b(pay|paying|payment|card|cards|cash|bank transfer|cheque|contactless)\b/i;
const ACCREDITATION =
  /\b(gas safe|registered|accredited|accreditation|certified|qualified|insured|watersafe|approved)\b/i;
const DO_YOU_DO =
  /\b(do you (do|fit|install|fix|repair|handle|take on)|can you (do|fit|install|fix))\b/i;

export function answerFromProfile(speech: string, business: Business): ProfileAnswer | null {
  const profile = business.profile;
  const notDone = profile.notDone.find((item) => mentions(speech, item));
  if (notDone && DO_YOU_DO.test(speech)) {
    return { topic: "work we don't do", say: spoken.notDone(notDone) };
  }
  if (ASKS_PRICE.test(speech) && (CALL_OUT.test(speech) || OUT_OF_HOURS.test(speech))) {
    return callOutAnswer(speech, profile);
  }
  if (ASKS_PRICE.test(speech)) {
    const price = priceAskedFor(speech, business);
    if (price) return { topic: `price of ${price.label}`, say: priceSentence(price, profile) };
    return { topic: "prices", say: null };
  }
  if (ACCREDITATION.test(speech)) {
    const list = profile.accreditations;
    return {
      topic: "accreditations",
      say: list.length > 0 ? spoken.accreditations(joinWithAnd(list)) : null,
    };
  }
  if (PAYMENT.test(speech)) {
    const list = profile.paymentMethods;
    return {
      topic: "payment",
      say: list.length > 0 ? spoken.payBy(joinWithOr(list)) : null,
    };
  }
  if (AREAS.test(speech)) {
    const list = profile.areasCovered;
    return {
      topic: "areas covered",
      say: list.length > 0 ? spoken.areasCovered(joinWithAnd(list)) : null,
    };
  }
  return null;
}

function callOutAnswer(speech: string, profile: BusinessProfile): ProfileAnswer {
  const topic = "call-out fee";
  const { callOutFee, outOfHoursCallOutFee } = profile;
  if (OUT_OF_HOURS.test(speech) && !CALL_OUT.test(speech.replace(OUT_OF_HOURS, ""))) {
    return {
      topic,
      say:
        outOfHoursCallOutFee !== undefined
          ? spoken.callOutFeeOutOfHours(money(outOfHoursCallOutFee, profile))
          : null,
    };
  }
  if (callOutFee === undefined) return { topic, say: null };
  const outOfHours =
    outOfHoursCallOutFee !== undefined ? money(outOfHoursCallOutFee, profile) : undefined;
  return { topic, say: spoken.callOutFee(money(callOutFee, profile), outOfHours) };
}

/**
 * The price whose label, keywords or service name the question names. Not the
 * service's booking keywords: "radiator" books a boiler visit, but a boiler
 * service's price is not the price of a radiator.
 */
function priceAskedFor(speech: string, business: Business): Price | undefined {
  return business.profile.prices.find((price) => {
    const service = business.services.find((s) => s.id === price.serviceId);
    const label = price.label.replace(/^(a|an|the)\s+/i, "");
    const words = [label, ...price.keywords, ...(service ? [service.name] : [])];
    return words.some((w) => mentions(speech, w));
  });
}

function priceSentence(price: Price, profile: BusinessProfile): string {
  const label = price.label.charAt(0).toUpperCase() + price.label.slice(1);
  if (price.from === 0 && !price.to) return spoken.priceFree(label);
  return price.to !== undefined && price.to !== price.from
    ? spoken.priceRange(label, money(price.from, profile), money(price.to, profile))
    : spoken.price(label, money(price.from, profile));
}

/** "£85", "£92.50": the stored value, in the business's currency. */
export function money(amount: number, profile: BusinessProfile): string {
  const symbol = { GBP: "£", EUR: "€", USD: "$" }[profile.currency];
  const pence = Math.round(amount * 100) % 100;
  return `${symbol}${pence === 0 ? Math.round(amount) : amount.toFixed(2)}`;
}

function mentions(speech: string, phrase: string): boolean {
  const escaped = phrase.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`\\b${escaped}\\b`, "i").test(speech);
}
