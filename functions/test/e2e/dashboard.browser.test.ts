import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { getApps, initializeApp } from "firebase-admin/app";
import { getAuth } from "firebase-admin/auth";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { Timestamp } from "firebase-admin/firestore";
import { paths } from "../../src/adapters/firestore/paths";
import { failureReason } from "../../src/domain/delivery/failure-visibility";
import { FirestoreConversationSummaryRepository } from "../../src/adapters/firestore/conversation-summary.repository";
import { FirestoreSmsConversationRepository } from "../../src/adapters/firestore/sms-conversation.repository";
import { summariseIdleSmsThreads } from "../../src/app/summarise-conversation";
import { ManualClock, RecordingLogger } from "../support/in-memory-outbox.store";
import { FirestoreBusinessRepository } from "../../src/adapters/firestore/business.repository";
import { businessSchema } from "../../src/domain/business/business";
import { PORTS, PROJECT_ID } from "../../src/tools/local-stack";
import { readSeedFile } from "../../src/tools/seed";
import { LocalStack } from "../support/local-stack.harness";
import { callFromScript, REPO_ROOT } from "../support/npm-script";
import { localStack } from "./stack.fixture";

/**
 * The owner dashboard in a real browser (Debian's Chromium, driven by
 * playwright-core) against the whole local stack: sign-in, live data, moves,
 * settings reaching the next call, another business refused, the offline
 * shell, accessibility (axe-core) and lab timings. Screenshots and timings
 * are kept in test-results/dashboard/.
 */
const CHROMIUM = "/usr/bin/chromium";
const DASHBOARD = `http://127.0.0.1:${PORTS.hosting}/`;
const BUSINESS = "bristol-plumbing";
const ARTIFACTS = path.join(REPO_ROOT, "test-results", "dashboard");
const AXE = require.resolve("axe-core/axe.min.js", { paths: [path.join(REPO_ROOT, "hosting")] });
const SEED = readSeedFile(path.join(REPO_ROOT, "emulator-data", "seed", "bristol-plumbing.json"));
const OWNER = SEED.owner;
const STAFF = SEED.staff[0];
const OTHER = {
  email: "owner@other-plumbing.example",
  password: "other-demo-456",
  businessId: "other-plumbing",
};

