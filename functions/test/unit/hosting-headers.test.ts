import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";

/**
 * The dashboard's security headers, as firebase.json gives them to Firebase
 * Hosting (and to the Hosting emulator): a Content-Security-Policy that lets
 * the app reach Firebase and nothing else, HSTS, no framing, a referrer
 * policy, a permissions policy, no MIME sniffing (docs/abuse-protection.md).
 */
const ROOT = path.resolve(__dirname, "..", "..", "..", "..");
const firebaseJson = JSON.parse(fs.readFileSync(path.join(ROOT, "firebase.json"), "utf8")) as {
  hosting: { headers: Array<{ source: string; headers: Array<{ key: string; value: string }> }> };
};

function headersFor(source: string): Map<string, string> {
  const rule = firebaseJson.hosting.headers.find((h) => h.source === source);
  assert.ok(rule, `no headers rule for ${source}`);
  return new Map(rule.headers.map((h) => [h.key.toLowerCase(), h.value]));
}

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name, values]),
  );
}

/** Whether a CSP source expression such as "https://*.googleapis.com" allows `url`. */
function allows(sources: string[], url: string): boolean {
  const target = new URL(url);
  return sources.some((source) => {
    if (source === "'self'" || source.startsWith("'")) return false;
    const match = /^(https?|wss?):\/\/([^/:]+)(?::(\*|\d+))?$/.exec(source);
    if (!match) return false;
    const [, scheme, host, port] = match;
    if (`${scheme}:` !== target.protocol) return false;
    if (port && port !== "*" && port !== target.port) return false;
    if (host.startsWith("*.")) return target.hostname.endsWith(host.slice(1));
    return target.hostname === host;
  });
}

describe("the dashboard's security headers (firebase.json)", () => {
  const all = headersFor("**");
  const csp = directives(all.get("content-security-policy") ?? "");

  it("sends every security header on every path", () => {
    for (const name of [
      "content-security-policy",
      "strict-transport-security",
      "x-content-type-options",
      "referrer-policy",
      "permissions-policy",
      "x-frame-options",
    ]) {
      assert.ok(all.get(name), `${name} missing`);
    }
    assert.equal(firebaseJson.hosting.headers[0].source, "**", "the security rule comes first");
  });

  it("allows scripts and styles from the site only: no inline code, no eval", () => {
    for (const name of ["default-src", "script-src", "style-src"]) {
      assert.deepEqual(csp.get(name), ["'self'"], name);
    }
    assert.deepEqual(csp.get("object-src"), ["'none'"]);
    assert.deepEqual(csp.get("base-uri"), ["'self'"]);
  });

  it("lets no other site frame the dashboard", () => {
    assert.deepEqual(csp.get("frame-ancestors"), ["'none'"]);
    assert.equal(all.get("x-frame-options"), "DENY");
  });

  it("lets the app reach Firebase Auth, Firestore, its functions and the local emulators", () => {
    const connect = csp.get("connect-src") ?? [];
    for (const url of [
      "https://identitytoolkit.googleapis.com/v1/accounts:signInWithPassword",
      "https://securetoken.googleapis.com/v1/token",
      "https://firestore.googleapis.com/google.firestore.v1.Firestore/Listen/channel",
      "https://europe-west2-demo-bristol.cloudfunctions.net/moveAppointment",
      "https://moveappointment-abc123-nw.a.run.app/",
      "http://127.0.0.1:8080/",
      "http://127.0.0.1:9099/",
      "http://127.0.0.1:5001/demo-bristol/europe-west2/calendarOAuth",
    ]) {
      assert.ok(allows(connect, url), `connect-src refuses ${url}`);
    }
    for (const url of ["https://evil.example/", "http://firestore.googleapis.com/"]) {
      assert.ok(!allows(connect, url), `connect-src allows ${url}`);
    }
  });

  it("covers every address the dashboard's code fetches from", () => {
    const connect = csp.get("connect-src") ?? [];
    const sources = fs
      .readdirSync(path.join(ROOT, "hosting", "src"))
      .filter((f) => /\.(ts|tsx)$/.test(f))
      .map((f) => fs.readFileSync(path.join(ROOT, "hosting", "src", f), "utf8"))
      .join("\n");
    // A template literal's placeholders stand for a host name part or a port.
    const urls = [...sources.matchAll(/`(https?:\/\/[^`]+)`/g)]
      .map((m) =>
        m[1]
          .replace(/\$\{[^}]*PORTS?[^}]*\}/gi, "5001")
          .replace(/\$\{[^}]*host[^}]*\}/gi, "127.0.0.1")
          .replace(/\$\{[^}]+\}/g, "x"),
      )
      .filter((u) => !u.startsWith("https://www.google.com/maps")); // a link the phone opens, not a fetch
    assert.ok(urls.length >= 2, `found ${urls.join(", ")}`);
    for (const url of urls) assert.ok(allows(connect, url), `connect-src refuses ${url}`);
  });

  it("asks browsers for HTTPS for a year, sniff nothing, and keep paths to this site", () => {
    const hsts = all.get("strict-transport-security") ?? "";
    const maxAge = Number(/max-age=(\d+)/.exec(hsts)?.[1]);
    assert.ok(maxAge >= 31_536_000, hsts);
    assert.match(hsts, /includeSubDomains/);
    assert.equal(all.get("x-content-type-options"), "nosniff");
    assert.equal(all.get("referrer-policy"), "strict-origin-when-cross-origin");
  });

  it("turns off the camera, microphone, location and payment APIs", () => {
    const policy = all.get("permissions-policy") ?? "";
    for (const feature of ["camera", "microphone", "geolocation", "payment"]) {
      assert.match(policy, new RegExp(`(^|, )${feature}=\\(\\)`), feature);
    }
  });

  it("leaves the caching rules in place", () => {
    assert.equal(headersFor("/sw.js").get("cache-control"), "no-cache");
    assert.match(headersFor("/assets/**").get("cache-control") ?? "", /immutable/);
  });
});
