// `npm run coverage:api`: the coverage table of every service against the official SDKs' operations.
import { resolveConfig } from "../config.ts";
import { startHwlocal } from "../main.ts";
import { coverageReport, coverageTable } from "./coverage.ts";

const hw = await startHwlocal(resolveConfig({ port: 0, inMemory: true }));
try {
  process.stdout.write(`${coverageTable(hw.services)}\n`);
  if (process.argv.includes("--missing")) {
    for (const s of coverageReport(hw.services).services) {
      process.stdout.write(`\n${s.service} lacks: ${s.missing.join(", ")}\n`);
    }
  }
} finally {
  await hw.close();
}
