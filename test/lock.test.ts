// One hwlocal per data folder: a second process on the same folder refuses to start and names the first
// one's pid and port; the lock dies with its process (SIGKILL included), so a restart is never blocked;
// --in-memory takes no lock. Real processes, as `npx hwlocal start` runs them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exited, runCli, startCli } from "./helpers/cli-process.ts";

test("a second hwlocal on the same data folder refuses to start; a killed one does not block a restart", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "hwlocal-lock-"));
  const lockFile = join(dataDir, "hwlocal.lock");
  const first = await startCli(["--data-dir", dataDir]);
  try {
    assert.deepEqual(JSON.parse(readFileSync(lockFile, "utf8")), { pid: first.child.pid, port: first.port, endpoint: first.url });
    const second = await runCli(["start", "--port", "0", "--data-dir", dataDir]);
    assert.notEqual(second.code, 0);
    assert.match(second.output, new RegExp(`another hwlocal \\(pid ${first.child.pid}, port ${first.port}, ${first.url}\\)`));
    assert.match(second.output, /--data-dir/);
    assert.doesNotMatch(second.output, /ready in/);

    const scratch = await startCli(["--data-dir", dataDir, "--in-memory"]);
    const stopped = exited(scratch.child);
    scratch.child.kill("SIGTERM");
    assert.equal((await stopped).code, 0, "--in-memory ignores the data folder");
    assert.equal((await fetch(`${first.url}/_hwlocal/health`)).status, 200, "the first one runs on");
  } finally {
    const killed = exited(first.child);
    first.child.kill("SIGKILL");
    await killed;
  }

  assert.ok(existsSync(lockFile), "SIGKILL leaves the owner file behind");
  const restarted = await startCli(["--data-dir", dataDir]);
  assert.equal(JSON.parse(readFileSync(lockFile, "utf8")).pid, restarted.child.pid);
  const stopped = exited(restarted.child);
  restarted.child.kill("SIGTERM");
  assert.equal((await stopped).code, 0);
  assert.ok(!existsSync(lockFile), "a clean stop removes the owner file");
  rmSync(dataDir, { recursive: true, force: true });
});
