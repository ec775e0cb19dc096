/**
 * docs/cli.md shows real CLI runs. Each `$ veil …` line of a ```console block is run
 * again here (from the sources, in the repository root) and must print exactly what the
 * page shows, stdout then stderr, and exit with the code the page marks (`# exits N`).
 * After a deliberate change to the output: `npx tsx test/docs/update-cli-doc.ts`.
 */
import { describe, expect, it } from "vitest";
import { read, runVeil, sessions } from "./markdown.js";

const shown = sessions(read("docs/cli.md"));

describe("docs/cli.md", () => {
  it("shows examples", () => {
    expect(shown.length).toBeGreaterThan(10);
  });

  it.concurrent.each(shown.map((s) => [`line ${s.line}: veil ${s.args.join(" ")}`, s] as const))(
    "%s",
    async (_name, s) => {
      const r = await runVeil(s.args);
      expect({ output: (r.stdout + r.stderr).replace(/\n$/, ""), exitCode: r.code }).toEqual({ output: s.output, exitCode: s.exitCode });
    },
    60_000,
  );
});
