import { DateTime } from "luxon";
import { CARDINAL_WORDS } from "../nlu/plumbing-vocabulary";
import { MONTHS, WEEKDAYS } from "./calendar-words";

/**
 * When the caller would like the visit, relative to the moment they said it,
 * on the business's wall clock. Plain JSON: it lives in the dialogue state.
 */
export interface TimePreference {
  /** Local dates (yyyy-MM-dd) the caller asked for; absent means any day. */
  days?: string[];
  /** ISO weekdays (1 = Monday ... 7 = Sunday) the caller ruled out. */
  notWeekdays?: number[];
  /** The job starts at or after this many minutes past local midnight. */
  after?: number;
  /** The job starts before this many minutes past local midnight. */
  before?: number;
  /** "As soon as possible": the earliest times, wherever they fall. */
  soonest?: boolean;
  /** How the caller put the day part, to say it back: "tomorrow", "next Tuesday", "next week". */
  daysSaid?: string;
  /** How the caller put the time part: "morning", "after 3 pm". */
  timeSaid?: string;
}

const WEEKDAY = `(${WEEKDAYS.join("|")})s?`;
const HOUR_WORDS: Readonly<Record<string, number>> = {
  ...CARDINAL_WORDS,
  eleven: 11,
  twelve: 12,
  noon: 12,
  midday: 12,
};
/** "3", "3pm", "3:30", "half past 3", "half two" (2:30), "quarter to four", "three o'clock", "noon". */
const CLOCK =
  "(half past |quarter past |quarter to |half )?(\\d{1,2}(?::[0-5]\\d)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|noon|midday)(?: ?(am|pm|a\\.m\\.?|p\\.m\\.?|o'?clock))?";
/** Words that put a day in the past ("it started on Monday"), not a wish. */
const PAST_DAY = new RegExp(
  `\\b(?:since|last|started|starting|began|happened|from) (?:on |last |this |yesterday )?(?:${WEEKDAY}|morning|afternoon|evening|night|yesterday|week)\\b`,
  "g",
);
const MONTH = `(${MONTHS.join("|")})`;
const UNITS = [
  "first",
  "second",
  "third",
  "fourth",
  "fifth",
  "sixth",
  "seventh",
  "eighth",
  "ninth",
];
/** Days of the month said as words: "fourteenth", "twenty eighth", "thirty-first". */
const ORDINAL_DAYS: Readonly<Record<string, number>> = Object.fromEntries([
  ...UNITS.map((w, i) => [w, i + 1]),
  ...[
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
  ].map((w, i) => [w, i + 10]),
  ...UNITS.flatMap((w, i) => [
    [`twenty ${w}`, 21 + i],
    [`twenty-${w}`, 21 + i],
  ]),
  ["thirtieth", 30],
  ["thirty first", 31],
  ["thirty-first", 31],
]);
const ORDINAL_WORD = Object.keys(ORDINAL_DAYS)
  .sort((a, b) => b.length - a.length)
  .join("|");
const NEGATION =
  /\b(?:not|except|apart from|other than|can't|cannot|won't|no|isn't|don't|avoid|any day but|anything but)\b[^.,;!?]*$/;

/**
 * Reads what the caller said about when, or null if they said nothing
 * about it. Weekday names mean the coming one ("Tuesday", "this Tuesday");
 * "next Tuesday" is the Tuesday of next week (Monday to Sunday). Hours
 * without am or pm are read as working hours: 1 to 6 are afternoon.
 */
