import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  HELP_KEYWORDS,
  OPT_IN_KEYWORDS,
  OPT_OUT_KEYWORDS,
} from "../../src/domain/sms/carrier-keywords";
import { parseReply } from "../../src/domain/sms/reply-parser";

const DOC = fs.readFileSync(path.resolve(__dirname, "../../../../docs/sms.md"), "utf8");

/** The `WORD` list on the doc's bullet for one kind of keyword. */
function listed(bullet: string): string[] {
  const line = DOC.split("\n").find((l) => l.startsWith(`- **${bullet}**`)) ?? "";
  return [...line.matchAll(/`([A-Z]+)`/g)].map((m) => m[1]);
}

describe("docs/sms.md", () => {
  it("lists exactly the carrier keywords the code acts on", () => {
    assert.deepEqual(listed("Opt-out"), [...OPT_OUT_KEYWORDS]);
    assert.deepEqual(listed("Opt-in"), ["START", "UNSTOP", "YES"]);
    assert.deepEqual([...listed("Opt-in")].sort(), [...OPT_IN_KEYWORDS].sort());
    assert.deepEqual(listed("Help"), [...HELP_KEYWORDS]);
  });

  it("shows replies that the parser reads as the table says", () => {
    const rows = DOC.split("\n").filter((l) => /^\| `/.test(l));
    assert.ok(rows.length >= 5);
    for (const row of rows) {
      const [said, kind] = row.split("|").slice(1, 3);
      if (kind.trim() === "choose") continue; // needs times on offer
      for (const m of said.matchAll(/`([^`]+)`/g)) {
        assert.equal(
          parseReply(m[1], { optedOut: false, offerCount: 0 }).kind,
          kind.trim(),
          `"${m[1]}" in docs/sms.md`,
        );
      }
    }
  });
});