describe("the owner dashboard in Chromium, against the local stack", function () {
  this.timeout(180_000);
  let stack: LocalStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const timings: Record<string, number> = {};
  const cspConsole: string[] = [];

  before(async function () {
    if (!fs.existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium is missing at ${CHROMIUM}: apt-get install -y chromium (.ci/run does)`,
      );
    }
    stack = await localStack();
    if (/\[stack\] Firestore: embedded/.test(stack.output())) {
      // The web SDK speaks to Firestore over WebChannel, which only the official emulator serves.
      console.log(
        "      skipped: the local stack runs the embedded Firestore, which browsers cannot use",
      );
      this.skip();
    }
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await addOtherBusiness(stack);
    const { chromium } = await import("playwright-core");
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    // A phone: 360 px wide, touch.
    context = await browser.newContext({
      viewport: { width: 360, height: 780 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    // Every Content-Security-Policy violation the page reports (firebase.json's headers).
    await context.addInitScript({
      content: `window.cspViolations = [];
        document.addEventListener("securitypolicyviolation", (e) =>
          window.cspViolations.push(e.effectiveDirective + " " + e.blockedURI));`,
    });
    page = await context.newPage();
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) cspConsole.push(message.text());
    });
  });

  after(async () => {
    await browser?.close();
    if (Object.keys(timings).length > 0) {
      fs.writeFileSync(path.join(ARTIFACTS, "timings.json"), JSON.stringify(timings, null, 2));
      console.log(`      lab timings (ms): ${JSON.stringify(timings)}`);
    }
  });

  async function shot(name: string): Promise<void> {
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
  }

  async function signIn(email: string, password: string): Promise<void> {
    await page.goto(DASHBOARD);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
  }

  async function axe(screen: string): Promise<void> {
    // Evaluated through the browser's debugging protocol: the page's CSP allows no injected <script>.
    await page.evaluate(fs.readFileSync(AXE, "utf8"));
    const result = (await page.evaluate(
      `axe.run({ runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] } })`,
    )) as { violations: Array<{ id: string; help: string; nodes: Array<{ target: string[] }> }> };
    const found = result.violations.map(
      (v) => `${v.id} (${v.help}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
    );
    assert.deepEqual(found, [], `axe on ${screen}`);
    await noCspViolations(screen);
  }

  async function noCspViolations(screen: string): Promise<void> {
    // A page opened in another context (another login) has no recorder: nothing to read there.
    const violations = ((await page.evaluate("window.cspViolations")) ?? []) as string[];
    assert.deepEqual(violations, [], `CSP violations on ${screen}`);
    assert.deepEqual(cspConsole, [], `CSP messages on ${screen}`);
  }

  it("signs the seeded owner in and shows today's and tomorrow's jobs, live from Firestore", async () => {
    const started = Date.now();
    await signIn(OWNER.email, OWNER.password);
    await page.getByRole("heading", { name: "Today", level: 1 }).waitFor();
    await page.locator("article.job").first().waitFor();
    timings.signInToJobsMs = Date.now() - started;
    const names = await page.locator("article.job h3").allInnerTexts();
    assert.ok(names.length >= 1, "the seeded jobs are listed");
    await shot("today");
    await axe("Today");
  });

  it("runs under the Content-Security-Policy of firebase.json without one violation", async () => {
    await page.goto(`${DASHBOARD}#/today`);
    const response = await page.reload();
    const csp = response?.headers()["content-security-policy"] ?? "";
    assert.match(csp, /frame-ancestors 'none'/, "the Hosting emulator serves firebase.json's CSP");
    await page.locator("article.job").first().waitFor();
    await noCspViolations("Today");
  });

  it("shows a call placed with the simulator in the inbox and the schedule, without a reload", async () => {
    await page.goto(`${DASHBOARD}#/calls`);
    await page.getByRole("heading", { name: "Calls and messages" }).waitFor();
    // Not reminders.test.ts's caller: each end-to-end file books with its own number.
    const from = "+447700900766";
    const { code, transcript } = await callFromScript(
      [
        "Hi, my kitchen tap is dripping",
        "My name is Jamal Reid",
        "5 Elm Lane, Bristol BS6 5AA",
        "the first one",
        "yes",
        "no thanks",
      ],
      ["--from", from],
    );
    assert.equal(code, 0);
    // The customer document has her name by now; the inbox shows it as it arrives.
    await page.locator(".convo", { hasText: "Jamal Reid" }).first().waitFor({ timeout: 20_000 });
    await shot("inbox-live");
    await axe("Calls and messages");
    // The call, not the confirmation text sent to the caller (listed too, and often first).
    await page
      .locator(".convo", { hasText: "Jamal Reid" })
      .filter({ has: page.locator(".pill", { hasText: /^Call$/ }) })
      .first()
      .click();
    await page.getByRole("heading", { name: "Transcript" }).waitFor();
    await page.locator(".transcript .turn", { hasText: "kitchen tap" }).first().waitFor();
    await shot("conversation");
    const appointments = await stack
      .firestore()
      .collection(paths.appointments(BUSINESS))
      .where("source", "==", transcript.callSid)
      .get();
    assert.equal(appointments.size, 1);
    await page.goto(`${DASHBOARD}#/schedule`);
    await page.getByRole("button", { name: "Week" }).click();
    await page
      .locator("article.job", { hasText: "Jamal Reid" })
      .first()
      .waitFor({ timeout: 20_000 });
    await shot("schedule-week");
    await axe("Schedule");
  });

  it("moves a job with the slot picker: the customer's text is queued and the calendar state shown", async () => {
    await page.goto(`${DASHBOARD}#/today`);
    const job = page.locator("article.job").first();
    await job.waitFor();
    const name = (await job.locator("h3").innerText()).trim();
    const inpStart = Date.now();
    await job.getByRole("button", { name: /^Move/ }).click();
    timings.moveSheetOpenMs = Date.now() - inpStart;
    const times = page.locator("dialog[open] [aria-label=Time] button");
    const days = page.locator("dialog[open] [aria-label=Day] button");
    const finding = page.locator("dialog[open] .picker [role=status]");
    await days.first().waitFor({ timeout: 20_000 });
    await finding.waitFor({ state: "detached", timeout: 20_000 });
    // The job's own day may have no free time left (the call suites book today's): the first day
    // that has some, within the week the Schedule's week view shows.
    for (let day = 0; (await times.count()) === 0; day++) {
      assert.ok(
        day < Math.min(7, await days.count()),
        "a day this week with free times in the picker",
      );
      await days.nth(day).click();
      await finding.waitFor({ state: "detached", timeout: 20_000 });
    }
    await shot("move-picker");
    await axe("Move picker");
    await times.last().click();
    const confirm = page.locator("dialog[open] .sheet-foot .button.primary");
    // "Move to <day> <time>": the moved card must then show that time.
    const confirmLabel = (await confirm.innerText()).trim();
    await confirm.click();
    await page.locator("dialog[open]").waitFor({ state: "detached", timeout: 20_000 });
    // The new time may be beyond tomorrow, off Today: the week view shows the whole week.
    await page.goto(`${DASHBOARD}#/schedule`);
    await page.getByRole("button", { name: "Week", exact: true }).click();
    const moved = page
      .locator("article.job", { hasText: name })
      .filter({ hasText: "Moved" })
      .first();
    await moved.waitFor({ timeout: 20_000 });
    const shownTime = (await moved.locator(".job-time strong").innerText()).trim();
    assert.ok(confirmLabel.endsWith(shownTime), `${confirmLabel} ends with ${shownTime}`);
    await moved
      .locator(".pill", { hasText: /^New-time text (queued|sending|sent)/ })
      .waitFor({ timeout: 30_000 });
    await moved.locator(".pill", { hasText: /calendar/i }).waitFor({ timeout: 30_000 });
    await shot("moved");
    const audit = await stack
      .firestore()
      .collection(paths.audit(BUSINESS))
      .where("action", "==", "moveAppointment")
      .get();
    assert.equal(audit.size, 1);
  });

  it("changes the greeting in Settings, and the next call hears it", async () => {
    await page.goto(`${DASHBOARD}#/settings`);
    await page.getByText("Greeting", { exact: true }).first().click();
    const greeting = "Hello, you're through to {business}. How can we help today?";
    await page.getByLabel("Greeting").fill(greeting);
    await page.locator("details[open]").getByRole("button", { name: "Save" }).click();
    await page.getByText("Saved. The next call uses it.").waitFor({ timeout: 20_000 });
    await shot("settings-saved");
    await axe("Settings");
    // A rule the tenant schema refuses is shown by field, and nothing is saved.
    await page.getByText("Booking rules", { exact: true }).click();
    const rules = page.locator("details[open]", { hasText: "Booking rules" });
    await rules.getByLabel("Times offered per call").fill("9");
    await rules.getByRole("button", { name: "Save" }).click();
    await rules.getByText(/Times offered per call: .*5/).waitFor({ timeout: 20_000 });
    await shot("settings-refused");
    // Travel areas save through the same schema.
    await page.getByText("Travel areas", { exact: true }).click();
    const travel = page.locator("details[open]", { hasText: "Travel areas" });
    await travel.getByLabel("Travel minutes", { exact: true }).first().fill("20");
    await travel.getByRole("button", { name: "Save" }).click();
    await travel.getByText("Saved. The next call uses it.").waitFor({ timeout: 20_000 });
    const saved = await stack.firestore().doc(paths.business(BUSINESS)).get();
    assert.equal((saved.get("booking.travel.zones") as Array<{ minutes: number }>)[0].minutes, 20);
    assert.equal(saved.get("booking.offerCount"), 3);
    const { stdout } = await callFromScript(["no thanks"], ["--from", "+447700900778"]);
    assert.match(stdout, /Hello, you're through to Bristol Plumbing\. How can we help today\?/);
  });

  it("changes the call-out fee and the voice, and the next caller hears both", async () => {
    await page.goto(`${DASHBOARD}#/settings`);
    await page.getByText("Prices and what callers are told", { exact: true }).click();
    const prices = page.locator("details[open]", { hasText: "Prices and what callers are told" });
    await prices.getByLabel(/^Call-out fee/).fill("72");
    await prices.getByRole("button", { name: "Save" }).click();
    await prices.getByText("Saved. The next call uses it.").waitFor({ timeout: 20_000 });
    await axe("Settings, prices open");
    await page.getByText("Voice", { exact: true }).first().click();
    const voice = page.locator("details[open]", { hasText: "The voice callers hear" });
    await voice.getByLabel(/^Brian/).check();
    await voice.getByRole("button", { name: "Save" }).click();
    await voice.getByText("Saved. The next call uses it.").waitFor({ timeout: 20_000 });
    await shot("settings-prices");
    const { stdout } = await callFromScript(
      ["how much is your call out fee", "no thanks"],
      ["--from", "+447700900779"],
    );
    assert.match(stdout, /call-out fee is £72/);
    const saved = await stack.firestore().doc(paths.business(BUSINESS)).get();
    assert.equal(saved.get("voice"), "Polly.Brian");
  });

  it("puts a caller's message first in Needs you, from the call's summary, and leaves a booked call out", async () => {
    await page.goto(`${DASHBOARD}#/today`);
    await page.getByRole("heading", { name: /Needs you/ }).waitFor();
    const { code } = await callFromScript(
      ["Can Dave call me back please", "It's about a quote for a new bathroom", "no thanks"],
      ["--from", "+447700900781"],
    );
    assert.equal(code, 0);
    // This caller's need: other calls of the suites may have asked for a call back too.
    const need = page
      .locator("li.need", { hasText: "they asked you to call" })
      .filter({ hasText: "0770 090 0781" });
    await need.first().waitFor({ timeout: 30_000 });
    await shot("needs-you-summary");
    // Jamal Reid's call booked a job: its summary says nothing to do.
    assert.equal(await page.locator("li.need", { hasText: "Jamal Reid" }).count(), 0);
    await need.first().getByRole("button", { name: "Handled" }).click();
    await need.first().waitFor({ state: "detached", timeout: 20_000 });
  });

  it("lists a quiet text thread in Needs you by its summary: one that needs the owner, not one that does not", async () => {
    const db = stack.firestore();
    const threads = new FirestoreSmsConversationRepository(db);
    const texted = new Date(Date.now() - 3 * 3_600_000);
    const thread = async (phone: string, words: string, asked: boolean) => {
      const sid = `SM${phone.slice(1)}${texted.getTime()}`;
      await threads.recordStep(BUSINESS, phone, sid, {
        at: texted.toISOString(),
        done: asked ? [{ action: "message", reason: "callback" }] : [],
        draft: {},
      });
      await threads.append(BUSINESS, phone, { at: texted, speaker: "customer", text: words });
    };
    await thread("+447700900791", "can the owner ring me about a quote for a new boiler", true);
    await thread("+447700900792", "thanks, see you thursday", false);
    const store = new FirestoreConversationSummaryRepository(db);
    await summariseIdleSmsThreads({
      threads: store,
      clock: new ManualClock(new Date()),
      logger: new RecordingLogger(),
    });
    await page.goto(`${DASHBOARD}#/today`);
    await page.getByRole("heading", { name: /Needs you/ }).waitFor();
    const need = page.locator("li.need", { hasText: "0770 090 0791" });
    await need.first().waitFor({ timeout: 20_000 });
    assert.match(await need.first().innerText(), /they asked you to call/);
    // The customer had the last word, but the thread's summary says there is nothing to do.
    assert.equal(await page.locator("li.need", { hasText: "0770 090 0792" }).count(), 0);
    assert.equal(await page.locator("li.need", { hasText: "see you thursday" }).count(), 0);
  });

  it("signs staff in: jobs and calls to act on, settings and the texts log out of reach", async () => {
    const staffContext = await browser.newContext({
      viewport: { width: 360, height: 780 },
      isMobile: true,
      hasTouch: true,
    });
    const ownerPage = page;
    page = await staffContext.newPage();
    try {
      await signIn(STAFF.email, STAFF.password);
      await page.getByRole("heading", { name: "Today", level: 1 }).waitFor();
      await page.locator("article.job").first().waitFor({ timeout: 20_000 });
      const move = page.locator("article.job").first().getByRole("button", { name: /^Move/ });
      assert.equal(await move.isDisabled(), false);
      await page.goto(`${DASHBOARD}#/settings`);
      await page.getByText("Only the owner can change settings.").waitFor();
      assert.equal(await page.getByRole("button", { name: "Save" }).count(), 0);
      await axe("Settings, as staff");
      await shot("staff-settings");
      const token = await idTokenOf(STAFF.email, STAFF.password);
      const answers = await page.evaluate(
        async ({ token, project, business }) => {
          const headers = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
          const fs = `http://127.0.0.1:8080/v1/projects/${project}/databases/(default)/documents/businesses/${business}`;
          const out: Record<string, number> = {};
          for (const p of ["/appointments", "/conversations", "/outbox", "/audit", "/users"]) {
            out[`firestore${p}`] = (await fetch(fs + p, { headers })).status;
          }
          const r = await fetch(`http://127.0.0.1:5001/${project}/europe-west2/updateSettings`, {
            method: "POST",
            headers,
            body: JSON.stringify({
              data: { businessId: business, settings: { greeting: "Staff changed {business}" } },
            }),
          });
          out.updateSettings = r.status;
          return out;
        },
        { token, project: PROJECT_ID, business: BUSINESS },
      );
      assert.deepEqual(answers, {
        "firestore/appointments": 200,
        "firestore/conversations": 200,
        "firestore/outbox": 403,
        "firestore/audit": 403,
        "firestore/users": 403,
        updateSettings: 403,
      });
    } finally {
      await staffContext.close();
      page = ownerPage;
    }
  });

  it("shows the insights and customers screens without accessibility problems", async () => {
    for (const [hash, heading] of [
      ["insights", "Insights"],
      ["customers", "Customers"],
    ]) {
      await page.goto(`${DASHBOARD}#/${hash}`);
      await page.getByRole("heading", { name: heading, level: 1 }).waitFor();
      await shot(hash);
      await axe(heading);
    }
  });

  it("screens a number from Privacy and screening, lists it, and allows it again", async () => {
    await page.goto(`${DASHBOARD}#/customers`);
    await page.getByRole("link", { name: "Screened callers and customers' data" }).click();
    await page.getByRole("heading", { name: "Privacy and screening", level: 1 }).waitFor();
    await page.getByLabel("Screen a number").fill("+447700900888");
    await page.getByRole("button", { name: "Screen", exact: true }).click();
    const allow = page.getByRole("button", { name: "Allow 07700 900888" });
    await allow.waitFor();
    await shot("privacy");
    await axe("Privacy and screening");
    await allow.click();
    await page.getByRole("button", { name: "Screen 07700 900888" }).waitFor();
    await page.getByText("Allowed by you").first().waitFor();
  });

  it("finds a customer by part of their address and shows their property notes and timeline", async () => {
    // A text Twilio refused because Margaret had replied STOP (21610), as delivery records it.
    const now = Timestamp.now();
    await stack
      .firestore()
      .doc(paths.outboxMessage(BUSINESS, "reminder-margaret-refused"))
      .set({
        businessId: BUSINESS,
        to: "+441179460123",
        body: "Reminder: your visit is tomorrow at 9:00.",
        purpose: "appointment-reminder",
        status: "ERROR",
        attempts: 1,
        lastError: "Twilio 400 (21610): Attempt to send to unsubscribed recipient",
        lastErrorCode: 21610,
        failureReason: failureReason(21610, ""),
        ownerShouldKnow: false,
        createdAt: now,
        updatedAt: now,
      });
    await page.goto(`${DASHBOARD}#/customers`);
    await page.getByLabel("Search customers").fill("cotham");
    assert.equal(await page.locator(".list > li").count(), 1);
    await page.getByRole("link", { name: /Margaret Holloway/ }).click();
    await page.getByRole("heading", { name: "Margaret Holloway", level: 1 }).waitFor();
    await page
      .getByText(/stopcock/i)
      .first()
      .waitFor();
    await page.getByRole("heading", { name: "Timeline" }).waitFor();
    // The failed text says it failed, and why.
    await page
      .getByText(
        "Reminder: your visit is tomorrow at 9:00. (they opted out of texts (replied STOP))",
      )
      .waitFor();
    await page.getByText("Text failed", { exact: true }).first().waitFor();
    await shot("customer");
    await axe("Customer page");
  });

  it("is installable, and every screen fits 360 px with touch targets of at least 44 px", async () => {
    const manifestHref = await page.locator('link[rel="manifest"]').getAttribute("href");
    assert.ok(manifestHref, "index.html links the manifest");
    const manifest = (await (await fetch(new URL(manifestHref, DASHBOARD))).json()) as {
      display: string;
      icons: Array<{ src: string; sizes: string; purpose?: string }>;
    };
    assert.equal(manifest.display, "standalone");
    for (const size of ["192x192", "512x512"]) {
      const icon = manifest.icons.find((i) => i.sizes === size && !i.purpose);
      assert.ok(icon, `an icon of ${size}`);
      assert.equal((await fetch(new URL(icon.src, DASHBOARD))).status, 200);
    }
    const small: string[] = [];
    for (const [route, open] of [
      ["today", null],
      ["calls", null],
      ["schedule", null],
      ["customers", null],
      ["insights", null],
      ["settings", "Services"],
    ] as const) {
      await page.goto(`${DASHBOARD}#/${route}`);
      await page.locator("h1").first().waitFor();
      await page.waitForTimeout(500);
      if (open) await page.getByText(open, { exact: true }).first().click();
      const width = (await page.evaluate("document.documentElement.scrollWidth")) as number;
      assert.ok(width <= 360, `#/${route} is ${width} px wide at a 360 px viewport`);
      // What a thumb hits: a checkbox or radio is hit through its whole label.
      const found = (await page.evaluate(`[...document.querySelectorAll(
          "button, a[href], select, input:not([type=checkbox]):not([type=radio]), textarea, summary, label.check")]
        .filter((el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden")
        .map((el) => { const r = el.getBoundingClientRect();
          return { what: el.tagName.toLowerCase() + " " + (el.textContent || el.getAttribute("aria-label") || "").trim().slice(0, 30), w: r.width, h: r.height }; })
        .filter((t) => t.w < 44 || t.h < 44)`)) as Array<{ what: string; w: number; h: number }>;
      small.push(
        ...found.map((t) => `#/${route}: ${t.what} (${Math.round(t.w)}x${Math.round(t.h)})`),
      );
    }
    assert.deepEqual(small, []);
  });

  it("opens read-only from the phone's cache when offline, and refuses changes visibly", async () => {
    await page.goto(`${DASHBOARD}#/today`);
    await page.locator("article.job").first().waitFor();
    await page.evaluate("navigator.serviceWorker.ready.then(() => true)");
    await context.setOffline(true);
    try {
      await page.reload();
      await page.getByText("Offline.", { exact: false }).first().waitFor({ timeout: 20_000 });
      await page.locator("article.job").first().waitFor({ timeout: 20_000 });
      const move = page.locator("article.job").first().getByRole("button", { name: /^Move/ });
      assert.equal(await move.isDisabled(), true);
      await shot("offline");
    } finally {
      await context.setOffline(false);
    }
  });

  it("measures LCP and INP in a lab run of the Today screen", async () => {
    const fresh = await context.newPage();
    await fresh.goto(`${DASHBOARD}#/today`);
    await fresh.locator("article.job").first().waitFor();
    const lcp = (await fresh.evaluate(`new Promise((resolve) => {
      new PerformanceObserver((list) => {
        const entries = list.getEntries();
        resolve(entries[entries.length - 1].startTime);
      }).observe({ type: "largest-contentful-paint", buffered: true });
    })`)) as number;
    // INP: the longest interaction (Event Timing) while moving between screens.
    await fresh.evaluate(`window.inp = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.inp = Math.max(window.inp, e.duration);
      }).observe({ type: "event", buffered: true, durationThreshold: 16 });`);
    for (const tab of ["Inbox", "Schedule", "Today"]) {
      await fresh.getByRole("link", { name: tab }).click();
      await fresh.waitForTimeout(300);
    }
    const inp = (await fresh.evaluate("window.inp")) as number;
    timings.lcpMs = Math.round(lcp);
    timings.inpMs = Math.round(inp);
    assert.ok(lcp > 0);
    await fresh.close();
  });

  it("refuses a user of another business everything of Bristol Plumbing", async () => {
    // A separate browser profile: nothing of the owner's session or cache.
    const other = await browser.newContext({ viewport: { width: 360, height: 780 } });
    page = await other.newPage();
    await signIn(OTHER.email, OTHER.password);
    await page.getByRole("heading", { name: "Today", level: 1 }).waitFor();
    await page.getByText("Other Plumbing").first().waitFor();
    assert.equal(await page.locator("article.job").count(), 0);
    // Straight at the APIs, with this user's own ID token: Firestore and every callable say no.
    const token = await idTokenOf(OTHER.email, OTHER.password);
    const refused = await page.evaluate(
      async ({ token, project, business }) => {
        const headers = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
        const out: Record<string, number> = {};
        const fs = `http://127.0.0.1:8080/v1/projects/${project}/databases/(default)/documents/businesses/${business}`;
        for (const p of [
          "",
          "/appointments",
          "/customers",
          "/conversations",
          "/outbox",
          "/audit",
        ]) {
          out[`firestore${p || "/business"}`] = (await fetch(fs + p, { headers })).status;
        }
        for (const fn of [
          "moveOptions",
          "moveAppointment",
          "cancelAppointment",
          "markJobDone",
          "setConversationHandled",
          "acknowledgeAttention",
          "updateSettings",
        ]) {
          const r = await fetch(`http://127.0.0.1:5001/${project}/europe-west2/${fn}`, {
            method: "POST",
            headers,
            body: JSON.stringify({
              data: {
                businessId: business,
                appointmentId: "x",
                conversationId: "x",
                itemId: "x",
                handled: true,
                start: new Date().toISOString(),
                settings: { greeting: "Hijacked by {business}" },
              },
            }),
          });
          out[fn] = r.status;
        }
        return out;
      },
      { token, project: PROJECT_ID, business: BUSINESS },
    );
    for (const [what, status] of Object.entries(refused)) {
      assert.equal(status, 403, `${what} answered ${status}`);
    }
    await shot("other-business");
    await other.close();
  });
});

/** A second business and its owner, for the cross-business checks. */
async function addOtherBusiness(stack: LocalStack): Promise<void> {
  const seed = readSeedFile(path.join(REPO_ROOT, "emulator-data", "seed", "bristol-plumbing.json"));
  const business = businessSchema.parse({
    ...seed.business,
    id: OTHER.businessId,
    name: "Other Plumbing",
    phoneNumber: "+441174960999",
  });
  await new FirestoreBusinessRepository(stack.firestore()).save(business);
  process.env.FIREBASE_AUTH_EMULATOR_HOST = `127.0.0.1:${PORTS.auth}`;
  const app =
    getApps().find((a) => a.name === "dashboard-e2e") ??
    initializeApp({ projectId: PROJECT_ID }, "dashboard-e2e");
  const auth = getAuth(app);
  const user = await auth
    .createUser({ email: OTHER.email, password: OTHER.password })
    .catch(() => auth.getUserByEmail(OTHER.email));
  await auth.setCustomUserClaims(user.uid, { businessId: OTHER.businessId, role: "owner" });
}

async function idTokenOf(email: string, password: string): Promise<string> {
  const response = await fetch(
    `http://127.0.0.1:${PORTS.auth}/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=demo-api-key`,
    {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email, password, returnSecureToken: true }),
    },
  );
  return ((await response.json()) as { idToken: string }).idToken;
}
