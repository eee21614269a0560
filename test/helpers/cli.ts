// Runs the hwlocal CLI from source, as `npx hwlocal` runs it from dist/.
import { run } from "../../src/cli/main.ts";

run(process.argv).catch((err: unknown) => {
  process.stderr.write(`hwlocal: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
