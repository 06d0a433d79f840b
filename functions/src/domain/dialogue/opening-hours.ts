import { Business, Weekday, WEEKDAYS } from "../business/business";
import { DateTime } from "luxon";
import { spokenTime } from "../scheduling/availability";
import { spoken } from "./wording";

const DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/** "We're open Monday to Thursday, 8 am to 5:30 pm; Friday, ..." grouping days with the same hours. */
export function describeOpeningHours(business: Business): string {
  const spans = WEEKDAYS.map((day) => hoursOf(business, day));
  const groups: { from: number; to: number; hours: string }[] = [];
  spans.forEach((hours, index) => {
    const last = groups[groups.length - 1];
    if (last && last.hours === hours && last.to === index - 1) last.to = index;
    else groups.push({ from: index, to: index, hours });
  });
  const parts = groups.map((g) => {
    const joiner = g.to === g.from + 1 ? "and" : "to";
    const days =
      g.from === g.to ? DAY_NAMES[g.from] : `${DAY_NAMES[g.from]} ${joiner} ${DAY_NAMES[g.to]}`;
    return g.hours === "" ? spoken.closedOn(days) : spoken.openOn(days, g.hours);
  });
  return spoken.openingHours(parts);
}

function hoursOf(business: Business, day: Weekday): string {
  const periods = business.hours[day] ?? [];
  if (periods.length === 0) return "";
  const first = periods[0].open;
  const last = periods[periods.length - 1].close;
  return `${clock(first)} to ${clock(last)}`;
}

function clock(hhmm: string): string {
  return spokenTime(DateTime.fromFormat(hhmm, "HH:mm"));
}
