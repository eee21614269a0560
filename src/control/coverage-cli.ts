// `npm run coverage:api`: the coverage table of every service against the official SDKs' operations;
// `-- --missing` adds what each lacks, `-- --actions` the IAM action of every operation hwlocal answers.
import { resolveConfig } from "../config.ts";
import { startHwlocal } from "../main.ts";
import { actionsReport, coverageReport, coverageTable } from "./coverage.ts";

const hw = await startHwlocal(resolveConfig({ port: 0, inMemory: true, eagerServices: true }));
try {
  process.stdout.write(`${coverageTable(hw.services)}\n`);
  if (process.argv.includes("--missing")) {
    for (const s of coverageReport(hw.services).services) {
      process.stdout.write(`\n${s.service} lacks: ${s.missing.join(", ")}\n`);
    }
  }
  if (process.argv.includes("--actions")) {
    process.stdout.write("\n| service | operation | IAM action |\n|---|---|---|\n");
    for (const a of actionsReport(hw.services)) process.stdout.write(`| ${a.service} | ${a.operation} | ${a.action ?? "(not judged)"} |\n`);
  }
} finally {
  await hw.close();
}