export function parseTimePreference(
  speech: string,
  now: Date,
  timeZone: string,
): TimePreference | null {
  // Lower case with tidy spaces; "3:30" and "p.m." keep their punctuation.
  const text = speech
    .toLowerCase()
    .replace(/[\u2018\u2019`]/g, "'")
    .replace(/\s+/g, " ")
    .replace(PAST_DAY, " ");
  const today = DateTime.fromJSDate(now, { zone: timeZone }).startOf("day");
  const pref: TimePreference = {};

  if (
    /\b(as soon as (possible|you can)|asap|a s a p|earliest|soonest|first available|first free|right away|straight away)\b/.test(
      text,
    )
  ) {
    pref.soonest = true;
  }
  readDays(text, today, pref);
  readNegatedWeekdays(text, pref);
  readWindow(text, pref);

  const saidSomething =
    pref.soonest ||
    pref.days ||
    pref.notWeekdays ||
    pref.after !== undefined ||
    pref.before !== undefined;
  return saidSomething ? pref : null;
}

function readDays(text: string, today: DateTime, pref: TimePreference): void {
  const nextMonday = today.plus({ days: 8 - today.weekday });
  const set = (days: DateTime[], said: string) => {
    pref.days = days.map((d) => d.toISODate() ?? "");
    pref.daysSaid = said;
  };
  const weekday = (name: string) => WEEKDAYS.indexOf(name) + 1;
  const comingDay = (iso: number) => today.plus({ days: ((iso - today.weekday + 6) % 7) + 1 });
  // "Friday week", "a week on Wednesday": the coming one, a week later.
  const weekOn =
    new RegExp(`\\b(?:a )?week on ${WEEKDAY}\\b`).exec(text) ??
    new RegExp(`\\b${WEEKDAY} week\\b`).exec(text);
  if (weekOn) {
    return set(
      [comingDay(weekday(weekOn[1])).plus({ days: 7 })],
      `a week on ${capitalise(weekOn[1])}`,
    );
  }
  const weekFrom = /\ba week (today|tomorrow)\b/.exec(text);
  if (weekFrom) {
    return set([today.plus({ days: weekFrom[1] === "today" ? 7 : 8 })], `a week ${weekFrom[1]}`);
  }
  if (/\b(?:in a fortnight|a fortnight today|fortnight today)\b/.test(text)) {
    return set([today.plus({ days: 14 })], "in a fortnight");
  }
  const dated = dayOfMonth(text, today);
  if (dated) return set([dated], `the ${ordinal(dated.day)}`);
  if (/\bday after tomorrow\b/.test(text))
    return set([today.plus({ days: 2 })], "the day after tomorrow");
  if (/\btomorrow\b/.test(text)) return set([today.plus({ days: 1 })], "tomorrow");
  if (/\b(today|this (morning|afternoon|evening)|tonight)\b/.test(text))
    return set([today], "today");
  if (/\bearly next week\b/.test(text)) return set(range(nextMonday, 2), "early next week");
  if (/\bafter the weekend\b/.test(text)) return set(range(nextMonday, 7), "after the weekend");
  if (/\bnext week\b/.test(text)) {
    return set(range(nextMonday, 7), "next week");
  }
  if (/\b(this|the) week\b/.test(text)) {
    return set(range(today, 8 - today.weekday), "this week");
  }
  // "Any time except the weekend" rules the weekend out (readNegatedWeekdays), it does not ask for it.
  const weekend = /\b(?:the |this |next )?weekends?\b/.exec(text);
  if (weekend && NEGATION.test(text.slice(0, weekend.index))) return;
  if (/\bnext weekend\b/.test(text))
    return set(range(nextMonday.plus({ days: 5 }), 2), "next weekend");
  if (/\b(the|this) weekend\b/.test(text)) {
    const saturday = today.weekday >= 6 ? today : today.plus({ days: 6 - today.weekday });
    return set(range(saturday, 8 - saturday.weekday), "at the weekend");
  }
  const named: DateTime[] = [];
  const said: string[] = [];
  for (const m of text.matchAll(new RegExp(`\\b(next |this )?${WEEKDAY}\\b`, "g"))) {
    if (NEGATION.test(text.slice(0, m.index))) continue;
    const weekday = WEEKDAYS.indexOf(m[2]) + 1;
    const coming = today.plus({ days: ((weekday - today.weekday + 6) % 7) + 1 });
    const next = m[1]?.trim() === "next";
    const date = next ? nextMonday.plus({ days: weekday - 1 }) : coming;
    if (named.some((d) => d.equals(date))) continue;
    named.push(date);
    said.push(`${next ? "next " : ""}${capitalise(m[2])}`);
  }
  if (named.length > 0) set(named, said.join(" or "));
}

/**
 * "The 14th", "the fourteenth", "3rd of December", "December the 10th": the
 * next such date from today. Never "the first one" or "the third one", which
 * choose among offers; ordinal words below "fifth" count only with a month.
 */
function dayOfMonth(text: string, today: DateTime): DateTime | null {
  const dayFirst = new RegExp(
    `\\b(?:the )?(\\d{1,2}(?:st|nd|rd|th)?|(?:${ORDINAL_WORD})) of ${MONTH}\\b`,
  ).exec(text);
  const monthFirst = new RegExp(
    `\\b${MONTH} (?:the )?(\\d{1,2}(?:st|nd|rd|th)?|(?:${ORDINAL_WORD}))\\b`,
  ).exec(text);
  const [dayWord, monthName] = dayFirst
    ? [dayFirst[1], dayFirst[2]]
    : monthFirst
      ? [monthFirst[2], monthFirst[1]]
      : [];
  if (dayWord && monthName) {
    const day = ORDINAL_DAYS[dayWord] ?? parseInt(dayWord, 10);
    return nextDate(today, day, MONTHS.indexOf(monthName) + 1);
  }
  const alone = new RegExp(
    `\\b(?:the )?(\\d{1,2})(?:st|nd|rd|th)\\b(?! (?:one|option|time|slot|floor))|\\bthe (${ORDINAL_WORD})\\b(?! (?:one|option|time|slot|floor))`,
  ).exec(text);
  if (!alone) return null;
  const day = alone[1] ? parseInt(alone[1], 10) : ORDINAL_DAYS[alone[2]];
  if (!alone[1] && day < 5) return null;
  return nextDate(today, day);
}

/** The next date on or after today with this day (and month, when said). */
function nextDate(today: DateTime, day: number, month?: number): DateTime | null {
  if (!Number.isInteger(day) || day < 1 || day > 31) return null;
  for (let ahead = 0; ahead <= 12; ahead++) {
    const base = month
      ? DateTime.fromObject({ year: today.year + ahead, month, day: 1 }, { zone: today.zone })
      : today.startOf("month").plus({ months: ahead });
    if (day > (base.daysInMonth ?? 0)) continue;
    const date = base.set({ day });
    if (date >= today) return date;
  }
  return null;
}

function ordinal(day: number): string {
  const suffix =
    day % 10 === 1 && day !== 11
      ? "st"
      : day % 10 === 2 && day !== 12
        ? "nd"
        : day % 10 === 3 && day !== 13
          ? "rd"
          : "th";
  return `${day}${suffix}`;
}

function readNegatedWeekdays(text: string, pref: TimePreference): void {
  const ruledOut = new Set<number>();
  for (const m of text.matchAll(new RegExp(`\\b${WEEKDAY}\\b`, "g"))) {
    if (NEGATION.test(text.slice(0, m.index))) ruledOut.add(WEEKDAYS.indexOf(m[1]) + 1);
  }
  const weekend = /\bweekends?\b/.exec(text);
  if (weekend && NEGATION.test(text.slice(0, weekend.index))) {
    ruledOut.add(6);
    ruledOut.add(7);
  }
  if (ruledOut.size > 0) pref.notWeekdays = [...ruledOut].sort();
}

function readWindow(text: string, pref: TimePreference): void {
  const narrow = (after: number | undefined, before: number | undefined, said: string) => {
    if (after !== undefined) pref.after = Math.max(pref.after ?? 0, after);
    if (before !== undefined) pref.before = Math.min(pref.before ?? 24 * 60, before);
    pref.timeSaid = pref.timeSaid ? `${pref.timeSaid} ${said}` : said;
  };
  if (/\bfirst thing\b/.test(text)) narrow(undefined, 10 * 60, "first thing");
  else if (/\b(?:tea ?time|tea-time)\b/.test(text)) narrow(16 * 60, 18 * 60, "around teatime");
  else if (/\b(?:by lunch ?time|before lunch)\b/.test(text))
    narrow(undefined, 12 * 60 + 30, "before lunch");
  else if (/\bafter lunch\b/.test(text)) narrow(13 * 60, undefined, "after lunch");
  else if (/\b(lunchtime|lunch time|around lunch)\b/.test(text))
    narrow(11 * 60 + 30, 14 * 60, "around lunchtime");
  else if (/\bearly (?:in the )?mornings?\b/.test(text))
    narrow(undefined, 10 * 60, "early morning");
  else if (/\bmornings?\b/.test(text)) narrow(undefined, 12 * 60, "morning");
  else if (/\blate (?:in the )?afternoons?\b/.test(text))
    narrow(15 * 60, undefined, "late afternoon");
  else if (/\bafternoons?\b/.test(text)) narrow(12 * 60, undefined, "afternoon");
  else if (/\b(evenings?|tonight|after work)\b/.test(text)) narrow(17 * 60, undefined, "evening");

  const between = new RegExp(`\\bbetween ${CLOCK} and ${CLOCK}(?![\\w:])`).exec(text);
  if (between) {
    const from = clockMinutes(between[1], between[2], between[3]);
    const to = clockMinutes(between[4], between[5], between[6]);
    if (from !== null && to !== null && from < to) {
      narrow(from, to, `between ${spoken(from)} and ${spoken(to)}`);
      return;
    }
  }
  const after = new RegExp(
    `\\b(?:any ?time )?(?:after|from|no earlier than|not before) ${CLOCK}(?![\\w:])`,
  ).exec(text);
  if (after && (!after[0].startsWith("from") || after[3] !== undefined)) {
    const minutes = clockMinutes(after[1], after[2], after[3]);
    if (minutes !== null) narrow(minutes, undefined, `after ${spoken(minutes)}`);
  }
  const before = new RegExp(
    `\\b(?<!not )(?:before|by|until|no later than) ${CLOCK}(?![\\w:])`,
  ).exec(text);
  if (before) {
    const minutes = clockMinutes(before[1], before[2], before[3]);
    if (minutes !== null) narrow(undefined, minutes, `before ${spoken(minutes)}`);
  }
  if (after || before) return;
  // "around 3", "3 pm", "at 10 o'clock": an hour either side. A bare number needs am, pm or o'clock.
  const around = new RegExp(`(?:\\b(around|about) )?\\b${CLOCK}(?![\\w:])`).exec(text);
  // "Half two", "quarter to four", "midday" are clock times however said.
  const plainlyClock =
    around &&
    (around[1] !== undefined ||
      around[4] !== undefined ||
      around[2] !== undefined ||
      /^(?:noon|midday)$/.test(around[3]));
  if (around && plainlyClock) {
    const minutes = clockMinutes(around[2], around[3], around[4]);
    if (minutes !== null) narrow(minutes - 60, minutes + 60, `around ${spoken(minutes)}`);
  }
}

/** Minutes past midnight for a spoken clock time, or null when it is not one. */
function clockMinutes(
  past: string | undefined,
  value: string,
  suffix: string | undefined,
): number | null {
  const [h, m] = value.split(":");
  let hour = HOUR_WORDS[h] ?? Number(h);
  let minute = m === undefined ? 0 : Number(m);
  if (past?.startsWith("half")) minute = 30;
  if (past?.startsWith("quarter past")) minute = 15;
  if (past?.startsWith("quarter to")) {
    hour -= 1;
    minute = 45;
  }
  if (!Number.isInteger(hour) || hour > 23) return null;
  const meridiem = suffix?.replace(/\W/g, "");
  if (meridiem === "pm" && hour < 12) hour += 12;
  else if (meridiem === "am" && hour === 12) hour = 0;
  else if (meridiem !== "am" && meridiem !== "pm" && hour >= 1 && hour <= 6) hour += 12;
  return hour * 60 + minute;
}

/** Whether a start time (an instant) is one the caller asked for. */
export function fitsPreference(start: Date, pref: TimePreference, timeZone: string): boolean {
  const local = DateTime.fromJSDate(start, { zone: timeZone });
  if (pref.days && !pref.days.includes(local.toISODate() ?? "")) return false;
  if (pref.notWeekdays?.includes(local.weekday)) return false;
  const minutes = local.hour * 60 + local.minute;
  if (pref.after !== undefined && minutes < pref.after) return false;
  if (pref.before !== undefined && minutes >= pref.before) return false;
  return true;
}

/**
 * The instant the caller's wish is centred on, to find the nearest times
 * when nothing fits: the first day they asked for at their earliest time.
 */
export function preferenceAnchor(pref: TimePreference, now: Date, timeZone: string): Date {
  const today = DateTime.fromJSDate(now, { zone: timeZone }).startOf("day");
  const firstDay = pref.days?.length
    ? DateTime.fromISO([...pref.days].sort()[0], { zone: timeZone })
    : today;
  const minutes = pref.after ?? (pref.before !== undefined ? Math.max(0, pref.before - 60) : 0);
  const anchor = firstDay.plus({ minutes }).toJSDate();
  return anchor.getTime() < now.getTime() ? now : anchor;
}

/**
 * The caller's wish in words, to say back: "tomorrow morning", "next
 * Tuesday after 3 pm", "next week", "any day but Friday", "as soon as possible".
 */
export function describePreference(pref: TimePreference): string {
  const parts: string[] = [];
  const halfDay = pref.timeSaid && /^(morning|afternoon|evening)$/.test(pref.timeSaid);
  if (pref.daysSaid) {
    const multiDay = /week/.test(pref.daysSaid);
    if (halfDay) {
      parts.push(
        multiDay
          ? `${pref.daysSaid}, in the ${pref.timeSaid}`
          : `${pref.daysSaid} ${pref.timeSaid}`,
      );
    } else {
      parts.push(pref.timeSaid ? `${pref.daysSaid} ${pref.timeSaid}` : pref.daysSaid);
    }
  } else if (pref.timeSaid) {
    parts.push(halfDay ? `in the ${pref.timeSaid}` : pref.timeSaid);
  }
  if (pref.notWeekdays?.length) {
    const names = pref.notWeekdays.map((d) => capitalise(WEEKDAYS[d - 1]));
    parts.push(`${parts.length ? "but " : "any day "}not ${names.join(" or ")}`);
  }
  if (parts.length === 0 && pref.soonest) return "as soon as possible";
  return parts.join(" ");
}

/** Whether two preferences ask for the same thing (the caller repeating themselves). */
export function samePreference(
  a: TimePreference | undefined,
  b: TimePreference | undefined,
): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function range(first: DateTime, count: number): DateTime[] {
  return Array.from({ length: count }, (_, i) => first.plus({ days: i }));
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function spoken(minutes: number): string {
  const hour = Math.floor(minutes / 60);
  const minute = minutes % 60;
  if (hour === 12 && minute === 0) return "12 pm";
  const hour12 = hour % 12 === 0 ? 12 : hour % 12;
  const suffix = hour < 12 ? "am" : "pm";
  return minute === 0
    ? `${hour12} ${suffix}`
    : `${hour12}:${String(minute).padStart(2, "0")} ${suffix}`;
}
