import * as fs from "node:fs";
import * as path from "node:path";
import {
  ALLOWED_CARRIER_WORDS,
  DEFAULT_TEMPLATES,
  defaultNotificationPolicy,
  FORBIDDEN_REPLY_WORDS,
  MAX_SMS_SEGMENTS,
  renderTemplate,
  SAMPLE_VALUES,
  TEMPLATE_KINDS,
  TEMPLATE_PLACEHOLDERS,
} from "../domain/notifications/notification-policy";
import {
  EVENING_SEND_MINUTES_BEFORE_NIGHT,
  REMINDER_EARLIEST_FACTOR,
} from "../domain/notifications/send-windows";
import { smsLength } from "../domain/notifications/sms-length";

/**
 * docs/notifications.md has a block generated from the code's defaults, so
 * the page cannot drift from what the product does:
 *   node functions/lib/src/tools/notifications-doc.js --write
 */
export const NOTIFICATIONS_DOC_PATH = path.resolve(__dirname, "../../../../docs/notifications.md");
export const REGENERATE_COMMAND =
  "npm run build && node functions/lib/src/tools/notifications-doc.js --write";
export const BEGIN = "<!-- generated from the code: do not edit by hand -->";
export const END = "<!-- end of generated block -->";

export function renderNotificationDefaults(): string {
  const policy = defaultNotificationPolicy();
  const window = (w: { start: string; end: string } | null) =>
    w ? `${w.start} to ${w.end}` : "none";
  const lines = [
    BEGIN,
    "",
    "### Defaults",
    "",
    "| Setting | Default |",
    "| --- | --- |",
    ...Object.entries(policy.ownerAlerts).map(
      ([name, on]) => `| \`ownerAlerts.${name}\` | ${on ? "on" : "off"} |`,
    ),
    `| \`ownerQuietHours\` | ${window(policy.ownerQuietHours)} (local time) |`,
    `| \`digestTime\` | ${policy.digestTime ?? "off"} (local time) |`,
    `| \`customerNight\` | ${window(policy.customerNight)} (local time) |`,
    ...policy.reminders.map(
      (r) => `| reminder \`${r.id}\` | ${r.minutesBefore} minutes before the start |`,
    ),
    "",
    `A reminder due in the night goes ${EVENING_SEND_MINUTES_BEFORE_NIGHT} minutes before the night ` +
      `starts when that is no earlier than ${REMINDER_EARLIEST_FACTOR}x its lead time before the ` +
      "appointment, otherwise when the night ends if that is before the appointment, otherwise not at all.",
    "",
    "### Placeholders",
    "",
    "| Placeholder | Becomes |",
    "| --- | --- |",
    ...Object.entries(TEMPLATE_PLACEHOLDERS).map(
      ([key, meaning]) => `| \`{${key}}\` | ${meaning} |`,
    ),
    "",
    "### Default templates",
    "",
    `Each must fit in ${MAX_SMS_SEGMENTS} SMS with the sample details below (GSM-7: 306 characters; ` +
      "a character outside GSM-7, such as a curly apostrophe, cuts that to 134).",
    "",
  ];
  for (const kind of TEMPLATE_KINDS) {
    const rendered = renderTemplate(DEFAULT_TEMPLATES[kind], SAMPLE_VALUES);
    const length = smsLength(rendered);
    lines.push(
      `- \`${kind}\`: \`${DEFAULT_TEMPLATES[kind]}\``,
      `  - sample (${length.characters} characters, ${length.segments} SMS): ${rendered}`,
    );
  }
  lines.push(
    "",
    "### Carrier keywords",
    "",
    `Never asked for: ${FORBIDDEN_REPLY_WORDS.map((w) => `\`${w}\``).join(", ")}.`,
    `Allowed (they only ever resume texts): ${ALLOWED_CARRIER_WORDS.map((w) => `\`${w}\``).join(", ")}.`,
    "",
    END,
  );
  return lines.join("\n");
}

/** The page with its generated block replaced by the current one. */
export function withDefaults(page: string): string {
  const start = page.indexOf(BEGIN);
  const end = page.indexOf(END);
  if (start < 0 || end < start) throw new Error("docs/notifications.md has no generated block");
  return page.slice(0, start) + renderNotificationDefaults() + page.slice(end + END.length);
}

if (require.main === module) {
  const page = fs.readFileSync(NOTIFICATIONS_DOC_PATH, "utf8");
  if (process.argv.includes("--write")) {
    fs.writeFileSync(NOTIFICATIONS_DOC_PATH, withDefaults(page));
    console.log(`wrote ${NOTIFICATIONS_DOC_PATH}`);
  } else {
    process.stdout.write(`${renderNotificationDefaults()}\n`);
  }
}
