import type { Business } from "../business/business";

/** Plumbing words the speech recogniser should expect on any trades call. */
const TRADE_WORDS = [
  "burst pipe",
  "stopcock",
  "boiler",
  "combi boiler",
  "radiator",
  "cistern",
  "leak",
  "leaking",
  "dripping tap",
  "blocked drain",
  "sewage",
  "gas",
  "carbon monoxide",
  "flooding",
  "ceiling",
  "postcode",
  // UK words and the key words a recogniser most often mishears (docs/understanding.md).
  "stop tap",
  "airing cupboard",
  "hot water cylinder",
  "immersion heater",
  "loo",
  "fuse box",
  "consumer unit",
  "pouring",
  "burst",
  "overflowing",
  "backing up",
  "cancel",
  "reschedule",
  "appointment",
];

/** Hints for Twilio's <Gather hints>: trade words plus this business's service words. */
export function speechHintsFor(business: Business): string[] {
  const words = new Set(TRADE_WORDS);
  for (const service of business.services) {
    words.add(service.name.toLowerCase());
    for (const keyword of service.keywords) words.add(keyword.toLowerCase());
  }
  // Twilio accepts up to 500 hints of up to 100 characters each.
  return [...words].filter((w) => w.length <= 100).slice(0, 500);
}
