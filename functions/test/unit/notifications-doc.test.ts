import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import { defaultNotificationPolicy } from "../../src/domain/notifications/notification-policy";
import {
  NOTIFICATIONS_DOC_PATH,
  REGENERATE_COMMAND,
  renderNotificationDefaults,
  withDefaults,
} from "../../src/tools/notifications-doc";

describe("docs/notifications.md", () => {
  it("carries exactly the defaults the code has, so the page cannot drift", () => {
    const page = fs.readFileSync(NOTIFICATIONS_DOC_PATH, "utf8");
    assert.ok(
      page === withDefaults(page),
      `docs/notifications.md is out of date with the notification defaults. Regenerate it: ${REGENERATE_COMMAND}`,
    );
  });

  it("names every reminder window and the quiet hours", () => {
    const block = renderNotificationDefaults();
    const policy = defaultNotificationPolicy();
    for (const window of policy.reminders) assert.ok(block.includes(`\`${window.id}\``));
    assert.ok(block.includes(`${policy.ownerQuietHours?.start} to ${policy.ownerQuietHours?.end}`));
    assert.match(block, /Never asked for: `STOP`.*`CANCEL`/);
  });
});
