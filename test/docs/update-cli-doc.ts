/**
 * Rewrites the output of every ```console block in docs/cli.md by running its `$ veil …`
 * lines again, and marks each non-zero exit as `# exits N`. Run it after a deliberate
 * change to the CLI's output, then read the diff: `npx tsx test/docs/update-cli-doc.ts`.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { read, ROOT, runVeil, shellWords } from "./markdown.js";

const FILE = "docs/cli.md";
const parts = read(FILE).split(/(^```console\n[\s\S]*?^```$)/m);
const out: string[] = [];
for (const part of parts) {
  if (!part.startsWith("```console\n")) {
    out.push(part);
    continue;
  }
  const commands = part
    .split("\n")
    .filter((l) => l.startsWith("$ "))
    .map((l) => l.replace(/\s+# exits \d+$/, ""));
  const body: string[] = [];
  for (const command of commands) {
    const r = await runVeil(shellWords(command.slice(2)).slice(1));
    body.push(r.code === 0 ? command : `${command}   # exits ${r.code}`);
    const text = (r.stdout + r.stderr).replace(/\n$/, "");
    if (text) body.push(text);
  }
  out.push(`\`\`\`console\n${body.join("\n")}\n\`\`\``);
}
writeFileSync(join(ROOT, FILE), out.join(""));
